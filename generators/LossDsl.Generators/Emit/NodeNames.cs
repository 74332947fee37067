using System.Collections.Generic;
using System.Text;
using LossDsl.Generators.Ir;
using Microsoft.CodeAnalysis.CSharp;

namespace LossDsl.Generators.Emit;

/// <summary>
/// C# identifiers for IR nodes: the node's label where it has one (a local of the declaration or a name derived
/// from one), otherwise a word for its operation and its number; never a bare <c>t17</c>.
/// </summary>
internal sealed class NodeNames
{
    private readonly string[] names;

    public NodeNames(Graph graph, IEnumerable<string> reserved)
    {
        names = new string[graph.Count];
        var used = new HashSet<string>(reserved);
        for (var id = 0; id < graph.Count; id++)
        {
            var node = graph[id];
            var name = node.Op is Op.Input or Op.Hyper ? node.Name : Sanitize(node.Label);
            if (name.Length == 0)
            {
                name = Word(node.Op) + id;
            }

            if (!used.Add(name))
            {
                // Parameters keep their names unless they collide with a member of the generated program class.
                name = name + (node.Op is Op.Input or Op.Hyper ? "Value" : "_" + id);
                used.Add(name);
            }

            if (SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) != SyntaxKind.None)
            {
                name = "@" + name;
            }

            names[id] = name;
        }
    }

    public string this[int id] => names[id];

    private static string Word(Op op) => OpWords.Of(op);

    private static string Sanitize(string label)
    {
        var text = new StringBuilder();
        foreach (var ch in label)
        {
            if (char.IsLetterOrDigit(ch) || ch == '_')
            {
                text.Append(ch);
            }
            else if (ch == '∂')
            {
                text.Append('d');
            }
        }

        if (text.Length > 0 && char.IsDigit(text[0]))
        {
            text.Insert(0, '_');
        }

        return text.ToString();
    }
}
