using System.Collections.Generic;
using System.Linq;
using LossDsl.Generators.Ir;

namespace LossDsl.Generators.Passes;

/// <summary>
/// The fusions of one generated TorchSharp method beyond a product into its consumer (<see cref="TorchPlan.Program"/>):
/// gradient roots that take the incoming gradient into a small factor, the softmax backward
/// <c>p·(u − Σ_c u·p)</c>, the forward's spatial sums swept together, and gradients that are affine in full-size
/// tensors. Decided once, while the program is built, before anything is printed: the emitter reads them, never
/// revises them. Where a pattern absorbs a product that was to be fused into a consumer it replaces, that product
/// gets its own statement again (the program's fusions are settled here, not while printing).
/// </summary>
internal sealed partial class TorchFusion
{
    private readonly TorchPlan plan;
    private readonly TorchPlan.Program program;
    private readonly Graph graph;
    private readonly HashSet<int> fusedGradients = new();
    private readonly Dictionary<int, (int U, int P, int Difference)> softmaxBackward = new();
    private readonly HashSet<int> inPattern = new();

    public TorchFusion(TorchPlan plan, TorchPlan.Program program)
    {
        this.plan = plan;
        this.program = program;
        graph = plan.Graph;
        if (program.IsForward)
        {
            GroupSpatialSums();
            return;
        }

        FindSoftmaxBackwards();
        FindFusedGradients();
        FindAffineGradients();
    }

    /// <summary>Whether <paramref name="id"/>, a gradient root (or the value scattered by one), takes the incoming gradient into a factor.</summary>
    public bool IsFusedGradient(int id) => fusedGradients.Contains(id);

    /// <summary>Softmax backwards by their product node: u, p, and the difference u − Σ_c u·p.</summary>
    public IReadOnlyDictionary<int, (int U, int P, int Difference)> SoftmaxBackward => softmaxBackward;

    /// <summary>Whether <paramref name="id"/> is written by a pattern, a gradient fusion or a group of sums, not by a statement of its own.</summary>
    public bool Absorbs(int id) => fusedGradients.Contains(id) || inPattern.Contains(id) || inSpatialSumGroup.Contains(id);

    /// <summary>Whether gradient root <paramref name="root"/> is one <c>FusedOps.AffineGradient</c> sweep with the incoming gradient.</summary>
    public bool IsOneSweep(int root) => affineGradients.ContainsKey(root) && fusedGradients.Contains(root);

    /// <summary>Whether gradient root <paramref name="root"/> is big·small or big/small (small: host, or fewer axes).</summary>
    public bool SmallFactor(int root, out int big, out int small)
    {
        var node = graph[root];
        big = small = -1;
        if (node.Op is not (Op.Multiply or Op.Divide))
        {
            return false;
        }

        int a = node.Args[0], b = node.Args[1];
        bool Smaller(int x, int than) => !plan.IsTensor[x] || (plan.IsTensor[than] && (graph[x].Shape.Axes & ~graph[than].Shape.Axes) == 0 && graph[x].Shape.Axes != graph[than].Shape.Axes);
        if (plan.IsTensor[a] && Smaller(b, a))
        {
            big = a;
            small = b;
            return true;
        }

        if (node.Op == Op.Multiply && plan.IsTensor[b] && Smaller(a, b))
        {
            big = b;
            small = a;
            return true;
        }

        return false;
    }

    /// <summary>A full-size tensor: every axis, every class.</summary>
    private bool IsFullSize(int id) => plan.IsTensor[id] && graph[id].Shape.Axes == Axes.All && graph[id].Shape.ClassDomain.Length == 0;

    /// <summary>Whether a computed value has one use (so that a pattern may absorb it).</summary>
    private bool Single(int id) => program.Uses[id] == 1;

    /// <summary>Undoes the fusion of a product into a consumer that a pattern now computes.</summary>
    private void Unfuse(int product)
    {
        program.FusedOperand.Remove(program.FusedInto[product]);
        program.FusedInto[product] = -1;
    }

    /// <summary>
    /// The backward of softmax, <c>p·(u − Σ_c u·p)</c> (what the derivative rule of softmax produces), computed by
    /// <c>FusedOps.SoftmaxBackward</c>: three passes on u's buffer instead of five temporaries.
    /// </summary>
    private void FindSoftmaxBackwards()
    {
        foreach (var id in program.Nodes)
        {
            if (IsSoftmaxBackward(id, out var u, out var p, out var difference, out var sum, out var product))
            {
                softmaxBackward[id] = (u, p, difference);
                if (program.FusedInto[id] >= 0)
                {
                    // The pattern is worth more than an addcmul: its consumer becomes a plain addition.
                    Unfuse(id);
                }

                inPattern.Add(difference);
                inPattern.Add(sum);
                inPattern.Add(product);
            }
        }
    }

    private bool IsSoftmaxBackward(int id, out int u, out int p, out int difference, out int sum, out int product)
    {
        u = p = difference = sum = product = -1;
        var node = graph[id];
        if (node.Op != Op.Multiply || !plan.IsTensor[id] || node.Shape.Axes != Axes.All)
        {
            return false;
        }

        for (var k = 0; k < 2; k++)
        {
            p = node.Args[k];
            difference = node.Args[1 - k];
            var d = graph[difference];
            if (graph[p].Op != Op.Softmax || d.Op != Op.Subtract || !program.Computes[difference] || program.Uses[difference] != 1)
            {
                continue;
            }

            u = d.Args[0];
            sum = d.Args[1];
            var s = graph[sum];
            if (s.Op != Op.Sum || s.Reduce != Axes.Class || !program.Computes[sum] || program.Uses[sum] != 1
                || graph[u].Shape.Axes != Axes.All || graph[u].Shape.ClassDomain.Length != 0 || !plan.IsTensor[u])
            {
                continue;
            }

            product = s.Args[0];
            var m = graph[product];
            if (m.Op == Op.Multiply && program.Computes[product] && program.Uses[product] == 1
                && ((m.Args[0] == u && m.Args[1] == p) || (m.Args[0] == p && m.Args[1] == u)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Gradient roots of the form big·small or big/small: the incoming gradient folds into the small factor.</summary>
    private void FindFusedGradients()
    {
        foreach (var root in plan.Model.Gradients.Where(g => g >= 0).Distinct())
        {
            if (program.Computes[root] && plan.IsTensor[root] && program.Uses[root] == 1 && SmallFactor(root, out _, out _))
            {
                fusedGradients.Add(root);
            }
            else if (program.Computes[root] && plan.IsTensor[root] && program.Uses[root] == 1 && graph[root].Op == Op.Scatter)
            {
                // Scatter is linear: scatter(x)·g = scatter(x·g), and x = big·small folds g into small.
                var inner = graph[root].Args[0];
                if (program.Computes[inner] && plan.IsTensor[inner] && program.Uses[inner] == 1 && SmallFactor(inner, out _, out _))
                {
                    fusedGradients.Add(root);
                    fusedGradients.Add(inner);
                }
            }
        }
    }
}
