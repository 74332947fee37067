using System;
using System.Collections.Generic;
using System.Linq;
using LossDsl.Generators.Ir;

namespace LossDsl.Generators.Passes;

/// <summary>
/// Reverse-mode differentiation of a graph: one backward sweep that applies <see cref="DerivativeRules"/> and
/// appends the derivative nodes to the same graph, so they share (through the builder's hash-consing) every forward
/// value they reuse, and are folded and simplified as they are built (Enzyme's "differentiate optimised code").
/// </summary>
internal static class Differentiator
{
    /// <summary>
    /// Appends reverse-mode derivatives of <paramref name="result"/> w.r.t. each Input node named in
    /// <paramref name="fieldNames"/>; returns the pruned graph (Graph.Prune over result + gradients), the new result
    /// id and one gradient id per field (−1 if the result does not depend on it). A gradient may have fewer axes than
    /// its field: it is then constant along the missing ones (broadcast it when writing it out).
    /// </summary>
    public static (Graph Graph, int Result, int[] Gradients) Differentiate(Graph forward, int result, IReadOnlyList<string> fieldNames)
    {
        if (result < 0 || result >= forward.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(result), result, $"the graph has {forward.Count} nodes");
        }

        var builder = new GraphBuilder(forward);
        if (builder.Count != forward.Count)
        {
            // The sweep indexes the builder with forward ids; a graph with duplicate nodes would shift them.
            throw new InvalidOperationException("the forward graph holds duplicate nodes; build it with GraphBuilder");
        }

        var depends = forward.DependsOnInput();
        var adjoints = Enumerable.Repeat(-1, forward.Count).ToArray();
        if (depends[result])
        {
            // The seed ∂L/∂L = 1 (for a non-scalar result this differentiates the sum of its elements).
            adjoints[result] = builder.Constant(1);
        }

        for (var id = result; id >= 0; id--)
        {
            var adjoint = adjoints[id];
            if (adjoint < 0 || !depends[id])
            {
                continue;
            }

            var node = forward[id];
            NameAdjoint(builder, forward.Count, adjoint, node);
            var context = new RuleContext(builder, node, id, adjoint);
            if (DerivativeRules.TryPattern(context, out var target, out var shortcut))
            {
                Accumulate(builder, adjoints, target, Unbroadcast(builder, node.Shape, target, shortcut));
                continue;
            }

            var rule = DerivativeRules.For(node.Op);
            for (var i = 0; i < node.Args.Count; i++)
            {
                var arg = node.Args[i];
                if (depends[arg])
                {
                    var contribution = rule(context, i);
                    if (contribution >= 0 && !ChangesAxes(node.Op))
                    {
                        contribution = Unbroadcast(builder, node.Shape, arg, contribution);
                    }

                    Accumulate(builder, adjoints, arg, contribution);
                }
            }
        }

        var inputs = new Dictionary<string, int>();
        for (var id = 0; id < forward.Count; id++)
        {
            if (forward[id].Op == Op.Input)
            {
                inputs[forward[id].Name] = id;
            }
        }

        var gradients = new int[fieldNames.Count];
        for (var f = 0; f < fieldNames.Count; f++)
        {
            gradients[f] = inputs.TryGetValue(fieldNames[f], out var input) ? adjoints[input] : -1;
            if (gradients[f] >= forward.Count)
            {
                // The gradient is what callers print and name variables after: it gets the field's name even if
                // the same value was first named as the adjoint of an intermediate.
                builder.Relabel(gradients[f], "dL_d" + fieldNames[f]);
            }
        }

        var graph = builder.ToGraph().Prune(new[] { result }.Concat(gradients), out var remap);
        return (graph, remap[result], gradients.Select(g => g < 0 ? -1 : remap[g]).ToArray());
    }

    /// <summary>Adds <paramref name="contribution"/> to the adjoint of <paramref name="target"/>.</summary>
    private static void Accumulate(GraphBuilder builder, int[] adjoints, int target, int contribution)
    {
        if (contribution >= 0)
        {
            adjoints[target] = adjoints[target] < 0 ? contribution : builder.Add(Op.Add, adjoints[target], contribution);
        }
    }

    /// <summary>
    /// Operations whose operand is not broadcast to the result's shape: a reduction (its rule's contribution is
    /// already right: the adjoint, constant along the reduced axes) and class selection (its rules place classes).
    /// </summary>
    private static bool ChangesAxes(Op op) => op is Op.Sum or Op.MaxOver or Op.Select or Op.Scatter;

    /// <summary>
    /// The contribution to an operand that the forward pass broadcast along some axes of <paramref name="node"/>
    /// ("unbroadcast"): every broadcast copy contributes, so the contribution is summed over those axes where it
    /// varies along them, and multiplied by their extent where it is constant along them (it lacks them).
    /// </summary>
    private static int Unbroadcast(GraphBuilder builder, Shape node, int operand, int contribution)
    {
        var broadcast = node.Axes & ~builder[operand].Shape.Axes;
        var varying = broadcast & builder[contribution].Shape.Axes;
        if (varying != Axes.None)
        {
            contribution = builder.Add(Op.Sum, new[] { contribution }, "", varying);
        }

        var constant = broadcast & ~varying;
        return constant == Axes.None ? contribution : builder.Add(Op.Multiply, builder.Extent(constant, (constant & Axes.Class) != 0 ? node.ClassDomain : ""), contribution);
    }

    /// <summary>Names a new adjoint node after its primal ("tp" → "dL_dtp"); forward values it happens to equal keep their names.</summary>
    private static void NameAdjoint(GraphBuilder builder, int forwardCount, int adjoint, Node primal)
    {
        if (adjoint >= forwardCount && primal.Label.Length > 0)
        {
            builder.Label(adjoint, "dL_d" + primal.Label);
        }
    }
}
