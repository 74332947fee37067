using System;
using System.Collections.Generic;
using System.Linq;
using LossDsl.Generators.Common;
using LossDsl.Generators.Ir;
using LossDsl.Generators.Model;

namespace LossDsl.Generators.Passes;

// The per-pass planner's second half: the scheduled steps of each loop grouped into runs under one condition, in order.
internal static partial class LoopPlanner
{
    private sealed partial class PassScheduler
    {
        /// <summary>
        /// The blocks in execution order (by stage; position blocks before class loops; all classes before a class
        /// list), each block's steps ordered unconditional first, then by condition, and cut into groups that share one.
        /// </summary>
        private EquatableArray<Block> OrderedBlocks()
        {
            var ordered = blocks.Keys
                .OrderBy(k => k.Stage)
                .ThenBy(k => k.Loop ? 1 : 0)
                .ThenBy(k => k.Domain.Length == 0 ? 0 : 1)
                .ThenBy(k => k.Domain, StringComparer.Ordinal)
                .ToList();
            var grouped = new List<(bool Loop, string Domain, List<StepGroup> Groups)>();
            foreach (var key in ordered)
            {
                var loadNeed = LoadNeeds(blocks[key].Select(entry => entry.Step));
                var steps = blocks[key]
                    .Select(entry => (entry.Order, entry.Step, Need: entry.Step.Kind == StepKind.Load && loadNeed.TryGetValue(entry.Step.Node, out var n) ? n : StepNeed(entry.Step)))
                    .OrderBy(e => LoopPlan.Always(e.Need) ? 0 : 1)
                    .ThenByDescending(e => LoopPlan.Always(e.Need) ? 0 : Bits(e.Need))
                    .ThenBy(e => LoopPlan.Always(e.Need) ? 0 : e.Need)
                    .ThenBy(e => e.Order)
                    .ToList();
                var groups = new List<StepGroup>();
                foreach (var run in Runs(steps.Select(e => (e.Need, e.Step))))
                {
                    groups.Add(run);
                }

                grouped.Add((key.Loop, key.Domain, groups));
            }

            var readers = new Dictionary<int, List<StepGroup>>();
            foreach (var group in grouped.SelectMany(b => b.Groups))
            {
                foreach (var id in group.Steps.SelectMany(Reads).Distinct())
                {
                    if (!readers.TryGetValue(id, out var list))
                    {
                        readers[id] = list = new List<StepGroup>();
                    }

                    list.Add(group);
                }
            }

            return grouped.Select((block, index) => new Block(block.Loop, block.Domain, Predeclared(grouped[index].Groups, readers), block.Groups.ToEquatableArray())).ToEquatableArray();
        }

        /// <summary>
        /// A read of a field or a kept value runs when a step of its block that uses it runs: the value's need
        /// counts every use in the loss, and a block that uses it only for one gradient should not read it for others.
        /// </summary>
        private Dictionary<int, int> LoadNeeds(IEnumerable<Step> steps)
        {
            var result = new Dictionary<int, int>();
            foreach (var step in steps.Where(step => step.Kind != StepKind.Load))
            {
                foreach (var id in Reads(step))
                {
                    result[id] = (result.TryGetValue(id, out var need) ? need : 0) | StepNeed(step);
                }
            }

            return result;
        }

        private static IEnumerable<StepGroup> Runs(IEnumerable<(int Need, Step Step)> steps)
        {
            var current = new List<Step>();
            var currentNeed = 0;
            foreach (var (stepNeed, step) in steps)
            {
                var key = LoopPlan.Always(stepNeed) ? LoopPlan.ValueBit : stepNeed;
                if (current.Count > 0 && key != currentNeed)
                {
                    yield return new StepGroup(currentNeed, current.ToEquatableArray());
                    current = new List<Step>();
                }

                currentNeed = key;
                current.Add(step);
            }

            if (current.Count > 0)
            {
                yield return new StepGroup(currentNeed, current.ToEquatableArray());
            }
        }

        /// <summary>Locals a conditional group of a block defines and another group of the same block reads.</summary>
        private EquatableArray<int> Predeclared(List<StepGroup> groups, Dictionary<int, List<StepGroup>> readers)
        {
            var result = new List<int>();
            foreach (var group in groups.Where(g => !LoopPlan.Always(g.Need)))
            {
                foreach (var step in group.Steps.Where(DefinesLocal))
                {
                    // Other blocks read it from its per-class or per-tile slots, not from this local.
                    var readElsewhere = readers.TryGetValue(step.Node, out var list) && list.Any(g => !ReferenceEquals(g, group) && groups.Contains(g));
                    if (readElsewhere && !result.Contains(step.Node))
                    {
                        result.Add(step.Node);
                    }
                }
            }

            return result.ToEquatableArray();
        }

        private bool DefinesLocal(Step step) =>
            step.Kind is StepKind.Compute or StepKind.Load || (step.Kind == StepKind.Start && graph[step.Node].Op != Op.Scatter);

        /// <summary>The locals a step reads (a scatter's slots are not a local).</summary>
        private IEnumerable<int> Reads(Step step) => step.Kind switch
        {
            StepKind.Compute => graph[step.Node].Args,
            StepKind.Reduce => graph[step.Target].Op == Op.Scatter ? new[] { step.Node } : new[] { step.Node, step.Target },
            StepKind.StoreGradient or StepKind.Save => new[] { step.Node },
            _ => Array.Empty<int>(),
        };

        private int StepNeed(Step step) => step.Kind switch
        {
            StepKind.Start or StepKind.Reduce => s.Need(step.Kind == StepKind.Start ? step.Node : step.Target),
            StepKind.StoreGradient => 1 << step.Field,
            StepKind.Save => s.SaveNeed(step.Node),
            _ => s.Need(step.Node),
        };

        private static int Bits(int mask)
        {
            var count = 0;
            for (; mask != 0; mask &= mask - 1)
            {
                count++;
            }

            return count;
        }
    }
}
