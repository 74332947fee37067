using System.Collections.Generic;
using System.Linq;
using LossDsl.Generators.Ir;
using LossDsl.Generators.Passes;

namespace LossDsl.Generators.Emit.Cpu;

// The blocks of a pass: their class loops, vector loops, conditions and statements.
internal sealed partial class PassWriter
{
    private void WriteBlock(Block block)
    {
        blockLocals.Clear();
        declared.Clear();
        foreach (var scatter in block.Groups.SelectMany(g => g.Steps).Where(IsScatterStart))
        {
            w.Line($"// {layout.Formulas.Of(scatter.Node)} → {Bare(scatter.Node)}, over the loops below");

            // Cleared only when a gradient that reads it is wanted: the slots of a whole tile are a memset per tile.
            var wanted = layout.Condition(layout.Plan.Need[scatter.Node], wants);
            w.Line(wanted is null ? $"{slots[scatter.Node]}.Clear();" : $"if ({wanted}) {slots[scatter.Node]}.Clear();");
        }

        if (!block.Groups.SelectMany(g => g.Steps).Any(s => !IsScatterStart(s)))
        {
            return;
        }

        // A block that only gradients need runs only when one of them is wanted: its loops are skipped, not just its statements.
        var needs = block.Groups.Where(g => g.Steps.Any(s => !IsScatterStart(s))).Select(g => g.Need).ToList();
        var condition = needs.Any(LoopPlan.Always) ? null : layout.Condition(needs.Aggregate(0, (a, n) => a | n), wants);
        if (condition is not null)
        {
            w.Line($"if ({condition})");
            using (w.OpenBlock())
            {
                enclosing = condition;
                WriteBlockBody(block);
                enclosing = null;
            }

            return;
        }

        WriteBlockBody(block);
    }

    /// <summary>
    /// The start of a scatter's per-class slots: cleared once in front of the block's loops, never a statement inside
    /// them.
    /// </summary>
    private bool IsScatterStart(Step step) => step.Kind == StepKind.Start && graph[step.Node].Op == Op.Scatter;

    private void WriteBlockBody(Block block)
    {
        var steps = block.Groups.SelectMany(g => g.Steps).Where(s => !IsScatterStart(s)).ToList();
        if (!block.OverClasses && steps.All(s => s.Kind == StepKind.Start && tileValues.ContainsKey(s.Node)))
        {
            // Only the starts of reductions over the classes, kept per vector of the tile: every vector starts alike.
            WriteGroups(block, group => group.ForEach(s =>
            {
                w.Line($"// {Bare(s.Node)} = {layout.Formulas.Of(s.Node)}, over the loop below");
                w.Line($"{tileValues[s.Node]}.Fill({Identity(s.Node)});");
            }));
            return;
        }

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
        // The offsets of this tile's rows (one serves every field, whose layouts are the same) go here once the loop is written.
        var rowsMark = w.Position;
        rows.Clear();
        rowOrder.Clear();

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
            // The count of existing lanes is declared only where the loop's statements use it.
            var start = w.Position;
            foreach (var id in block.Predeclared)
            {
                w.Line($"global::System.Numerics.Vector<{T}> {names[id]} = default;");
                declared.Add(id);
            }

            WriteGroups(block, WriteSteps);

            if (System.Text.RegularExpressions.Regex.IsMatch(w.Since(start), $@"\b{lanes}\b"))
            {
                w.InsertLine(start, $"var {lanes} = {tail}.Lanes({end} - {position});");
            }
        }

        foreach (var share in shares)
        {
            var accumulator = accumulators[share.Key];
            var slot = graph[share.Key].Shape.Has(Axes.Class) ? $"{accumulator}[{loopVariable}]" : accumulator;
            w.Line(graph[share.Key].Op == Op.MaxOver ? $"{slot} = Max({slot}, {share.Value});" : $"{slot} += {share.Value};");
        }

        for (var i = rowOrder.Count - 1; i >= 0; i--)
        {
            w.InsertLine(rowsMark, $"var {rowOrder[i].Value} = {rowOrder[i].Key};");
        }
    }

    /// <summary>The block's steps group by group, each under its condition (unless the block's own already holds).</summary>
    private void WriteGroups(Block block, System.Action<List<Step>> write)
    {
        foreach (var group in block.Groups)
        {
            var steps = group.Steps.Where(s => !IsScatterStart(s)).ToList();
            if (steps.Count == 0)
            {
                continue;
            }

            var condition = layout.Condition(group.Need, wants);
            groupNeed = group.Need;
            if (condition is null || condition == enclosing)
            {
                write(steps);
                continue;
            }

            w.Line($"if ({condition})");
            using (w.OpenBlock())
            {
                write(steps);
            }
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
                    w.Line($"Store({Value(step.Node)}, ref {KeptData(step.Node)}, {KeptIndex(step.Node, loopVariable)}, {lanes});");
                    break;
                case StepKind.StoreGradient:
                    w.Line($"// ∂L/∂{layout.FieldParameters[step.Field].Name} = {Bare(step.Node)}");
                    w.Line($"Store({Value(step.Node)}, ref {gradientData[step.Field]}, {FieldIndex()}, {lanes});");
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
            // Written only when a step that reads the slots back runs; under the group's own condition, when that implies it.
            var need = keptNeed[id];
            var store = $"{SlotOf(slot, loopVariable)} = {names[id]};";
            var implied = LoopPlan.Always(need) || (!LoopPlan.Always(groupNeed) && (groupNeed & ~need) == 0);
            w.Line(implied ? store : $"if ({layout.Condition(need, wants)}) {store}");
        }
        else if (tileValues.TryGetValue(id, out var kept))
        {
            w.Line($"{kept}[{vector}] = {names[id]};");
        }
    }

    /// <summary>The slot of class <paramref name="classIndex"/> at the current vector, in the per-class slots <paramref name="slots"/>.</summary>
    private string SlotOf(string slots, string classIndex) => $"Slot({slots}, {classIndex}, {vector})";

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
            w.Line($"{SlotOf(slots[target], $"{layout.Names.ClassList(node.Name)}[{loopVariable}]")} += {value};");
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
        w.Line($"{(isMax ? "MaxInto" : "AddInto")}({value}, ref {KeptData(target)}, {KeptIndex(target, loopVariable)}, {lanes}, {batch} == 0);");
    }
}
