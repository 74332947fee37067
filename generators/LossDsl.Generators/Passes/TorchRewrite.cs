using System.Collections.Generic;
using System.Linq;
using LossDsl.Generators.Common;
using LossDsl.Generators.Ir;
using LossDsl.Generators.Model;

namespace LossDsl.Generators.Passes;

/// <summary>
/// Rewrites of the gradient expressions for the TorchSharp back end (the other back ends keep the model as derived).
/// <para>
/// <b>Scatter push-down.</b> The derivative of a class selection is a scatter (<c>zeros</c> + <c>index_add</c>: two
/// full-size passes and a full-size temporary for every gradient term). Scatter is linear, and a selected full-class
/// value times a small factor (no spatial axis) scatters as the full value times the scattered small factor:
/// <c>scatter_idc(x[idc]·k) = x·scatter_idc(k)</c> (true with repeated classes too: plane c gets
/// <c>x_c·Σ_{j: idc_j = c} k_j</c>). So <c>scatter_idc(a·dist[idc] + b − c·y[idc])</c> becomes
/// <c>dist·scatter_idc(a) + scatter_idc(b) − y·scatter_idc(c)</c>: the scatters move onto <c>(B, C)</c>-sized
/// coefficients and the full-size work is one multiply and fused multiply-adds on one buffer.
/// Anything else (a product of two selected fields, …) keeps its scatter.
/// </para>
/// <para>
/// <b>Reduce, then select.</b> A spatial sum of a selected field (or of a product of two selected fields) is the
/// selection of the sum over all classes: <c>Σ_x x[idc] = (Σ_x x)[idc]</c>, <c>Σ_x x[idc]·y[idc] = (Σ_x x·y)[idc]</c>
/// (a sum over classes too is then a sum of the small selected sums). The reduction reads |C| planes instead of |idc|,
/// but no full-size copy of the selected planes (<c>index_select</c>) is made, and on CPU every fresh full-size buffer
/// also costs page faults.
/// </para>
/// </summary>
internal static class TorchRewrite
{
    /// <summary>The model with both rewrites applied to its result and gradients; the same model when nothing changes.</summary>
    public static LossModel Rewrite(LossModel model)
    {
        var rewriter = new Rewriter(model.Graph);
        var result = rewriter.Rebuild(model.Result);
        var gradients = model.Gradients.Select(g => g < 0 ? g : rewriter.Rebuild(g)).ToArray();
        if (rewriter.Nodes.Count == model.Graph.Count && result == model.Result && gradients.SequenceEqual(model.Gradients))
        {
            return model;
        }

        // Prune what the rewrites left unused (the selections and sums they replaced), keeping the order.
        var graph = new Graph(rewriter.Nodes.ToEquatableArray()).Prune(new[] { result }.Concat(gradients), out var remap);
        return model with
        {
            Graph = graph,
            Result = remap[result],
            Gradients = gradients.Select(g => g < 0 ? g : remap[g]).ToEquatableArray(),
        };
    }

    private sealed class Rewriter
    {
        private readonly Dictionary<int, int> rebuilt = new();
        private readonly bool[] dependsOnInput;

        public Rewriter(Graph graph)
        {
            Nodes = graph.Nodes.ToList();
            dependsOnInput = graph.DependsOnInput();
        }

        public List<Node> Nodes { get; }

        private bool IsBig(int id) => Nodes[id].Shape.Has(Axes.Spatial) && IsTensor(id);

        private bool IsTensor(int id) => id >= dependsOnInput.Length || dependsOnInput[id];

        /// <summary>Node <paramref name="id"/> with every scatter below it pushed down (memoized: shared values stay shared).</summary>
        public int Rebuild(int id)
        {
            if (rebuilt.TryGetValue(id, out var done))
            {
                return done;
            }

            var node = Nodes[id];
            var args = node.Args.Select(Rebuild).ToArray();
            var result = id;
            if (node.Op == Op.Scatter && IsBig(args[0]))
            {
                var pushed = TryPush(args[0], node.Name);
                if (pushed >= 0)
                {
                    result = pushed;
                }
            }

            if (node.Op == Op.Sum && (node.Reduce & Axes.Spatial) != 0)
            {
                var selected = ReduceThenSelect(node, args[0]);
                if (selected >= 0)
                {
                    result = selected;
                }
            }

            if (result == id && !args.SequenceEqual(node.Args))
            {
                result = Append(node with { Args = args.ToEquatableArray() });
            }

            rebuilt[id] = result;
            return result;
        }

        private int Append(Node node)
        {
            // Reuse an identical node (the rewrite of a value used twice, or a scatter already present).
            for (var i = 0; i < Nodes.Count; i++)
            {
                if (Nodes[i].SameValueAs(node))
                {
                    return i;
                }
            }

            Nodes.Add(node);
            return Nodes.Count - 1;
        }

        /// <summary>A node equal to <c>scatter_list(x)</c> without a full-size scatter, or −1.</summary>
        private int TryPush(int x, string list)
        {
            var node = Nodes[x];
            switch (node.Op)
            {
                case Op.Select when node.Name == list && IsFullClasses(node.Args[0]):
                    // x[idc] = x·1
                    return Multiply(node.Args[0], Scatter(Append(new Node(Op.Constant, EquatableArray<int>.Empty, Shape.Scalar, Value: 1.0)), list));
                case Op.Multiply:
                    for (var k = 0; k < 2; k++)
                    {
                        var selected = Nodes[node.Args[k]];
                        var factor = node.Args[1 - k];
                        if (selected.Op == Op.Select && selected.Name == list && IsFullClasses(selected.Args[0]) && !IsBig(factor))
                        {
                            return Multiply(selected.Args[0], Scatter(factor, list));
                        }
                    }

                    return -1;
                case Op.Divide when Nodes[node.Args[0]].Op == Op.Select && Nodes[node.Args[0]].Name == list
                    && IsFullClasses(Nodes[node.Args[0]].Args[0]) && !IsBig(node.Args[1]):
                    // x[idc]/k = x[idc]·(1/k)
                    var one = Append(new Node(Op.Constant, EquatableArray<int>.Empty, Shape.Scalar, Value: 1.0));
                    var reciprocal = Append(new Node(Op.Divide, new[] { one, node.Args[1] }.ToEquatableArray(), Nodes[node.Args[1]].Shape));
                    return Multiply(Nodes[node.Args[0]].Args[0], Scatter(reciprocal, list));
                case Op.Negate:
                    var inner = TryPush(node.Args[0], list);
                    return inner < 0 ? -1 : Append(new Node(Op.Negate, new[] { inner }.ToEquatableArray(), Nodes[inner].Shape, Label: node.Label));
                case Op.Add:
                case Op.Subtract:
                    var a = TryPush(node.Args[0], list);
                    var b = TryPush(node.Args[1], list);
                    if (a < 0 && b < 0)
                    {
                        return -1;
                    }

                    a = a >= 0 ? a : Scatter(node.Args[0], list);
                    b = b >= 0 ? b : Scatter(node.Args[1], list);
                    return Append(new Node(node.Op, new[] { a, b }.ToEquatableArray(), Union(a, b), Label: node.Label));
                default:
                    return -1;
            }
        }

        /// <summary><c>Σ_R x[idc]</c> (or <c>Σ_R x[idc]·y[idc]</c>) as a selection of the sum over all classes, or −1.</summary>
        private int ReduceThenSelect(Node sum, int summand)
        {
            var node = Nodes[summand];
            string list;
            int full;
            if (node.Op == Op.Select && IsFullClasses(node.Args[0]) && IsBig(node.Args[0]))
            {
                list = node.Name;
                full = node.Args[0];
            }
            else if (node.Op == Op.Multiply && IsSelected(node.Args[0], out var a) && IsSelected(node.Args[1], out var b)
                && Nodes[node.Args[0]].Name == Nodes[node.Args[1]].Name && Nodes[a].Shape.Axes == Nodes[b].Shape.Axes)
            {
                list = Nodes[node.Args[0]].Name;
                full = Append(new Node(Op.Multiply, new[] { a, b }.ToEquatableArray(), Union(a, b), Label: node.Label));
            }
            else
            {
                return -1;
            }

            // Σ over the spatial axes (and the batch axis when the classes are kept) on all classes, then select.
            var inner = sum.Reduce & ((sum.Reduce & Axes.Class) != 0 ? Axes.Spatial : Axes.Batch | Axes.Spatial);
            var innerSum = Append(new Node(Op.Sum, new[] { full }.ToEquatableArray(), new Shape(Nodes[full].Shape.Axes & ~inner, ""), Reduce: inner));
            var select = Append(new Node(Op.Select, new[] { innerSum }.ToEquatableArray(), new Shape(Nodes[innerSum].Shape.Axes, list), Name: list,
                Label: inner == sum.Reduce ? sum.Label : ""));
            var outer = sum.Reduce & ~inner;
            return outer == Axes.None
                ? select
                : Append(new Node(Op.Sum, new[] { select }.ToEquatableArray(), sum.Shape, Reduce: outer, Label: sum.Label));
        }

        private bool IsSelected(int id, out int full)
        {
            var node = Nodes[id];
            full = node.Op == Op.Select ? node.Args[0] : -1;
            return full >= 0 && IsFullClasses(full) && IsBig(full);
        }

        private bool IsFullClasses(int id) => Nodes[id].Shape.Has(Axes.Class) && Nodes[id].Shape.ClassDomain.Length == 0;

        /// <summary>
        /// <c>scatter_list(x)</c> over all classes: small when x has no spatial axis (a host value becomes a
        /// <c>(1, C)</c> tensor of its multiples), the plain full-size scatter otherwise.
        /// </summary>
        private int Scatter(int x, string list) =>
            Append(new Node(Op.Scatter, new[] { x }.ToEquatableArray(), new Shape(Nodes[x].Shape.Axes | Axes.Class, ""), Name: list));

        private int Multiply(int big, int small) =>
            Append(new Node(Op.Multiply, new[] { big, small }.ToEquatableArray(), Union(big, small)));

        private Shape Union(int a, int b) => new(Nodes[a].Shape.Axes | Nodes[b].Shape.Axes, "");
    }
}
