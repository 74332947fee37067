using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using LossDsl.Generators.Common;

namespace LossDsl.Generators.Ir;

/// <summary>
/// A loss's forward graph as text, stored by the generator in the compiled assembly (on <c>NameInfo</c>, attribute
/// <c>LossDsl.LossGraphAttribute</c>) so that a loss in another project can inline it: source is not available across
/// assemblies, the graph is. Tools regenerate the loss's code from it too (<see cref="LossSources"/>). One node per line, <c>op;args;value;name;reduce;label</c>; the last line is the result.
/// </summary>
internal static class GraphText
{
    private const string Header = "lossdsl-graph-v1";

    public static string Write(Graph graph, int result)
    {
        var forward = graph.Prune(new[] { result }, out var remap);
        var text = new StringBuilder(Header).Append('\n');
        foreach (var node in forward.Nodes)
        {
            text.Append(node.Op.ToString()).Append(';')
                .Append(string.Join(",", node.Args.Select(a => a.ToString(CultureInfo.InvariantCulture)))).Append(';')
                .Append(node.Value.ToString("R", CultureInfo.InvariantCulture)).Append(';')
                .Append(node.Name).Append(';')
                .Append(((int)node.Reduce).ToString(CultureInfo.InvariantCulture)).Append(';')
                .Append(node.Label).Append('\n');
        }

        return text.Append("result=").Append(remap[result].ToString(CultureInfo.InvariantCulture)).ToString();
    }

    /// <summary>The nodes of a stored graph (operands by index) and its result, or null when the text is not one.</summary>
    public static (IReadOnlyList<Node> Nodes, int Result)? Read(string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        if (lines.Length < 2 || lines[0] != Header || !lines[lines.Length - 1].StartsWith("result=", StringComparison.Ordinal))
        {
            return null;
        }

        var nodes = new List<Node>();
        for (var i = 1; i < lines.Length - 1; i++)
        {
            var parts = lines[i].Split(';');
            if (parts.Length != 6 || !Enum.TryParse<Op>(parts[0], out var op)
                || !double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                || !int.TryParse(parts[4], NumberStyles.Integer, CultureInfo.InvariantCulture, out var reduce))
            {
                return null;
            }

            var args = new List<int>();
            foreach (var arg in parts[1].Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries))
            {
                if (!int.TryParse(arg, NumberStyles.Integer, CultureInfo.InvariantCulture, out var index) || index < 0 || index >= nodes.Count)
                {
                    return null;
                }

                args.Add(index);
            }

            nodes.Add(new Node(op, args.ToEquatableArray(), Shape.Scalar, value, parts[3], (Axes)reduce, parts[5]));
        }

        return int.TryParse(lines[lines.Length - 1].Substring("result=".Length), NumberStyles.Integer, CultureInfo.InvariantCulture, out var result)
            && result >= 0 && result < nodes.Count
            ? (nodes, result)
            : null;
    }

    /// <summary>
    /// A stored graph as a <see cref="Graph"/> again, its shapes inferred (the text does not store them), labels and
    /// node order as written; null when the text is not one or its shapes do not fit.
    /// </summary>
    public static (Graph Graph, int Result)? ReadGraph(string text)
    {
        if (Read(text) is not { } stored)
        {
            return null;
        }

        var nodes = new Node[stored.Nodes.Count];
        for (var i = 0; i < nodes.Length; i++)
        {
            var node = stored.Nodes[i];
            var shape = ShapeRules.Infer(node.Op, node.Args.Select(a => nodes[a].Shape).ToArray(), node.Name, node.Reduce, out _);
            if (shape is null)
            {
                return null;
            }

            nodes[i] = node with { Shape = shape.Value };
        }

        return (new Graph(nodes.ToEquatableArray()), stored.Result);
    }
}
