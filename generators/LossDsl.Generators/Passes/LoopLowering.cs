using System.Collections.Generic;
using System.Linq;
using LossDsl.Generators.Common;
using LossDsl.Generators.Ir;
using LossDsl.Generators.Model;

namespace LossDsl.Generators.Passes;

/// <summary>
/// Rewrites a graph into the operations a loop over positions computes directly, before <see cref="LoopPlanner"/>
/// schedules it. Softmax and log-softmax become their stable definitions (a maximum and a sum over the classes
/// around an exponential), so that they fuse with whatever surrounds them instead of being a kernel of their own;
/// a reduction over the batch and the classes (but not the positions) becomes one over the classes, then one over
/// the batch. Nothing is simplified here: the rewritten graph computes the stable formulas the reference interpreter
/// uses, softmax's normalisation as a product with 1/s and a division of a value with positions by a count as a
/// product with 1/n (each an ulp from the quotient, with the same special values).
/// </summary>
internal static class LoopLowering
{
    /// <summary>The lowered graph, and the ids of <paramref name="roots"/> in it (−1 stays −1).</summary>
    public static Graph Lower(Graph graph, IReadOnlyList<int> roots, out int[] loweredRoots)
    {
        var builder = new RawBuilder();
        var map = new int[graph.Count];
        for (var id = 0; id < graph.Count; id++)
        {
            var node = graph[id];
            var args = node.Args.Select(a => map[a]).ToArray();
            map[id] = node.Op switch
            {
                Op.Softmax or Op.LogSoftmax => LowerSoftmax(builder, node, args[0]),
                Op.Sum or Op.MaxOver when SplitsBatchFromClasses(graph, node) => LowerBatchAndClasses(builder, graph, node, args[0]),
                Op.Divide when DividesPositionsByCount(graph, node) => LowerDivisionByCount(builder, graph, node, args),
                _ => builder.Add(node with { Args = args.ToEquatableArray() }),
            };
        }

        loweredRoots = roots.Select(r => r < 0 ? -1 : map[r]).ToArray();
        return builder.ToGraph();
    }

    /// <summary>m = max_c x, e = e^{x − m}, s = Σ_c e; softmax = e/s, log-softmax = (x − m) − log s.</summary>
    private static int LowerSoftmax(RawBuilder builder, Node node, int x)
    {
        var shape = node.Shape;
        var perPosition = new Shape(shape.Axes & ~Axes.Class, "");
        var stem = node.Label.Length > 0 ? node.Label : OpWords.Of(node.Op);
        var max = builder.Add(new Node(Op.MaxOver, new[] { x }.ToEquatableArray(), perPosition, Reduce: Axes.Class, Label: stem + "Max"));
        var shifted = builder.Add(new Node(Op.Subtract, new[] { x, max }.ToEquatableArray(), shape, Label: stem + "Shifted"));
        var exp = builder.Add(new Node(Op.Exp, new[] { shifted }.ToEquatableArray(), shape, Label: stem + "Exp"));
        var total = builder.Add(new Node(Op.Sum, new[] { exp }.ToEquatableArray(), perPosition, Reduce: Axes.Class, Label: stem + "Total"));
        if (node.Op == Op.Softmax)
        {
            // One division per position, not per class (as ATen's vectorized softmax): within an ulp of e/s, and the
            // same NaN (s is in [1, C] unless x holds a NaN or is −∞ throughout).
            var reciprocal = Reciprocal(builder, total, perPosition, stem + "Reciprocal");
            return builder.Add(new Node(Op.Multiply, new[] { exp, reciprocal }.ToEquatableArray(), shape, Label: stem));
        }

        var logTotal = builder.Add(new Node(Op.Log, new[] { total }.ToEquatableArray(), perPosition, Label: stem + "LogTotal"));
        return builder.Add(new Node(Op.Subtract, new[] { shifted, logTotal }.ToEquatableArray(), shape, Label: stem));
    }

    /// <summary>A value with positions divided by a count (the derivative of a mean, mostly).</summary>
    private static bool DividesPositionsByCount(Graph graph, Node node) =>
        graph[node.Args[0]].Shape.Has(Axes.Spatial) && graph[node.Args[1]].Op == Op.Extent;

    /// <summary>
    /// x/n with x over positions and n a count: x·(1/n), one division per call instead of one per element (a
    /// division costs several multiplications). n is a positive integer, so 1/n is a normal number and x·(1/n) is
    /// within an ulp of x/n (equal when n is a power of two), with the same special values.
    /// </summary>
    private static int LowerDivisionByCount(RawBuilder builder, Graph graph, Node node, int[] args)
    {
        var count = graph[node.Args[1]];
        var stem = count.Label.Length > 0 ? count.Label : OpWords.Of(count.Op);
        var reciprocal = Reciprocal(builder, args[1], count.Shape, stem + "Reciprocal");
        return builder.Add(new Node(Op.Multiply, new[] { args[0], reciprocal }.ToEquatableArray(), node.Shape, Label: node.Label));
    }

    /// <summary>1/x, of shape <paramref name="shape"/> (x's).</summary>
    private static int Reciprocal(RawBuilder builder, int x, Shape shape, string label)
    {
        var one = builder.Add(new Node(Op.Constant, EquatableArray<int>.Empty, Shape.Scalar, Value: 1));
        return builder.Add(new Node(Op.Divide, new[] { one, x }.ToEquatableArray(), shape, Label: label));
    }

    private static bool SplitsBatchFromClasses(Graph graph, Node node) =>
        (node.Reduce & (Axes.Batch | Axes.Class)) == (Axes.Batch | Axes.Class)
        && (node.Reduce & Axes.Spatial) == 0
        && graph[node.Args[0]].Shape.Has(Axes.Spatial);

    /// <summary>A reduction over the batch and the classes of a value with positions: over the classes first.</summary>
    private static int LowerBatchAndClasses(RawBuilder builder, Graph graph, Node node, int x)
    {
        var argument = graph[node.Args[0]].Shape;
        var inner = new Shape(argument.Axes & ~Axes.Class, "");
        var stem = node.Label.Length > 0 ? node.Label : OpWords.Of(node.Op);
        var overClasses = builder.Add(new Node(node.Op, new[] { x }.ToEquatableArray(), inner, Reduce: Axes.Class, Label: stem + "OverClasses"));
        return builder.Add(node with { Args = new[] { overClasses }.ToEquatableArray(), Reduce = node.Reduce & ~Axes.Class });
    }

    /// <summary>Appends nodes as they are (no folding, no identities), sharing identical ones.</summary>
    private sealed class RawBuilder
    {
        private readonly List<Node> nodes = new();
        private readonly Dictionary<int, List<int>> byHash = new();

        public int Add(Node node)
        {
            var hash = node.ValueHash();
            if (byHash.TryGetValue(hash, out var candidates))
            {
                foreach (var candidate in candidates.Where(c => nodes[c].SameValueAs(node)))
                {
                    return candidate;
                }
            }
            else
            {
                byHash[hash] = candidates = new List<int>();
            }

            nodes.Add(node);
            candidates.Add(nodes.Count - 1);
            return nodes.Count - 1;
        }

        public Graph ToGraph() => new(nodes.ToEquatableArray());
    }
}
