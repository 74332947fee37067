using System.Collections.Generic;
using System.Linq;
using LossDsl.Generators.Ir;
using LossDsl.Generators.Passes;

namespace LossDsl.Generators.Emit.Cpu;

/// <summary>
/// Prints one <see cref="PassPlan"/> as one method: for every batch item, the work item's positions tile by tile;
/// in a tile the plan's blocks run in order, each as a loop over the tile's vectors (inside a loop over the classes
/// for a class block). Values are vector locals named as in the comments; a value one block hands to a later one
/// goes through the tile's slots (L1-resident). Nothing is decided here that the plan did not.
/// </summary>
internal sealed class PassWriter
{
    private readonly IndentedWriter w;
    private readonly ProgramLayout layout;
    private readonly PassPlan pass;
    private readonly Graph graph;
    private readonly CpuNames names;
    private readonly string batch;
    private readonly string tile;
    private readonly string vectors;
    private readonly string vector;
    private readonly string position;
    private readonly string lanes;
    private readonly string slotBase;
    private readonly string row;
    private readonly Dictionary<int, string> fieldData = new();
    private readonly Dictionary<int, string> gradientData = new();
    private readonly Dictionary<int, string> wants = new();
    private readonly Dictionary<int, string> broadcasts = new();
    private readonly Dictionary<int, string> accumulators = new();
    private readonly Dictionary<int, string> slots = new();
    private readonly Dictionary<int, string> tileValues = new();
    private readonly HashSet<int> blockLocals = new();
    private readonly HashSet<int> declared = new();
    private readonly Dictionary<int, string> shares = new();
    private readonly Dictionary<int, string> smallHere = new();
    private string end = "";
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
        tile = names.Fresh("tile");
        vectors = names.Fresh("vectors");
        vector = names.Fresh("v");
        // The position of the current vector, written out where it is used (lanes, rows of per-position values).
        position = "(" + tile + " + (" + vector + " * Width))";
        lanes = names.Fresh("lanes");
        slotBase = names.Fresh("slot");
        row = names.Fresh("row");
    }

    private string T => layout.T;

    private IEnumerable<Step> AllSteps => pass.Blocks.SelectMany(b => b.Groups).SelectMany(g => g.Steps);

    public void Write(string item, string partials, string start, string endName)
    {
        end = endName;
        w.Line($"/// <summary>Pass {pass.Number + 1}, one work item: {ProgramWriter.Describe(layout, pass)}.</summary>");
        // Fully optimised from the first call: a pass is one long loop, which tiering would run as on-stack-replaced
        // code (vector locals kept in memory) until the method is called often enough.
        w.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]");
        w.Line($"private void {layout.PassMethods[pass.Number]}(int {item}, {T}[] {partials})");
        using (w.OpenBlock())
        {
            w.Line($"var {start} = ItemStart({item});");
            w.Line($"var {end} = ItemEnd({item});");
            if (pass.Reductions.Count > 0)
            {
                w.Line($"var {slotBase} = {item} * {layout.PassSlots[pass.Number]};");
            }

            WriteReferences();
            WriteAccumulators(resetPerBatch: false, declare: true);
            w.Line($"for (var {batch} = 0; {batch} < Shape.Batches; {batch}++)");
            using (w.OpenBlock())
            {
                WriteAccumulators(resetPerBatch: true, declare: false);
                w.Line($"for (var {tile} = {start}; {tile} < {end}; {tile} += TileLength)");
                using (w.OpenBlock())
                {
                    w.Line($"var {vectors} = VectorsIn({tile}, {end});");
                    foreach (var data in fieldData.Values)
                    {
                        w.Line($"PrefetchNextTile(ref {data}, {batch}, {tile}, {end});");
                    }

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

    private void WriteReferences()
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

        foreach (var id in reads.Where(id => graph[id].Op == Op.Input).OrderBy(id => id))
        {
            fieldData[id] = names.Fresh(names[id].TrimStart('@') + "Data");
            w.Line($"ref {T} {fieldData[id]} = ref Field({layout.FieldIndex(id)});");
        }

        foreach (var field in AllSteps.Where(s => s.Kind == StepKind.StoreGradient).Select(s => s.Field).Distinct())
        {
            gradientData[field] = names.Fresh("grad" + Capitalized(layout.FieldParameters[field].Name));
            w.Line($"ref {T} {gradientData[field]} = ref Gradient({field});");
        }

        var conditions = pass.Blocks.SelectMany(b => b.Groups).Where(g => !LoopPlan.Always(g.Need)).Aggregate(0, (a, g) => a | g.Need);
        for (var field = 0; field < layout.FieldParameters.Count; field++)
        {
            if ((conditions & (1 << field)) != 0)
            {
                wants[field] = names.Fresh("wants" + Capitalized(layout.FieldParameters[field].Name));
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
            w.Line($"var {slots[id]} = TileSlots({layout.DomainLength(graph[id].Shape.ClassDomain)});");
        }

        foreach (var id in HandedOn())
        {
            tileValues[id] = names.Fresh(names[id].TrimStart('@') + "Tile");
            w.Line($"var {tileValues[id]} = TileSlots(1);");
        }
    }

    /// <summary>Values without a class axis that a block computes and a later block reads: kept per vector of the tile.</summary>
    private IEnumerable<int> HandedOn()
    {
        var definedIn = new Dictionary<int, int>();
        var readIn = new Dictionary<int, HashSet<int>>();
        for (var index = 0; index < pass.Blocks.Count; index++)
        {
            foreach (var step in pass.Blocks[index].Groups.SelectMany(g => g.Steps))
            {
                if (step.Kind is StepKind.Compute or StepKind.Start && graph[step.Node].Op != Op.Scatter && !graph[step.Node].Shape.Has(Axes.Class))
                {
                    definedIn[step.Node] = index;
                }

                var read = step.Kind switch
                {
                    StepKind.Compute => graph[step.Node].Args.ToArray(),
                    StepKind.Reduce => new[] { step.Node, step.Target },
                    StepKind.StoreGradient => new[] { step.Node },
                    _ => System.Array.Empty<int>(),
                };
                foreach (var id in read)
                {
                    if (!readIn.TryGetValue(id, out var blocks))
                    {
                        readIn[id] = blocks = new HashSet<int>();
                    }

                    blocks.Add(index);
                }
            }
        }

        return definedIn.Where(d => readIn.TryGetValue(d.Key, out var blocks) && blocks.Any(b => b != d.Value))
            .Select(d => d.Key).OrderBy(id => id).ToList();
    }

    private string Identity(int reduction) => graph[reduction].Op == Op.MaxOver ? $"Broadcast({T}.NegativeInfinity)" : $"Broadcast({T}.Zero)";

    /// <summary>The accumulators of the reductions over the positions: declared once, reset per batch item when they keep it.</summary>
    private void WriteAccumulators(bool resetPerBatch, bool declare)
    {
        foreach (var r in pass.Reductions)
        {
            var shape = graph[r].Shape;
            var perClass = shape.Has(Axes.Class);
            if (declare)
            {
                accumulators[r] = names.Fresh(names[r].TrimStart('@') + "Partial");
                w.Line(perClass
                    ? $"var {accumulators[r]} = ClassSlots({layout.DomainLength(shape.ClassDomain)});"
                    : $"var {accumulators[r]} = {Identity(r)};");
                if (perClass && !shape.Has(Axes.Batch) && graph[r].Op == Op.MaxOver)
                {
                    w.Line($"{accumulators[r]}.Fill({Identity(r)});");
                }

                continue;
            }

            if (shape.Has(Axes.Batch) && resetPerBatch)
            {
                w.Line(perClass
                    ? $"{accumulators[r]}.Fill({Identity(r)});"
                    : $"{accumulators[r]} = {Identity(r)};");
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
                var c = names.Scope().Fresh("c");
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
        declared.Clear();
        foreach (var scatter in block.Groups.SelectMany(g => g.Steps).Where(s => s.Kind == StepKind.Start && graph[s.Node].Op == Op.Scatter))
        {
            w.Line($"// {layout.Formulas.Of(scatter.Node)} → {Bare(scatter.Node)}, over the loops below");
            w.Line($"{slots[scatter.Node]}.Clear();");
        }

        if (!block.Groups.SelectMany(g => g.Steps).Any(s => !(s.Kind == StepKind.Start && graph[s.Node].Op == Op.Scatter)))
        {
            return;
        }

        // A block that only gradients need runs only when one of them is wanted: its loops are skipped, not just its statements.
        var needs = block.Groups.Where(g => g.Steps.Any(s => !(s.Kind == StepKind.Start && graph[s.Node].Op == Op.Scatter))).Select(g => g.Need).ToList();
        var condition = needs.Any(LoopPlan.Always) ? null : layout.Condition(needs.Aggregate(0, (a, n) => a | n), wants);
        if (condition is not null)
        {
            w.Line($"if ({condition})");
            using (w.OpenBlock())
            {
                WriteBlockBody(block);
            }

            return;
        }

        WriteBlockBody(block);
    }

    private void WriteBlockBody(Block block)
    {
        if (!block.OverClasses)
        {
            loopVariable = "";
            loopDomain = "";
            WriteVectorLoop(block);
            return;
        }

        loopDomain = block.Domain;

        // Sibling loops share a name: each loop variable lives in its own scope.
        loopVariable = names.Scope().Fresh(block.Domain.Length == 0 ? "c" : "k");
        var over = block.Domain.Length == 0 ? "the classes" : "the classes of " + layout.Names.ClassList(block.Domain).TrimStart('@');
        w.Line($"// Over {over}:");
        w.Line($"for (var {loopVariable} = 0; {loopVariable} < {layout.DomainLength(block.Domain)}; {loopVariable}++)");
        using (w.OpenBlock())
        {
            WriteVectorLoop(block);
        }
    }

    private void WriteVectorLoop(Block block)
    {
        var touchesFields = block.Groups.SelectMany(g => g.Steps).Any(s =>
            s.Kind == StepKind.StoreGradient || (s.Kind == StepKind.Load && graph[s.Node].Op == Op.Input)
            || (s.Kind == StepKind.Compute && graph[s.Node].Op == Op.Select && graph[graph[s.Node].Args[0]].Op == Op.Input));
        if (touchesFields)
        {
            // Fields share one layout: the offset of this tile's row of the current plane serves every field read here.
            w.Line($"var {row} = At({batch}, {ClassOf(block.Domain)}, {tile});");
        }

        // This block's share of each reduction over the positions, in a register; added to the accumulator after the loop.
        shares.Clear();
        smallHere.Clear();

        // A block outside the class loops declares these in the tile's scope, which encloses the later blocks: their
        // names are unique in the whole pass.
        var scope = names;
        foreach (var r in block.Groups.SelectMany(g => g.Steps).Where(s => s.Kind == StepKind.Reduce && accumulators.ContainsKey(s.Target)).Select(s => s.Target).Distinct())
        {
            shares[r] = scope.Fresh(names[r].TrimStart('@') + "Share");
            w.Line($"var {shares[r]} = {Identity(r)};");
        }

        // Values without positions (per batch item, per class) read by the block: broadcast once, not per vector.
        foreach (var id in BlockReads(block).Where(id => !graph[id].Shape.Has(Axes.Spatial) && !broadcasts.ContainsKey(id)).Distinct().OrderBy(id => id))
        {
            var c = graph[id].Shape.Has(Axes.Class) ? loopVariable : "0";
            smallHere[id] = scope.Fresh(names[id].TrimStart('@') + "Lanes");
            var read = $"Broadcast({names[id]}.At({batch}, {c}))";
            var condition = layout.Condition(layout.Plan.Need[id], wants);
            w.Line(condition is null
                ? $"var {smallHere[id]} = {read};"
                : $"var {smallHere[id]} = {condition} ? {read} : default;");
        }

        w.Line($"for (var {vector} = 0; {vector} < {vectors}; {vector}++)");
        using (w.OpenBlock())
        {
            w.Line($"var {lanes} = {end} - {position};");
            foreach (var id in block.Predeclared)
            {
                w.Line($"global::System.Numerics.Vector<{T}> {names[id]} = default;");
                declared.Add(id);
            }

            foreach (var group in block.Groups)
            {
                var steps = group.Steps.Where(s => !(s.Kind == StepKind.Start && graph[s.Node].Op == Op.Scatter)).ToList();
                if (steps.Count == 0)
                {
                    continue;
                }

                var condition = layout.Condition(group.Need, wants);
                if (condition is null)
                {
                    WriteSteps(steps);
                    continue;
                }

                w.Line($"if ({condition})");
                using (w.OpenBlock())
                {
                    WriteSteps(steps);
                }
            }
        }

        foreach (var share in shares)
        {
            var accumulator = accumulators[share.Key];
            var slot = graph[share.Key].Shape.Has(Axes.Class) ? $"{accumulator}[{loopVariable}]" : accumulator;
            w.Line(graph[share.Key].Op == Op.MaxOver ? $"{slot} = Max({slot}, {share.Value});" : $"{slot} += {share.Value};");
        }
    }

    private void WriteSteps(IEnumerable<Step> steps)
    {
        foreach (var step in steps)
        {
            switch (step.Kind)
            {
                case StepKind.Load:
                    Define(step.Node, LoadExpression(step.Node), comment: null);
                    break;
                case StepKind.Compute:
                    Define(step.Node, ComputeExpression(step.Node), $"// {Bare(step.Node)} = {layout.Formulas.Of(step.Node)}");
                    break;
                case StepKind.Start:
                    w.Line($"// {Bare(step.Node)} = {layout.Formulas.Of(step.Node)}, over the loop below");
                    Define(step.Node, Identity(step.Node), comment: null);
                    break;
                case StepKind.Reduce:
                    WriteReduce(step.Node, step.Target);
                    break;
                case StepKind.Save:
                    w.Line($"// {Bare(step.Node)}, saved whole for the next passes");
                    w.Line($"Store({Value(step.Node)}, this.{names[step.Node]}, {BufferIndex(step.Node, loopVariable)}, {lanes});");
                    break;
                case StepKind.StoreGradient:
                    w.Line($"// ∂L/∂{layout.FieldParameters[step.Field].Name} = {Bare(step.Node)}");
                    w.Line($"Store({Value(step.Node)}, ref {gradientData[step.Field]}, {row} + ({vector} * Width), {lanes});");
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
        if (slots.TryGetValue(id, out var slot))
        {
            w.Line($"{slot}[{SlotIndex(loopVariable)}] = {names[id]};");
        }
        else if (tileValues.TryGetValue(id, out var kept))
        {
            w.Line($"{kept}[{vector}] = {names[id]};");
        }
    }

    /// <summary>The slot of class <paramref name="classIndex"/> at the current vector.</summary>
    private string SlotIndex(string classIndex) => $"({classIndex} * TileVectors) + {vector}";

    private void WriteReduce(int x, int target)
    {
        var node = graph[target];
        var value = Value(x);
        var isMax = node.Op == Op.MaxOver;
        if (shares.TryGetValue(target, out var slot))
        {
            w.Line($"// {layout.Formulas.Of(target)} → {Bare(target)} (this vector's share)");
            var statement = isMax ? $"{slot} = Max({slot}, ForMax({value}, {lanes}));" : $"{slot} += ForSum({value}, {lanes});";

            // A value without a batch axis is the same for every batch item: it is taken once.
            w.Line(graph[x].Shape.Has(Axes.Batch) ? statement : $"if ({batch} == 0) {statement}");
            return;
        }

        if (node.Op == Op.Scatter)
        {
            var at = SlotIndex($"{layout.Names.ClassList(node.Name)}[{loopVariable}]");
            w.Line($"{slots[target]}[{at}] += {value};");
            return;
        }

        if (node.Reduce == Axes.Class)
        {
            var running = Value(target);
            w.Line(isMax ? $"{running} = Max({running}, {value});" : $"{running} += {value};");
            return;
        }

        // A reduction over the batch, kept per position for the next passes.
        w.Line($"// {layout.Formulas.Of(target)} → {Bare(target)} (this batch item's share, kept per position)");
        w.Line($"{(isMax ? "MaxInto" : "AddInto")}({value}, this.{names[target]}, {BufferIndex(target, loopVariable)}, {lanes}, {batch} == 0);");
    }

    private string LoadExpression(int id)
    {
        if (graph[id].Op == Op.Input)
        {
            return $"Load(ref {fieldData[id]}, {row} + ({vector} * Width), {lanes})";
        }

        return $"Load(this.{names[id]}, {BufferIndex(id, loopVariable)}, {lanes})";
    }

    /// <summary>
    /// The element of the current vector in a value kept whole (<c>FusedProgram.Keep</c>): rows of positions per
    /// batch item and class, as far as the value has those axes; <paramref name="classIndex"/> is its row's class.
    /// </summary>
    private string BufferIndex(int id, string classIndex)
    {
        var shape = graph[id].Shape;
        var row = (shape.Has(Axes.Batch), shape.Has(Axes.Class)) switch
        {
            (true, true) => $"({batch} * {layout.DomainLength(shape.ClassDomain)}) + {classIndex}",
            (true, false) => batch,
            (false, true) => classIndex,
            _ => "",
        };
        return row.Length == 0 ? position : $"(({row}) * Shape.Positions) + {position}";
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
                return $"Load(ref {fieldData[x]}, {row} + ({vector} * Width), {lanes})";
            }

            if (slots.ContainsKey(x))
            {
                return $"{slots[x]}[{SlotIndex(listed)}]";
            }

            return $"Load(this.{names[x]}, {BufferIndex(x, listed)}, {lanes})";
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
            return $"{slot}[{SlotIndex(loopVariable)}]";
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
