using System.Collections.Generic;
using System.Linq;
using LossDsl.Generators.Ir;
using LossDsl.Generators.Passes;

namespace LossDsl.Generators.Emit.Cpu;

/// <summary>
/// Prints one <see cref="PassPlan"/> as one method: a loop over the batch and, inside it, over the positions of the
/// work item one vector at a time; the plan's blocks run in the body, class loops as <c>for</c> loops over the
/// classes. Every value is a vector local named as in the comments; nothing is decided here that the plan did not.
/// </summary>
internal sealed class PassWriter
{
    private readonly IndentedWriter w;
    private readonly ProgramLayout layout;
    private readonly PassPlan pass;
    private readonly Graph graph;
    private readonly CpuNames names;
    private readonly string batch;
    private readonly string position;
    private readonly string lanes;
    private readonly string slotBase;
    private readonly Dictionary<int, string> fieldData = new();
    private readonly Dictionary<int, string> gradientData = new();
    private readonly Dictionary<int, string> wants = new();
    private readonly Dictionary<int, string> broadcasts = new();
    private readonly Dictionary<int, string> accumulators = new();
    private readonly Dictionary<int, string> slots = new();
    private readonly HashSet<int> blockLocals = new();
    private readonly HashSet<int> declared = new();
    private string loopVariable = "";
    private string loopDomain = "";

    public PassWriter(IndentedWriter w, ProgramLayout layout, PassPlan pass)
    {
        this.w = w;
        this.layout = layout;
        this.pass = pass;
        graph = layout.Graph;
        names = layout.Names.Scope();
        batch = names.Fresh("b");
        position = names.Fresh("p");
        lanes = names.Fresh("lanes");
        slotBase = names.Fresh("slot");
    }

    private string T => layout.T;

    private IEnumerable<Step> AllSteps => pass.Blocks.SelectMany(b => b.Groups).SelectMany(g => g.Steps);

    public void Write(string item, string partials, string start, string end)
    {
        var reads = ReadNodes();
        w.Line($"/// <summary>Pass {pass.Number + 1}, one work item: {ProgramWriter.Describe(layout, pass)}.</summary>");
        w.Line($"private void {layout.PassMethods[pass.Number]}(int {item}, {T}[] {partials})");
        using (w.OpenBlock())
        {
            w.Line($"var {start} = ItemStart({item});");
            w.Line($"var {end} = ItemEnd({item});");
            if (pass.Reductions.Count > 0)
            {
                w.Line($"var {slotBase} = {item} * {layout.PassSlots[pass.Number]};");
            }

            WriteReferences(reads);
            WriteAccumulators(resetPerBatch: false, declare: true);
            w.Line($"for (var {batch} = 0; {batch} < Shape.Batches; {batch}++)");
            using (w.OpenBlock())
            {
                WriteAccumulators(resetPerBatch: true, declare: false);
                w.Line($"for (var {position} = {start}; {position} < {end}; {position} += Width)");
                using (w.OpenBlock())
                {
                    w.Line($"var {lanes} = global::System.Math.Min(Width, {end} - {position});");
                    foreach (var block in pass.Blocks)
                    {
                        w.Line();
                        WriteBlock(block);
                    }
                }

                WriteFlush(perBatch: true, partials);
            }

            WriteFlush(perBatch: false, partials);
        }
    }

    /// <summary>Every node the pass body reads or computes.</summary>
    private HashSet<int> ReadNodes()
    {
        var reads = new HashSet<int>();
        foreach (var step in AllSteps)
        {
            reads.Add(step.Node);
            if (step.Kind == StepKind.Compute)
            {
                reads.UnionWith(graph[step.Node].Args);
            }
        }

        return reads;
    }

    private void WriteReferences(HashSet<int> reads)
    {
        foreach (var id in reads.Where(id => graph[id].Op == Op.Input).OrderBy(id => id))
        {
            var field = layout.FieldIndex(id);
            fieldData[id] = names.Fresh(names[id].TrimStart('@') + "Data");
            w.Line($"ref {T} {fieldData[id]} = ref Field({field});");
        }

        foreach (var step in AllSteps.Where(s => s.Kind == StepKind.StoreGradient).GroupBy(s => s.Field).Select(g => g.First()))
        {
            var parameter = layout.FieldParameters[step.Field].Name;
            gradientData[step.Field] = names.Fresh("grad" + char.ToUpperInvariant(parameter[0]) + parameter.Substring(1));
            w.Line($"ref {T} {gradientData[step.Field]} = ref Gradient({step.Field});");
        }

        var conditions = pass.Blocks.SelectMany(b => b.Groups).Where(g => !LoopPlan.Always(g.Need)).Aggregate(0, (a, g) => a | g.Need);
        for (var field = 0; field < layout.FieldParameters.Count; field++)
        {
            if ((conditions & (1 << field)) != 0)
            {
                var parameter = layout.FieldParameters[field].Name;
                wants[field] = names.Fresh("wants" + char.ToUpperInvariant(parameter[0]) + parameter.Substring(1));
                w.Line($"var {wants[field]} = WantsGradient({field});");
            }
        }

        foreach (var id in reads.Where(id => graph[id].Shape.IsScalar).OrderBy(id => id))
        {
            broadcasts[id] = names.Fresh(names[id].TrimStart('@') + "Lanes");
            w.Line($"var {broadcasts[id]} = Broadcast({ProgramWriter.Scalar(layout, id)});");
        }

        foreach (var id in pass.KeptPerClass)
        {
            slots[id] = names.Fresh(names[id].TrimStart('@') + "ByClass");
            w.Line($"var {slots[id]} = ClassSlots({layout.DomainLength(graph[id].Shape.ClassDomain)});");
        }
    }

    private string Identity(int reduction) => graph[reduction].Op == Op.MaxOver ? $"Broadcast({T}.NegativeInfinity)" : $"Broadcast({T}.Zero)";

    /// <summary>The accumulators of the reductions over the positions: declared once, reset per batch item when they keep it.</summary>
    private void WriteAccumulators(bool resetPerBatch, bool declare)
    {
        foreach (var r in pass.Reductions)
        {
            var shape = graph[r].Shape;
            if (declare)
            {
                accumulators[r] = names.Fresh(names[r].TrimStart('@') + "Partial");
                w.Line(shape.Has(Axes.Class)
                    ? $"var {accumulators[r]} = ClassSlots({layout.DomainLength(shape.ClassDomain)});"
                    : $"var {accumulators[r]} = {Identity(r)};");
                continue;
            }

            if (shape.Has(Axes.Batch) == resetPerBatch)
            {
                w.Line(shape.Has(Axes.Class)
                    ? $"global::System.Array.Fill({accumulators[r]}, {Identity(r)});"
                    : $"{accumulators[r]} = {Identity(r)};");
            }
        }

        if (declare)
        {
            // Accumulators that keep the batch axis start per batch item instead.
            foreach (var r in pass.Reductions.Where(r => !graph[r].Shape.Has(Axes.Batch) && graph[r].Shape.Has(Axes.Class)))
            {
                w.Line($"global::System.Array.Fill({accumulators[r]}, {Identity(r)});");
            }
        }
    }

    /// <summary>Each accumulator's lanes, summed, into this work item's partials.</summary>
    private void WriteFlush(bool perBatch, string partials)
    {
        foreach (var r in pass.Reductions.Where(r => graph[r].Shape.Has(Axes.Batch) == perBatch))
        {
            var shape = graph[r].Shape;
            var total = graph[r].Op == Op.MaxOver ? "MaxLanes" : "SumLanes";
            var batchOffset = shape.Has(Axes.Batch) ? (shape.Has(Axes.Class) ? $" + ({batch} * {layout.DomainLength(shape.ClassDomain)})" : $" + {batch}") : "";
            var target = $"{partials}[{slotBase} + {layout.Offsets[r]}{batchOffset}";
            if (shape.Has(Axes.Class))
            {
                var c = names.Fresh("c");
                w.Line($"for (var {c} = 0; {c} < {accumulators[r]}.Length; {c}++)");
                using (w.OpenBlock())
                {
                    w.Line($"{target} + {c}] = {total}({accumulators[r]}[{c}]);");
                }
            }
            else
            {
                w.Line($"{target}] = {total}({accumulators[r]});");
            }
        }
    }

    private void WriteBlock(Block block)
    {
        blockLocals.Clear();
        if (!block.OverClasses)
        {
            loopVariable = "";
            loopDomain = "";
            WriteGroups(block);
            return;
        }

        loopDomain = block.Domain;
        loopVariable = names.Fresh(block.Domain.Length == 0 ? "c" : "k");
        var over = block.Domain.Length == 0 ? "the classes" : "the classes of " + layout.Names.ClassList(block.Domain).TrimStart('@');
        w.Line($"// Over {over}:");
        w.Line($"for (var {loopVariable} = 0; {loopVariable} < {layout.DomainLength(block.Domain)}; {loopVariable}++)");
        using (w.OpenBlock())
        {
            WriteGroups(block);
        }
    }

    private void WriteGroups(Block block)
    {
        foreach (var id in block.Predeclared)
        {
            w.Line($"global::System.Numerics.Vector<{T}> {names[id]} = default;");
            declared.Add(id);
        }

        var first = true;
        foreach (var group in block.Groups)
        {
            if (!first)
            {
                w.Line();
            }

            first = false;
            var condition = layout.Condition(group.Need, wants);
            if (condition is null)
            {
                WriteSteps(group);
                continue;
            }

            w.Line($"if ({condition})");
            using (w.OpenBlock())
            {
                WriteSteps(group);
            }
        }
    }

    private void WriteSteps(StepGroup group)
    {
        foreach (var step in group.Steps)
        {
            switch (step.Kind)
            {
                case StepKind.Load:
                    Define(step.Node, LoadExpression(step.Node), comment: null);
                    break;
                case StepKind.Compute:
                    Define(step.Node, ComputeExpression(step.Node), $"// {Bare(step.Node)} = {layout.Formulas.Of(step.Node)}");
                    if (slots.ContainsKey(step.Node))
                    {
                        w.Line($"{slots[step.Node]}[{loopVariable}] = {names[step.Node]};");
                    }

                    break;
                case StepKind.Start:
                    WriteStart(step.Node);
                    break;
                case StepKind.Reduce:
                    WriteReduce(step.Node, step.Target);
                    break;
                case StepKind.StoreGradient:
                    var parameter = layout.FieldParameters[step.Field].Name;
                    w.Line($"// ∂L/∂{parameter} = {Bare(step.Node)}");
                    w.Line($"Store({Value(step.Node)}, ref {gradientData[step.Field]}, At({batch}, {loopVariable}, {position}), {lanes});");
                    break;
            }
        }
    }

    private void Define(int id, string expression, string? comment)
    {
        if (comment is not null)
        {
            w.Line(comment);
        }

        w.Line(declared.Contains(id) ? $"{names[id]} = {expression};" : $"var {names[id]} = {expression};");
        blockLocals.Add(id);
    }

    private void WriteStart(int id)
    {
        if (graph[id].Op == Op.Scatter)
        {
            w.Line($"global::System.Array.Clear({slots[id]});");
            return;
        }

        w.Line($"// {Bare(id)} = {layout.Formulas.Of(id)}, over the loop below");
        Define(id, Identity(id), comment: null);
    }

    private void WriteReduce(int x, int target)
    {
        var node = graph[target];
        var value = Value(x);
        var isMax = node.Op == Op.MaxOver;
        if (accumulators.TryGetValue(target, out var accumulator))
        {
            var slot = node.Shape.Has(Axes.Class) ? $"{accumulator}[{loopVariable}]" : accumulator;
            w.Line($"// {Bare(target)} = {layout.Formulas.Of(target)}: this vector's share");
            w.Line(isMax
                ? $"{slot} = Max({slot}, ForMax({value}, {lanes}));"
                : $"{slot} += ForSum({value}, {lanes});");
            return;
        }

        if (node.Op == Op.Scatter)
        {
            w.Line($"{slots[target]}[{layout.Names.ClassList(node.Name)}[{loopVariable}]] += {value};");
            return;
        }

        if (node.Reduce == Axes.Class)
        {
            w.Line(isMax ? $"{names[target]} = Max({names[target]}, {value});" : $"{names[target]} += {value};");
            return;
        }

        // A reduction over the batch, kept per position for the next passes.
        var row = node.Shape.Has(Axes.Class) ? $"({loopVariable} * Shape.Positions) + {position}" : position;
        w.Line($"// {Bare(target)} = {layout.Formulas.Of(target)}: this batch item's share, kept per position");
        w.Line($"{(isMax ? "MaxInto" : "AddInto")}({value}, this.{names[target]}, {row}, {lanes}, {batch} == 0);");
    }

    private string LoadExpression(int id)
    {
        if (graph[id].Op == Op.Input)
        {
            return $"Load(ref {fieldData[id]}, At({batch}, {ClassOf(loopDomain)}, {position}), {lanes})";
        }

        var row = graph[id].Shape.Has(Axes.Class) ? $"({loopVariable} * Shape.Positions) + {position}" : position;
        return $"Load(this.{names[id]}, {row}, {lanes})";
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
                return $"Load(ref {fieldData[x]}, At({batch}, {listed}, {position}), {lanes})";
            }

            if (slots.ContainsKey(x))
            {
                return $"{slots[x]}[{listed}]";
            }

            return $"Load(this.{names[x]}, ({listed} * Shape.Positions) + {position}, {lanes})";
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

    /// <summary>Node <paramref name="id"/> at the current position vector (and class, inside a class loop).</summary>
    private string Value(int id)
    {
        if (broadcasts.TryGetValue(id, out var broadcast))
        {
            return broadcast;
        }

        var shape = graph[id].Shape;
        if (!shape.Has(Axes.Spatial))
        {
            var c = shape.Has(Axes.Class) ? loopVariable : "0";
            return $"Broadcast({names[id]}.At({batch}, {c}))";
        }

        if (slots.TryGetValue(id, out var slot) && !blockLocals.Contains(id))
        {
            return $"{slot}[{loopVariable}]";
        }

        return names[id];
    }

    private string Bare(int id) => names[id].TrimStart('@');
}
