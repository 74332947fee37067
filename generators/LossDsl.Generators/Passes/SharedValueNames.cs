using System.Collections.Generic;
using System.Linq;
using LossDsl.Generators.Common;
using LossDsl.Generators.Ir;
using LossDsl.Generators.Model;

namespace LossDsl.Generators.Passes;

/// <summary>
/// Names every unnamed value that is used more than once, so that formulas print it once ("where ySum = Σ_x y")
/// instead of repeating it, and generated code calls it by the same name. Derivatives reuse forward values
/// heavily; without this a gradient formula repeats the same denominator a dozen times.
/// </summary>
internal static class SharedValueNames
{
    public static Graph Apply(Graph graph, int result, IEnumerable<int> gradients)
    {
        var roots = gradients.Concat(new[] { result }).ToList();
        var uses = new int[graph.Count];
        var reachable = graph.Reachable(roots);
        foreach (var id in Enumerable.Range(0, graph.Count).Where(i => reachable[i]))
        {
            foreach (var arg in graph[id].Args)
            {
                uses[arg]++;
            }
        }

        var taken = new HashSet<string>(graph.Nodes.Select(n => n.Label).Where(l => l.Length > 0));
        taken.UnionWith(graph.Nodes.Where(n => n.Op is Op.Input or Op.Hyper).Select(n => n.Name));
        var counters = new Dictionary<string, int>();
        var nodes = graph.Nodes.ToArray();
        for (var id = 0; id < nodes.Length; id++)
        {
            var node = nodes[id];
            // Selections (probs[idc]) and negations read as well as a name would.
            if (uses[id] < 2 || node.Label.Length > 0 || node.Op is Op.Input or Op.Hyper or Op.Constant or Op.Extent or Op.Negate or Op.Select)
            {
                continue;
            }

            nodes[id] = node with { Label = FreshName(Stem(nodes, node), taken, counters) };
        }

        if (nodes[result].Label.Length == 0 && nodes[result].Op is not (Op.Input or Op.Hyper or Op.Constant or Op.Extent))
        {
            nodes[result] = nodes[result] with { Label = FreshName("loss", taken, counters) };
        }

        return new Graph(nodes.ToEquatableArray());
    }

    /// <summary>"ySum" for a sum of a named value, otherwise a word for the operation.</summary>
    private static string Stem(Node[] nodes, Node node)
    {
        var operand = node.Args.Count > 0 ? nodes[node.Args[0]] : null;
        var operandName = operand is null ? "" : operand.Op is Op.Input or Op.Hyper ? operand.Name : operand.Label;
        switch (node.Op)
        {
            case Op.Sum when operandName.Length > 0 && !operandName.Contains("_"):
                return operandName + "Sum";
            case Op.Softmax when operandName.Length > 0:
                return operandName + "Softmax";
            default:
                return OpWords.Of(node.Op);
        }
    }

    private static string FreshName(string stem, HashSet<string> taken, Dictionary<string, int> counters)
    {
        if (taken.Add(stem))
        {
            return stem;
        }

        counters.TryGetValue(stem, out var n);
        string name;
        do
        {
            n++;
            name = stem + n;
        }
        while (!taken.Add(name));
        counters[stem] = n;
        return name;
    }
}
