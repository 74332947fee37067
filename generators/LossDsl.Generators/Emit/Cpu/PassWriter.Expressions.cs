using System.Collections.Generic;
using System.Linq;
using LossDsl.Generators.Ir;
using LossDsl.Generators.Passes;

namespace LossDsl.Generators.Emit.Cpu;

// The right-hand sides: loads, buffer indices and the vector expression of each operation.
internal sealed partial class PassWriter
{
    private string LoadExpression(int id) =>
        graph[id].Op == Op.Input ? FieldLoad(id) : $"Load(ref {KeptData(id)}, {KeptIndex(id, loopVariable)}, {lanes})";

    private string FieldLoad(int id) => $"Load(ref {fieldData[id]}, {FieldIndex()}, {lanes})";

    /// <summary>The element of the current vector in a field (or a gradient): every field has the same layout.</summary>
    private string FieldIndex() => $"{RowOf($"At({batch}, {ClassOf(loopDomain)}, {tile})", row)} + ({vector} * Width)";

    /// <summary>
    /// The element of the current vector in a value kept whole (<c>FusedProgram.Keep</c>): rows of positions per
    /// batch item and class, as far as the value has those axes; <paramref name="classIndex"/> is its row's class.
    /// A value of every class of every batch item has the fields' layout, and shares their row.
    /// </summary>
    private string KeptIndex(int id, string classIndex)
    {
        var shape = graph[id].Shape;
        // Named after the layout, since values of one layout share a row.
        var (rowOffset, rowName) = (shape.Has(Axes.Batch), shape.Has(Axes.Class)) switch
        {
            (true, true) when shape.ClassDomain.Length == 0 => ($"At({batch}, {classIndex}, {tile})", row),
            (true, true) => ($"((({batch} * {layout.DomainLength(shape.ClassDomain)}) + {classIndex}) * Shape.Positions) + {tile}",
                layout.Names.ClassList(shape.ClassDomain).TrimStart('@') + "Row"),
            (true, false) => ($"({batch} * Shape.Positions) + {tile}", "batchRow"),
            (false, true) => ($"({classIndex} * Shape.Positions) + {tile}", "classRow"),
            _ => (tile, tile),
        };
        return $"{(rowOffset == tile ? tile : RowOf(rowOffset, rowName))} + ({vector} * Width)";
    }

    /// <summary>The reference to the first element of value <paramref name="id"/>, kept whole (declared at the top of the pass).</summary>
    private string KeptData(int id)
    {
        if (!keptData.TryGetValue(id, out var name))
        {
            keptData[id] = name = names.Fresh(Bare(id) + "Data");
        }

        return name;
    }

    /// <summary>
    /// The local holding row offset <paramref name="expression"/> in the current vector loop: computed once per row,
    /// not per vector. <paramref name="preferred"/> is its name unless another row has it; names are fresh in the pass.
    /// </summary>
    private string RowOf(string expression, string preferred)
    {
        if (!rows.TryGetValue(expression, out var name))
        {
            name = preferred == row && !rows.ContainsValue(row) ? row : names.Fresh(preferred == row ? "row" : preferred);
            rows[expression] = name;
            rowOrder.Add(new KeyValuePair<string, string>(expression, name));
        }

        return name;
    }

    /// <summary>The class the current loop is at: its variable, or the listed class it stands for.</summary>
    private string ClassOf(string domain) =>
        domain.Length == 0 ? loopVariable : $"{layout.Names.ClassList(domain)}[{loopVariable}]";

    private string ComputeExpression(int id)
    {
        var node = graph[id];
        if (node.Op == Op.Select)
        {
            var x = node.Args[0];
            var listed = $"{layout.Names.ClassList(node.Name)}[{loopVariable}]";
            if (graph[x].Op == Op.Input)
            {
                return FieldLoad(x);
            }

            if (slots.ContainsKey(x))
            {
                return SlotOf(slots[x], listed);
            }

            return $"Load(ref {KeptData(x)}, {KeptIndex(x, listed)}, {lanes})";
        }

        var a = node.Args.Count > 0 ? Value(node.Args[0]) : "";
        var b = node.Args.Count > 1 ? Value(node.Args[1]) : "";
        return node.Op switch
        {
            Op.Add => $"{a} + {b}",
            Op.Subtract => $"{a} - {b}",
            Op.Multiply => $"{a} * {b}",
            Op.Divide => $"{a} / {b}",
            Op.Negate => $"-{a}",
            Op.Square => $"{a} * {a}",
            Op.Log or Op.Exp or Op.Sqrt or Op.Abs or Op.Sigmoid or Op.Sign or Op.Step => $"{node.Op}({a})",
            Op.Pow => $"Pow({a}, {b})",
            Op.Minimum => $"Min({a}, {b})",
            Op.Maximum => $"Max({a}, {b})",
            Op.GreaterOrEqual => $"GreaterOrEqual({a}, {b})",
            _ => throw new System.InvalidOperationException($"{node.Op} has no vector form inside a pass"),
        };
    }

    /// <summary>Node <paramref name="id"/> at the current vector (and class, inside a class loop).</summary>
    private string Value(int id)
    {
        if (broadcasts.TryGetValue(id, out var broadcast))
        {
            return broadcast;
        }

        if (smallHere.TryGetValue(id, out var here))
        {
            return here;
        }

        var shape = graph[id].Shape;
        if (!shape.Has(Axes.Spatial))
        {
            var c = shape.Has(Axes.Class) ? loopVariable : "0";
            return $"Broadcast({names[id]}.At({batch}, {c}))";
        }

        if (blockLocals.Contains(id))
        {
            return names[id];
        }

        if (slots.TryGetValue(id, out var slot))
        {
            return SlotOf(slot, loopVariable);
        }

        return tileValues.TryGetValue(id, out var kept) ? $"{kept}[{vector}]" : names[id];
    }

    private IEnumerable<int> BlockReads(Block block) =>
        block.Groups.SelectMany(g => g.Steps).SelectMany(s => s.Kind switch
        {
            StepKind.Compute => graph[s.Node].Args.AsEnumerable(),
            StepKind.Reduce or StepKind.StoreGradient => new[] { s.Node },
            _ => System.Array.Empty<int>(),
        });

    private string Bare(int id) => names[id].TrimStart('@');

    private static string Capitalized(string name) => char.ToUpperInvariant(name[0]) + name.Substring(1);
}
