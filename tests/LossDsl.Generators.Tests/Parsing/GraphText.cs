using System.Globalization;
using System.Linq;
using LossDsl.Generators.Ir;

namespace LossDsl.Generators.Tests.Parsing;

/// <summary>
/// A node as an S-expression over its operands, independent of node numbering and labels, so that tests can state
/// the structure a declaration must parse into, e.g. <c>(Divide (Sum[All] …) (Extent[All,idc]))</c>.
/// </summary>
internal static class GraphText
{
    public static string Of(Graph graph, int id)
    {
        var node = graph[id];
        return node.Op switch
        {
            Op.Input => node.Name,
            Op.Hyper => "$" + node.Name,
            Op.Constant => node.Value.ToString("R", CultureInfo.InvariantCulture),
            Op.Extent => $"(Extent[{Axes(node.Reduce)},{node.Name}])",
            Op.Sum => $"(Sum[{Axes(node.Reduce)}] {Of(graph, node.Args[0])})",
            Op.Select => $"(Select[{node.Name}] {Of(graph, node.Args[0])})",
            _ => "(" + node.Op + " " + string.Join(" ", node.Args.Select(a => Of(graph, a))) + ")",
        };
    }

    private static string Axes(LossDsl.Generators.Ir.Axes axes) => axes == LossDsl.Generators.Ir.Axes.All ? "All" : axes.ToString().Replace(", ", "+");
}
