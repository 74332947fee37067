using System.Collections.Generic;
using System.Linq;
using LossDsl.Generators.Ir;

namespace LossDsl.Generators.Emit;

/// <summary>
/// When the CPU back end computes each node. Values with spatial axes ("wide") are computed chunk by chunk inside a
/// pass and never stored whole; values without ("small") are computed between passes. A reduction over the
/// spatial axes ends the pass it runs in, so everything that uses it waits for the next pass. Wide values are
/// recomputed in every pass that needs them: that costs arithmetic, not memory proportional to the input.
/// </summary>
internal sealed class CpuSchedule
{
    private CpuSchedule(Graph graph, int[] level, IReadOnlyList<int> roots, IReadOnlyList<int> stored, int storePass, int passCount)
    {
        Graph = graph;
        Level = level;
        Roots = roots;
        StoredGradients = stored;
        StorePass = storePass;
        PassCount = passCount;
    }

    public Graph Graph { get; }

    /// <summary>
    /// For a wide node, the first pass that can compute it; for a small node, the pass after which it is
    /// available (−1: before the first pass).
    /// </summary>
    public int[] Level { get; }

    public IReadOnlyList<int> Roots { get; }

    /// <summary>Gradient nodes written to gradient destinations, in pass <see cref="StorePass"/> (−1 when none).</summary>
    public IReadOnlyList<int> StoredGradients { get; }

    public int StorePass { get; }

    public int PassCount { get; }

    public bool IsWide(int id) => Graph[id].Shape.Has(Axes.Spatial);

    public bool IsScalar(int id) => Graph[id].Shape.IsScalar;

    /// <summary>A reduction that turns a wide value into a small one: computed as per-chunk partial sums.</summary>
    public bool IsPassReduction(int id) => IsPassReduction(Graph, id);

    private static bool IsPassReduction(Graph graph, int id) =>
        graph[id].Op is Op.Sum or Op.MaxOver && !graph[id].Shape.Has(Axes.Spatial) && graph[graph[id].Args[0]].Shape.Has(Axes.Spatial);

    /// <summary>Plans the evaluation of <paramref name="result"/> and of the gradient nodes <paramref name="gradients"/>.</summary>
    public static CpuSchedule Plan(Graph graph, int result, IReadOnlyList<int> gradients)
    {
        var level = new int[graph.Count];
        for (var id = 0; id < graph.Count; id++)
        {
            var node = graph[id];
            var wide = node.Shape.Has(Axes.Spatial);
            var available = node.Op == Op.Input ? 0 : -1;
            foreach (var arg in node.Args)
            {
                var argWide = graph[arg].Shape.Has(Axes.Spatial);

                // A wide node can use a wide operand in the same pass, a small one only after the pass that made it.
                var needed = wide ? (argWide ? level[arg] : level[arg] + 1) : level[arg];
                available = System.Math.Max(available, needed);
            }

            level[id] = wide ? System.Math.Max(available, 0) : available;
        }

        var stored = gradients.Where(g => g >= 0).Distinct().ToList();
        var storePass = stored.Count == 0
            ? -1
            : stored.Max(g => graph[g].Shape.Has(Axes.Spatial) ? level[g] : level[g] + 1);
        var roots = new List<int> { result };
        roots.AddRange(stored);
        var lastReduction = Needed(graph, roots).Where(id => IsPassReduction(graph, id))
            .Select(id => level[id]).DefaultIfEmpty(-1).Max();
        var passCount = System.Math.Max(lastReduction, storePass) + 1;
        return new CpuSchedule(graph, level, roots, stored, storePass, passCount);
    }

    /// <summary>Every node the roots depend on, in topological (id) order.</summary>
    public static List<int> Needed(Graph graph, IEnumerable<int> roots) => Indices(graph.Reachable(roots));

    /// <summary>The reductions over the spatial axes that pass <paramref name="pass"/> computes.</summary>
    public List<int> ReductionsOf(int pass) =>
        Needed(Graph, Roots).Where(id => IsPassReduction(id) && Level[id] == pass).ToList();

    /// <summary>The wide nodes that pass <paramref name="pass"/> evaluates for each chunk, in order.</summary>
    public List<int> WideNodesOf(int pass)
    {
        var targets = ReductionsOf(pass).Select(r => Graph[r].Args[0]).ToList();
        if (pass == StorePass)
        {
            targets.AddRange(StoredGradients.Where(IsWide));
        }

        return Indices(WideClosure(targets));
    }

    /// <summary>
    /// For each wide node of pass <paramref name="pass"/> that only gradients need (no reduction of the pass does), the
    /// field indices whose gradients need it: the generated code computes it only when one of them is wanted.
    /// </summary>
    public Dictionary<int, List<int>> GradientOnlyNodesOf(int pass, IReadOnlyList<int> gradients)
    {
        var result = new Dictionary<int, List<int>>();
        if (pass != StorePass)
        {
            return result;
        }

        var forReductions = WideClosure(ReductionsOf(pass).Select(r => Graph[r].Args[0]));
        for (var field = 0; field < gradients.Count; field++)
        {
            if (gradients[field] < 0 || !IsWide(gradients[field]))
            {
                continue;
            }

            foreach (var id in Indices(WideClosure(new[] { gradients[field] })).Where(id => !forReductions[id]))
            {
                if (!result.TryGetValue(id, out var fields))
                {
                    result[id] = fields = new List<int>();
                }

                fields.Add(field);
            }
        }

        return result;
    }

    /// <summary>The wide nodes <paramref name="targets"/> need, stopping at small ones (computed before the pass, kept in fields).</summary>
    private bool[] WideClosure(IEnumerable<int> targets) => Graph.Reachable(targets, IsWide);

    private static List<int> Indices(bool[] marked) => Enumerable.Range(0, marked.Length).Where(i => marked[i]).ToList();

    /// <summary>The small nodes (not reductions of a pass) computed once pass <paramref name="pass"/> is done (−1: before pass 0).</summary>
    public List<int> SmallNodesAfter(int pass) =>
        Needed(Graph, Roots).Where(id => !IsWide(id) && !IsPassReduction(id) && Level[id] == pass).ToList();
}
