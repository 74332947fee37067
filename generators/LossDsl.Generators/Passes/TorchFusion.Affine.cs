using System.Collections.Generic;
using System.Linq;
using LossDsl.Generators.Ir;

namespace LossDsl.Generators.Passes;

/// <summary>
/// Gradients that are affine in full-size tensors, <c>u = Σ_k F_k·a_k + a_0</c> with small coefficients a (no
/// spatial axis), become one <c>FusedOps.AffineGradient</c> call, together with the softmax backward
/// <c>p·(u − Σ_c u·p)</c> that follows them and the incoming gradient: one sweep that writes the gradient (on
/// CPU), instead of a pass per term, three for the softmax backward and one for the incoming gradient. This is
/// the shape of every gradient of a loss built from spatial sums of products (Dice family, boundary, Tversky…).
/// </summary>
internal sealed partial class TorchFusion
{
    private readonly Dictionary<int, Affine> affineGradients = new();

    /// <summary>Gradient nodes computed by one <c>AffineGradient</c> call, with their terms.</summary>
    public IReadOnlyDictionary<int, Affine> AffineGradients => affineGradients;

    /// <summary>Where a gradient node is computed by <c>AffineGradient</c>: its terms, and the softmax it goes through.</summary>
    public sealed class Affine
    {
        public List<(int Field, int Coefficient, bool Negative, bool Reciprocal)> Terms { get; } = new();

        public List<(int Value, bool Negative)> Constants { get; } = new();

        /// <summary>The nodes the call replaces (the sums, differences and products that build u).</summary>
        public List<int> Inner { get; } = new();

        public int Softmax { get; set; } = -1;
    }

    /// <summary>Finds the affine gradients: softmax backwards of an affine u, and gradient roots that are affine.</summary>
    private void FindAffineGradients()
    {
        foreach (var pair in softmaxBackward.ToArray())
        {
            var affine = new Affine { Softmax = pair.Value.P };
            // u is read twice by the pattern (u·p and u − Σ_c u·p), and by nothing else.
            if (program.Computes[pair.Value.U] && program.Uses[pair.Value.U] == 2 && Decompose(pair.Value.U, false, affine, inner: true)
                && affine.Terms.Count > 0)
            {
                Adopt(pair.Key, affine);
            }
        }

        foreach (var root in plan.Model.Gradients.Where(g => g >= 0).Distinct())
        {
            if (affineGradients.ContainsKey(root) || fusedGradients.Contains(root) || !program.Computes[root] || program.Uses[root] != 1
                || !IsFullSize(root) || graph[root].Op is not (Op.Add or Op.Subtract))
            {
                continue;
            }

            var affine = new Affine();
            // Worth a call only when it absorbs a product or quotient by a coefficient: a sum of full-size temporaries
            // is as cheap in place.
            if (Decompose(root, false, affine, inner: true) && affine.Terms.Any(t => t.Coefficient >= 0) && affine.Terms.Count + affine.Constants.Count >= 2)
            {
                Adopt(root, affine);
            }
        }
    }

    private void Adopt(int id, Affine affine)
    {
        affineGradients[id] = affine;
        if (plan.Model.Gradients.Contains(id) && program.Uses[id] == 1)
        {
            // A gradient root: the incoming gradient is folded into the call, written where the gradient is.
            fusedGradients.Add(id);
        }

        foreach (var inner in affine.Inner)
        {
            inPattern.Add(inner);
        }

        // A leaf that was to be fused into one of the replaced nodes gets its own statement again.
        foreach (var leaf in affine.Terms.SelectMany(t => new[] { t.Field, t.Coefficient }).Concat(affine.Constants.Select(c => c.Value)))
        {
            if (leaf >= 0 && program.FusedInto[leaf] >= 0)
            {
                Unfuse(leaf);
            }
        }
    }

    /// <summary>Adds node <paramref name="id"/> (negated or not) to <paramref name="affine"/>; false when it is not affine.</summary>
    private bool Decompose(int id, bool negative, Affine affine, bool inner)
    {
        var node = graph[id];
        if (IsSmall(id))
        {
            affine.Constants.Add((id, negative));
            return true;
        }

        // Only values computed here for this gradient alone are taken apart; anything else is a leaf.
        if (inner && program.Computes[id] && plan.IsTensor[id] && IsFullSize(id) && !fusedGradients.Contains(id))
        {
            switch (node.Op)
            {
                case Op.Add:
                case Op.Subtract:
                    affine.Inner.Add(id);
                    return Decompose(node.Args[0], negative, affine, Single(node.Args[0]))
                        && Decompose(node.Args[1], node.Op == Op.Subtract ? !negative : negative, affine, Single(node.Args[1]));
                case Op.Negate:
                    affine.Inner.Add(id);
                    return Decompose(node.Args[0], !negative, affine, Single(node.Args[0]));
                case Op.Multiply:
                    for (var k = 0; k < 2; k++)
                    {
                        if (IsFullSize(node.Args[k]) && IsSmall(node.Args[1 - k]))
                        {
                            affine.Inner.Add(id);
                            affine.Terms.Add((node.Args[k], node.Args[1 - k], negative, false));
                            return true;
                        }
                    }

                    break;
                case Op.Divide when IsFullSize(node.Args[0]) && IsSmall(node.Args[1]):
                    affine.Inner.Add(id);
                    affine.Terms.Add((node.Args[0], node.Args[1], negative, true));
                    return true;
            }
        }

        if (IsFullSize(id))
        {
            affine.Terms.Add((id, -1, negative, false));
            return true;
        }

        return false;
    }

    /// <summary>A host value or a tensor without a spatial axis: a coefficient of an affine gradient.</summary>
    private bool IsSmall(int id) => !plan.IsTensor[id] || !graph[id].Shape.Has(Axes.Spatial);
}
