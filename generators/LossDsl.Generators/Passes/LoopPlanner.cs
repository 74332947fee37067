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
internal static class LoopPlanner
{
    public static LoopPlan Plan(Graph source, int result, IReadOnlyList<int> gradients)
    {
        var roots = new List<int> { result };
        roots.AddRange(gradients);
        var graph = LoopLowering.Lower(source, roots, out var lowered);
        return new Scheduler(graph, lowered[0], lowered.Skip(1).ToArray()).Plan();
    }

    private sealed class Scheduler
    {
        private readonly Graph graph;
        private readonly int result;
        private readonly int[] gradients;
        private readonly int[] need;
        private readonly int[] level;
        private readonly bool[] expensive;
        private readonly Dictionary<int, int> savedBy = new();
        private readonly Dictionary<int, int> saveNeed = new();

        public Scheduler(Graph graph, int result, int[] gradients)
        {
            this.graph = graph;
            this.result = result;
            this.gradients = gradients;
            need = Needs();
            level = Levels();
            expensive = Expensive();
        }

        public LoopPlan Plan()
        {
            var storePass = gradients.Where(g => g >= 0).Select(g => Wide(g) ? level[g] : level[g] + 1).DefaultIfEmpty(-1).Max();
            var lastReduction = Enumerable.Range(0, graph.Count)
                .Where(id => need[id] != 0 && (IsPassReduction(id) || IsBatchReduction(id)))
                .Select(id => level[graph[id].Args[0]]).DefaultIfEmpty(-1).Max();
            var passCount = Math.Max(storePass, lastReduction) + 1;

            var small = new List<EquatableArray<int>>();
            for (var stage = -1; stage < passCount; stage++)
            {
                small.Add(Enumerable.Range(0, graph.Count)
                    .Where(id => need[id] != 0 && !Wide(id) && !IsPassReduction(id) && level[id] == stage
                        && graph[id].Op is not (Op.Constant or Op.Hyper))
                    .ToEquatableArray());
            }

            ChooseSaved(passCount, storePass);
            var passes = Enumerable.Range(0, passCount).Select(pass => new PassScheduler(this, pass, pass == storePass).Plan()).ToEquatableArray();
            return new LoopPlan(graph, result, gradients.ToEquatableArray(), need.ToEquatableArray(), small.ToEquatableArray(), passes);
        }

        public Graph Graph => graph;

        public int[] Gradients => gradients;

        public int Need(int id) => need[id];

        public int Level(int id) => level[id];

        public bool Wide(int id) => graph[id].Shape.Has(Axes.Spatial);

        public bool IsPassReduction(int id) =>
            graph[id].Op is Op.Sum or Op.MaxOver && graph[id].Reduce.HasFlag(Axes.Spatial) && Wide(graph[id].Args[0]);

        public bool IsBatchReduction(int id) =>
            graph[id].Op is Op.Sum or Op.MaxOver && graph[id].Reduce.HasFlag(Axes.Batch) && !graph[id].Reduce.HasFlag(Axes.Spatial)
            && Wide(graph[id].Args[0]);

        public bool IsClassReduction(int id) =>
            graph[id].Op is Op.Sum or Op.MaxOver && graph[id].Reduce == Axes.Class && Wide(graph[id].Args[0]);

        /// <summary>Read in place wherever it is used: a field, or a reduction over the batch kept from an earlier pass.</summary>
        public bool IsFree(int id) => graph[id].Op == Op.Input || IsBatchReduction(id);

        /// <summary>Read in place in pass <paramref name="pass"/>: free, or saved whole by an earlier pass.</summary>
        public bool IsFreeIn(int id, int pass) => IsFree(id) || (savedBy.TryGetValue(id, out var by) && by < pass);

        /// <summary>The pass that saves <paramref name="id"/> whole for later passes, or −1.</summary>
        public int SavedBy(int id) => savedBy.TryGetValue(id, out var by) ? by : -1;

        /// <summary>When the saving pass writes <paramref name="id"/>: when a later pass that reads it runs.</summary>
        public int SaveNeed(int id) => saveNeed[id];

        /// <summary>
        /// The targets of pass <paramref name="pass"/>: the reductions whose argument it is the first to compute, and
        /// the gradients when it writes them.
        /// </summary>
        public List<int> Targets(int pass, bool writesGradients, List<int>? reductions = null, List<int>? perPosition = null)
        {
            var targets = new List<int>();
            for (var id = 0; id < graph.Count; id++)
            {
                if (need[id] != 0 && (IsPassReduction(id) || IsBatchReduction(id)) && level[graph[id].Args[0]] == pass)
                {
                    (IsPassReduction(id) ? reductions : perPosition)?.Add(id);
                    targets.Add(graph[id].Args[0]);
                }
            }

            if (writesGradients)
            {
                targets.AddRange(gradients.Where(g => g >= 0 && Wide(g)));
            }

            return targets;
        }

        /// <summary>When a pass runs: its reductions' needs, and every gradient's bit when it writes the gradients.</summary>
        public int PassNeed(IEnumerable<int> reductions, bool writesGradients)
        {
            var passNeed = reductions.Aggregate(0, (a, r) => a | need[r]);
            return writesGradients
                ? Enumerable.Range(0, gradients.Length).Where(f => gradients[f] >= 0).Aggregate(passNeed, (a, f) => a | (1 << f))
                : passNeed;
        }

        /// <summary>
        /// Save versus recompute. A value with positions that a later pass needs again is recomputed there, unless its
        /// computation is expensive — an exponential, a logarithm, a power or a reduction over the classes (softmax)
        /// — and the later pass reads it as it is: then the pass that first computes it saves it whole (one write and
        /// one read cost far less than recomputing exponentials), and the later pass reads it in place. The save
        /// happens only when a later pass that reads it runs (its need mask), so a value-only call writes nothing.
        /// </summary>
        private void ChooseSaved(int passCount, int storePass)
        {
            var firstPass = Enumerable.Repeat(-1, graph.Count).ToArray();
            for (var pass = 0; pass < passCount; pass++)
            {
                var writes = pass == storePass;
                var reductions = new List<int>();
                var perPosition = new List<int>();
                var targets = Targets(pass, writes, reductions, perPosition);
                var passNeed = PassNeed(reductions.Concat(perPosition), writes);

                var seen = new bool[graph.Count];
                var stack = new Stack<int>(targets);
                while (stack.Count > 0)
                {
                    var id = stack.Pop();
                    if (seen[id] || !Wide(id))
                    {
                        continue;
                    }

                    seen[id] = true;
                    if (IsFreeIn(id, pass))
                    {
                        if (savedBy.ContainsKey(id))
                        {
                            saveNeed[id] |= passNeed & need[id];
                        }

                        continue;
                    }

                    // A selection of a value is a load of it: save the value, not each selection of it.
                    if (firstPass[id] >= 0 && firstPass[id] < pass && expensive[id] && graph[id].Op != Op.Select)
                    {
                        // Saved when this pass runs and needs it: never under a wider condition than it is computed under.
                        savedBy[id] = firstPass[id];
                        saveNeed[id] = passNeed & need[id];
                        continue;
                    }

                    if (firstPass[id] < 0)
                    {
                        firstPass[id] = pass;
                    }

                    foreach (var arg in graph[id].Args)
                    {
                        stack.Push(arg);
                    }
                }
            }
        }

        /// <summary>Whether recomputing a value costs an exponential, a logarithm, a power or a reduction over the classes.</summary>
        private bool[] Expensive()
        {
            var result = new bool[graph.Count];
            for (var id = 0; id < graph.Count; id++)
            {
                if (Wide(id) && !IsFree(id))
                {
                    result[id] = graph[id].Op is Op.Exp or Op.Log or Op.Sigmoid or Op.Pow || IsClassReduction(id) || graph[id].Args.Any(a => result[a]);
                }
            }

            return result;
        }

        private int[] Needs()
        {
            var needs = new int[graph.Count];
            needs[result] |= LoopPlan.ValueBit;
            for (var field = 0; field < gradients.Length; field++)
            {
                if (gradients[field] >= 0)
                {
                    needs[gradients[field]] |= 1 << field;
                }
            }

            for (var id = graph.Count - 1; id >= 0; id--)
            {
                foreach (var arg in graph[id].Args)
                {
                    needs[arg] |= needs[id];
                }
            }

            return needs;
        }

        /// <summary>
        /// For a value with positions, the first pass that can compute it; for one without, the pass after which it
        /// is known (−1: before the first pass). A reduction over the batch is readable from the pass after its own.
        /// </summary>
        private int[] Levels()
        {
            var levels = new int[graph.Count];
            for (var id = 0; id < graph.Count; id++)
            {
                var node = graph[id];
                if (node.Op == Op.Input)
                {
                    levels[id] = 0;
                }
                else if (IsBatchReduction(id) || IsPassReduction(id))
                {
                    levels[id] = levels[node.Args[0]] + (IsBatchReduction(id) ? 1 : 0);
                }
                else if (Wide(id))
                {
                    levels[id] = node.Args.Select(a => Wide(a) ? levels[a] : levels[a] + 1).DefaultIfEmpty(0).Max();
                    levels[id] = Math.Max(levels[id], 0);
                }
                else
                {
                    levels[id] = node.Args.Select(a => levels[a]).DefaultIfEmpty(-1).Max();
                }
            }

            return levels;
        }
    }

    /// <summary>The body of one pass: which values it computes, in which loop, and under which condition.</summary>
    private sealed class PassScheduler
    {
        private readonly Scheduler s;
        private readonly Graph graph;
        private readonly int pass;
        private readonly bool writesGradients;
        private readonly bool[] inPass;
        private readonly Dictionary<int, int> stage = new();
        private readonly Dictionary<(bool Loop, int Stage, string Domain), List<(int Order, Step Step)>> blocks = new();
        private readonly List<int> reductions = new();
        private readonly List<int> perPosition = new();
        private readonly Dictionary<(bool Loop, int Stage, string Domain), HashSet<Step>> present = new();
        private readonly List<int>[] users;

        public PassScheduler(Scheduler scheduler, int pass, bool writesGradients)
        {
            s = scheduler;
            graph = scheduler.Graph;
            this.pass = pass;
            this.writesGradients = writesGradients;
            inPass = new bool[graph.Count];
            users = new List<int>[graph.Count];
            for (var id = 0; id < graph.Count; id++)
            {
                users[id] = new List<int>();
            }

            for (var id = 0; id < graph.Count; id++)
            {
                foreach (var arg in graph[id].Args.Distinct())
                {
                    users[arg].Add(id);
                }
            }
        }

        public PassPlan Plan()
        {
            var targets = s.Targets(pass, writesGradients, reductions, perPosition);
            MarkClosure(targets);
            for (var id = 0; id < graph.Count; id++)
            {
                if (inPass[id])
                {
                    Schedule(id);
                }
            }

            foreach (var r in reductions.Concat(perPosition))
            {
                AddReduce(r, graph[r].Args[0]);
            }

            if (writesGradients)
            {
                for (var field = 0; field < s.Gradients.Length; field++)
                {
                    var g = s.Gradients[field];
                    if (g >= 0)
                    {
                        AddStore(g, field);
                    }
                }
            }

            var saved = Enumerable.Range(0, graph.Count).Where(id => inPass[id] && s.SavedBy(id) == pass).ToList();
            foreach (var id in saved)
            {
                AddSave(id);
            }

            var kept = Enumerable.Range(0, graph.Count).Where(IsKept).ToEquatableArray();
            var passNeed = s.PassNeed(reductions.Concat(perPosition), writesGradients);

            // A pass also runs when a later pass reads a value it saves (it may have nothing else to do then).
            passNeed = saved.Aggregate(passNeed, (a, id) => a | s.SaveNeed(id));
            return new PassPlan(pass, passNeed, reductions.ToEquatableArray(), perPosition.ToEquatableArray(), saved.ToEquatableArray(), kept, OrderedBlocks(), writesGradients);
        }

        /// <summary>The values with positions the targets need, down to values without (known before the pass) and values read in place.</summary>
        private void MarkClosure(IEnumerable<int> targets)
        {
            var stack = new Stack<int>(targets);
            while (stack.Count > 0)
            {
                var id = stack.Pop();
                if (inPass[id] || !s.Wide(id))
                {
                    continue;
                }

                inPass[id] = true;
                if (!Free(id))
                {
                    foreach (var arg in graph[id].Args)
                    {
                        stack.Push(arg);
                    }
                }
            }
        }

        /// <summary>Read in place in this pass: a field, a reduction over the batch, or a value an earlier pass saved.</summary>
        private bool Free(int id) => s.IsFreeIn(id, pass);

        /// <summary>The saving pass writes a value whole in the block that computes it.</summary>
        private void AddSave(int id)
        {
            var step = new Step(StepKind.Save, id);
            if (PerClass(id))
            {
                Add(true, stage[id], graph[id].Shape.ClassDomain, id, 2, step);
            }
            else
            {
                Add(false, StageOf(id), "", id, 2, step);
            }
        }

        private bool PerClass(int id) => s.Wide(id) && graph[id].Shape.Has(Axes.Class) && !Free(id);

        private bool PerPositionValue(int id) => s.Wide(id) && !graph[id].Shape.Has(Axes.Class) && !Free(id);

        /// <summary>The stage of the class loop in which a value is available class by class (for a reduction or scatter of it).</summary>
        private int LoopStageOf(int id) => Free(id) || !s.Wide(id) ? 0 : stage[id];

        /// <summary>The stage from which a value is readable: per class inside that stage's loop, per position before it.</summary>
        private int StageOf(int id) => s.Wide(id) && !Free(id) ? stage[id] : 0;

        private void Schedule(int id)
        {
            var node = graph[id];
            if (Free(id))
            {
                stage[id] = 0;
                return;
            }

            if (PerPositionValue(id))
            {
                if (s.IsClassReduction(id))
                {
                    var x = node.Args[0];
                    var loop = LoopStageOf(x);
                    stage[id] = loop + 1;
                    Add(false, loop, "", id, 0, new Step(StepKind.Start, id));
                    AddReduce(id, x);
                }
                else
                {
                    stage[id] = node.Args.Select(StageOf).DefaultIfEmpty(0).Max();
                    Add(false, stage[id], "", id, 1, new Step(StepKind.Compute, id));
                    AddLoadsForPosition(id);
                }

                return;
            }

            // A value over the classes.
            if (node.Op == Op.Scatter)
            {
                var x = node.Args[0];
                var loop = LoopStageOf(x);
                stage[id] = loop + 1;
                Add(false, loop, "", id, 0, new Step(StepKind.Start, id));
                AddReduce(id, x);
                return;
            }

            if (node.Op == Op.Select)
            {
                var x = node.Args[0];
                stage[id] = Free(x) ? 0 : stage[x] + 1;
            }
            else
            {
                stage[id] = node.Args.Select(StageOf).DefaultIfEmpty(0).Max();
            }

            Add(true, stage[id], node.Shape.ClassDomain, id, 1, new Step(StepKind.Compute, id));
            if (node.Op != Op.Select)
            {
                AddLoads(stage[id], node.Shape.ClassDomain, node.Args);
            }
        }

        /// <summary>Target <paramref name="target"/> (a reduction or scatter) takes in <paramref name="x"/> where x is available.</summary>
        private void AddReduce(int target, int x)
        {
            var step = new Step(StepKind.Reduce, x, target);
            if (!s.Wide(x))
            {
                throw new InvalidOperationException("a reduction inside a pass must read a value with positions");
            }

            var xHasClasses = graph[x].Shape.Has(Axes.Class);
            if (graph[target].Op == Op.Scatter)
            {
                // A scatter runs over the listed classes, also when x is the same for every class.
                var loop = LoopStageOf(x);
                Add(true, loop, graph[target].Name, x, 2, step);
                AddLoads(loop, graph[target].Name, new[] { x });
                return;
            }

            if (xHasClasses)
            {
                var loop = LoopStageOf(x);
                Add(true, loop, graph[x].Shape.ClassDomain, x, 2, step);
                AddLoads(loop, graph[x].Shape.ClassDomain, new[] { x });
            }
            else
            {
                Add(false, StageOf(x), "", x, 2, step);
                AddLoadsAt(StageOf(x), new[] { x }.Where(Free));
            }
        }

        private void AddStore(int g, int field)
        {
            var step = new Step(StepKind.StoreGradient, g, Field: field);
            var loop = !s.Wide(g) ? 0 : PerClass(g) ? stage[g] : StageOf(g);
            Add(true, loop, "", g, 3, step);
            AddLoads(loop, "", new[] { g });
        }

        /// <summary>Fields (and kept per-position values) that a step of a class loop reads: loaded in that loop.</summary>
        private void AddLoads(int loop, string domain, IEnumerable<int> args)
        {
            foreach (var arg in args.Where(Free))
            {
                Add(true, loop, domain, arg, 0, new Step(StepKind.Load, arg));
            }
        }

        /// <summary>Kept per-position values that a step of a position block reads (fields always have classes).</summary>
        private void AddLoadsForPosition(int id) => AddLoadsAt(StageOf(id), graph[id].Args.Where(Free));

        private void AddLoadsAt(int stageIndex, IEnumerable<int> free)
        {
            foreach (var arg in free)
            {
                Add(false, stageIndex, "", arg, 0, new Step(StepKind.Load, arg));
            }
        }

        private void Add(bool loop, int stageIndex, string domain, int node, int order, Step step)
        {
            var key = (loop, stageIndex, domain);
            if (!blocks.TryGetValue(key, out var steps))
            {
                blocks[key] = steps = new List<(int, Step)>();
                present[key] = new HashSet<Step>();
            }

            if (present[key].Add(step))
            {
                steps.Add(((node * 4) + order, step));
            }
        }

        /// <summary>Kept per class: read outside the loop that computes it (by a later loop, a selection or a gradient store).</summary>
        private bool IsKept(int id)
        {
            if (!inPass[id] || !PerClass(id))
            {
                return false;
            }

            if (graph[id].Op == Op.Scatter)
            {
                return true;
            }

            foreach (var user in users[id])
            {
                if (!inPass[user] || s.IsBatchReduction(user) || s.IsClassReduction(user) || graph[user].Op == Op.Scatter)
                {
                    continue;
                }

                if (graph[user].Op == Op.Select || (PerClass(user) && stage[user] != stage[id]))
                {
                    return true;
                }
            }

            return false;
        }

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
                var steps = blocks[key]
                    .Select(entry => (entry.Order, entry.Step, Need: StepNeed(entry.Step)))
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

        /// <summary>Locals a conditional group of a block defines and any other group reads.</summary>
        private EquatableArray<int> Predeclared(List<StepGroup> groups, Dictionary<int, List<StepGroup>> readers)
        {
            var result = new List<int>();
            foreach (var group in groups.Where(g => !LoopPlan.Always(g.Need)))
            {
                foreach (var step in group.Steps.Where(DefinesLocal))
                {
                    var readElsewhere = readers.TryGetValue(step.Node, out var list) && list.Any(g => !ReferenceEquals(g, group));
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
