using System;
using System.Collections.Generic;
using System.Linq;
using LossDsl.Generators.Common;
using LossDsl.Generators.Ir;
using LossDsl.Generators.Model;

namespace LossDsl.Generators.Passes;

/// <summary>
/// Schedules a loss and its gradients as loops over positions (the fusion decisions of the CPU back end, made here
/// once so that the emitter only prints). Fusion is by iteration space, not by pattern:
/// <list type="bullet">
/// <item>A reduction over the positions ends a pass; what uses it waits for the next pass. A value with positions is
/// computed, in registers, in every pass that needs it (recomputing costs arithmetic; storing costs memory traffic
/// proportional to the input).</item>
/// <item>Inside a pass, one position vector at a time: values without a class axis are vector locals; values over
/// the classes are computed in loops over the classes. A reduction over the classes (or a scatter) ends such a loop,
/// so what reads it runs in a later loop of the same position vector; values read by a later loop are kept in
/// per-class slots for that vector only.</item>
/// <item>A reduction over the batch (not the positions) is written whole by its pass and read in place later.</item>
/// </list>
/// </summary>
internal static partial class LoopPlanner
{
    public static LoopPlan Plan(Graph source, int result, IReadOnlyList<int> gradients)
    {
        var roots = new List<int> { result };
        roots.AddRange(gradients);
        var graph = LoopLowering.Lower(source, roots, out var lowered);
        return new Scheduler(graph, lowered[0], lowered.Skip(1).ToArray()).Plan();
    }
}
