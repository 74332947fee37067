using System;
using System.Linq;
using LossDsl.Generators.Common;
using LossDsl.Generators.Ir;

namespace LossDsl.Generators.Emit;

/// <summary>
/// The formula of one node in terms of the variables the generated code gives its operands
/// (<c>product4 = selected2·selected3</c>): every comment names values exactly as the code does, an operand without a
/// variable of its own (fused into the expression that uses it) is written out in place, and a comment's length does
/// not grow with the depth of the loss.
/// </summary>
internal sealed class CodeFormulas
{
    private readonly Graph named;

    /// <param name="graph">The graph the code computes.</param>
    /// <param name="variable">The code's variable for a node, or null where the node has none.</param>
    /// <param name="classList">The code's name for a class-list parameter.</param>
    public CodeFormulas(Graph graph, Func<int, string?> variable, Func<string, string> classList)
    {
        named = new Graph(graph.Nodes.Select((node, id) =>
        {
            var name = variable(id);
            var label = name is null ? "" : Bare(name);
            return node.Op switch
            {
                Op.Input or Op.Hyper => node with { Name = label, Label = label },
                Op.Constant => node,
                Op.Select or Op.Scatter => node with { Name = Bare(classList(node.Name)), Label = label },
                Op.Extent when node.Name.Length > 0 => node with { Name = Bare(classList(node.Name)), Label = label },
                _ => node with { Label = label },
            };
        }).ToEquatableArray());
    }

    /// <summary>The right-hand side for node <paramref name="id"/>: its operation over its operands' names.</summary>
    public string Of(int id) => FormulaPrinter.Print(named, id);

    private static string Bare(string identifier) => identifier.TrimStart('@');
}
