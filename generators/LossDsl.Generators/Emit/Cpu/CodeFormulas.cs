using System.Linq;
using LossDsl.Generators.Common;
using LossDsl.Generators.Ir;
using LossDsl.Generators.Model;

namespace LossDsl.Generators.Emit.Cpu;

/// <summary>
/// The formula of one node in terms of the variables the generated code gives its operands
/// (<c>product4 = selected2·selected3</c>): every comment names values exactly as the code does, and a comment's
/// length does not grow with the depth of the loss.
/// </summary>
internal sealed class CodeFormulas
{
    private readonly Graph named;

    public CodeFormulas(Graph graph, CpuNames names)
    {
        named = new Graph(graph.Nodes.Select((node, id) => node.Op switch
        {
            Op.Input or Op.Hyper => node with { Name = Bare(names[id]), Label = Bare(names[id]) },
            Op.Constant => node,
            Op.Select or Op.Scatter => node with { Name = Bare(names.ClassList(node.Name)), Label = Bare(names[id]) },
            Op.Extent when node.Name.Length > 0 => node with { Name = Bare(names.ClassList(node.Name)), Label = Bare(names[id]) },
            _ => node with { Label = Bare(names[id]) },
        }).ToEquatableArray());
    }

    /// <summary>The right-hand side for node <paramref name="id"/>: its operation over its operands' names.</summary>
    public string Of(int id) => FormulaPrinter.Print(named, id);

    private static string Bare(string identifier) => identifier.TrimStart('@');
}
