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
internal sealed partial class PassWriter
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

    /// <summary>The pass method's type parameter: whether a row's last vector may be partial (<c>IVectorTail</c>).</summary>
    private readonly string tail;

    /// <summary>The condition of the block being written, where it has one: its groups under the same need no second test.</summary>
    private string? enclosing;

    /// <summary>The need of the group being written (a kept value's slot store needs no test when it implies the store's).</summary>
    private int groupNeed = LoopPlan.ValueBit;
    private readonly string slotBase;
    private readonly string row;

    /// <summary>The work item's first batch item: its partials of a reduction kept per batch item start with that row.</summary>
    private readonly string firstBatch;
    private readonly Dictionary<int, string> fieldData = new();

    /// <summary>The values kept whole that this pass reads or writes, by the name of their first element's reference.</summary>
    private readonly Dictionary<int, string> keptData = new();

    /// <summary>The row offsets the current vector loop uses, by their expression: each declared once, in front of the loop.</summary>
    private readonly Dictionary<string, string> rows = new(System.StringComparer.Ordinal);

    /// <summary><see cref="rows"/> in the order of their first use (the order they are declared in).</summary>
    private readonly List<KeyValuePair<string, string>> rowOrder = new();
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
    private readonly Dictionary<int, int> keptNeed;
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
        // The position of the current vector, written out where it is used (the count of its lanes).
        position = "(" + tile + " + (" + vector + " * Width))";
        lanes = names.Fresh("lanes");
        tail = names.Fresh("TTail");
        slotBase = names.Fresh("slot");
        keptNeed = pass.KeptPerClass.Zip(pass.KeptNeed, (id, need) => (id, need)).ToDictionary(k => k.id, k => k.need);
        row = names.Fresh("row");
        firstBatch = names.Fresh("firstBatch");
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
        w.Line($"private void {layout.PassMethods[pass.Number]}<{tail}>(int {item}, {T}[] {partials}) where {tail} : struct, global::LossDsl.Cpu.IVectorTail");
        using (w.OpenBlock())
        {
            var endBatch = names.Fresh("endBatch");
            w.Line($"var ({start}, {end}, {firstBatch}, {endBatch}) = ItemRange({item});");
            if (pass.Reductions.Count > 0)
            {
                w.Line($"var {slotBase} = {item} * {layout.PassSlots[pass.Number]};");
            }

            WriteReferences();
            var keptMark = w.Position;
            WriteAccumulators(resetPerBatch: false, declare: true);
            w.Line($"for (var {batch} = {firstBatch}; {batch} < {endBatch}; {batch}++)");
            using (w.OpenBlock())
            {
                WriteAccumulators(resetPerBatch: true, declare: false);
                w.Line($"for (var {tile} = {start}; {tile} < {end}; {tile} += TileLength)");
                using (w.OpenBlock())
                {
                    w.Line($"var {vectors} = VectorsIn({tile}, {end});");
                    foreach (var block in pass.Blocks)
                    {
                        w.Line();
                        WriteBlock(block);
                    }
                }

                WriteFlush(perBatch: true, partials);
            }

            WriteFlush(perBatch: false, partials);
            foreach (var kept in keptData.OrderByDescending(k => k.Key))
            {
                var shape = graph[kept.Key].Shape;
                w.InsertLine(keptMark, $"ref {T} {kept.Value} = ref Kept(this.{names[kept.Key]}, {layout.Batches(shape)}, {layout.Classes(shape)});");
            }
        }
    }

    private void WriteReferences()
    {
        var reads = new HashSet<int>(layout.ReadsOf(pass));

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
            var itemBatch = $"({batch} - {firstBatch})";
            var batchOffset = shape.Has(Axes.Batch) ? (shape.Has(Axes.Class) ? $" + ({itemBatch} * {layout.DomainLength(shape.ClassDomain)})" : $" + {itemBatch}") : "";
            var index = $"{slotBase} + {layout.Offsets[r]}{batchOffset}";
            w.Line(shape.Has(Axes.Class)
                ? $"{total}({accumulators[r]}, {partials}, {index});"
                : $"{partials}[{index}] = {total}({accumulators[r]});");
        }
    }
}
