using System;
using System.Collections.Generic;
using System.Linq;
using LossDsl.Generators.Common;

namespace LossDsl.Generators.Ir;

/// <summary>An IR program: nodes in topological order (every operand precedes its users).</summary>
internal sealed record Graph(EquatableArray<Node> Nodes)
{
    public Node this[int id] => Nodes[id];

    public int Count => Nodes.Count;

    /// <summary>Whether node <paramref name="id"/> depends on any <see cref="Op.Input"/> (so has a derivative).</summary>
    public bool[] DependsOnInput()
    {
        var depends = new bool[Count];
        for (var i = 0; i < Count; i++)
        {
            var node = Nodes[i];
            depends[i] = node.Op == Op.Input || node.Args.Any(a => depends[a]);
        }

        return depends;
    }

    /// <summary>
    /// Which nodes <paramref name="roots"/> depend on (themselves included); roots of −1 are ignored. The walk stops at
    /// nodes for which <paramref name="enter"/> is false (they are neither marked nor followed).
    /// </summary>
    public bool[] Reachable(IEnumerable<int> roots, Func<int, bool>? enter = null)
    {
        var reached = new bool[Count];
        var stack = new Stack<int>(roots.Where(r => r >= 0));
        while (stack.Count > 0)
        {
            var id = stack.Pop();
            if (reached[id] || (enter is not null && !enter(id)))
            {
                continue;
            }

            reached[id] = true;
            foreach (var arg in Nodes[id].Args)
            {
                stack.Push(arg);
            }
        }

        return reached;
    }

    /// <summary>
    /// Keeps only the nodes <paramref name="roots"/> need, renumbered in the same order.
    /// <paramref name="remap"/> maps old ids to new ones (−1 for dropped nodes); a root of −1 stays −1.
    /// </summary>
    public Graph Prune(IEnumerable<int> roots, out int[] remap)
    {
        var live = Reachable(roots);
        remap = new int[Count];
        var kept = new List<Node>();
        for (var i = 0; i < Count; i++)
        {
            if (!live[i])
            {
                remap[i] = -1;
                continue;
            }

            var node = Nodes[i];
            var map = remap;
            remap[i] = kept.Count;
            kept.Add(node with { Args = node.Args.Select(a => map[a]).ToEquatableArray() });
        }

        return new Graph(kept.ToEquatableArray());
    }
}
