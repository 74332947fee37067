using System;
using System.Collections.Generic;
using System.Linq;
using LossDsl.Generators.Common;
using LossDsl.Generators.Ir;
using LossDsl.Generators.Model;

namespace LossDsl.Generators.Passes;

// The per-pass half of the planner: the steps of one pass and the loop (stage) each runs in; .Blocks.cs orders them.
internal static partial class LoopPlanner
{
    /// <summary>The body of one pass: which values it computes, in which loop, and under which condition.</summary>
    private sealed partial class PassScheduler
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
            var scheduled = Enumerable.Range(0, graph.Count).Where(id => inPass[id]).ToList();
            foreach (var id in scheduled)
            {
                AssignStage(id);
            }

            Sink(scheduled);
            MergeLoops(scheduled);
            foreach (var id in scheduled)
            {
                AddSteps(id);
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
            var keptNeed = kept.Select(KeptNeed).ToEquatableArray();
            return new PassPlan(pass, s.RunNeed(pass), reductions.ToEquatableArray(), perPosition.ToEquatableArray(), saved.ToEquatableArray(), kept, keptNeed, OrderedBlocks(), writesGradients);
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

        /// <summary>
        /// The earliest class loop (stage) in which a value can be computed: right after the loops its arguments come
        /// from. A reduction over the classes, a scatter and a selection of a computed value read their argument after
        /// its loop has ended, one stage later.
        /// </summary>
        private void AssignStage(int id) =>
            stage[id] = Free(id) ? 0
                : ReadsAfterLoop(id) ? LoopStageOf(graph[id].Args[0]) + 1
                : graph[id].Args.Select(StageOf).DefaultIfEmpty(0).Max();

        /// <summary>
        /// Moves each value over the classes into the latest loop its users allow (users first, so a value follows
        /// its users): a field read, or a product of two, used only in a later loop is then computed in that loop,
        /// in registers, instead of being kept per class in the first loop that could compute it and read back.
        /// A user that reads the value after its loop has ended (a reduction over the classes, a scatter, a
        /// selection of a computed value) bounds it one stage earlier. Values with no user in the pass stay.
        /// </summary>
        private void Sink(List<int> scheduled)
        {
            for (var i = scheduled.Count - 1; i >= 0; i--)
            {
                var id = scheduled[i];
                if (!PerClass(id) || graph[id].Op == Op.Scatter)
                {
                    continue;
                }

                var latest = LatestStage(id);
                if (latest != int.MaxValue && latest > stage[id])
                {
                    stage[id] = latest;
                }
            }
        }

        /// <summary>
        /// Merges a class loop into the next loop over the same classes when nothing keeps it where it is: every value
        /// it computes is read only in later loops (or by no step of the pass: a gradient, a term of a reduction over the
        /// positions, a scatter only stored), none by a user that reads it after its loop (a reduction over the
        /// classes, a scatter, a selection). Its values move whole, so none that was computed in registers is kept in
        /// per-class slots instead, and the loop is not written at all. Latest loops first, so that merges cascade.
        /// </summary>
        private void MergeLoops(List<int> scheduled)
        {
            var perClass = scheduled.Where(PerClass).ToList();
            foreach (var domain in perClass.Select(id => graph[id].Shape.ClassDomain).Distinct().ToList())
            {
                var inDomain = perClass.Where(id => graph[id].Shape.ClassDomain == domain).ToList();
                var stages = inDomain.Select(id => stage[id]).Distinct().OrderByDescending(x => x).ToList();
                for (var i = 1; i < stages.Count; i++)
                {
                    var from = stages[i];
                    var into = stages[i - 1];
                    var members = new HashSet<int>(inDomain.Where(id => stage[id] == from));
                    if (members.All(id => LatestStage(id, members) >= into))
                    {
                        foreach (var id in members)
                        {
                            stage[id] = into;
                        }

                        stages[i] = into;
                    }
                }
            }
        }

        /// <summary>
        /// The latest stage a value over the classes may move to, given its users in the pass other than
        /// <paramref name="movingWith"/> (int.MaxValue: none).
        /// </summary>
        private int LatestStage(int id, HashSet<int>? movingWith = null)
        {
            var latest = int.MaxValue;
            foreach (var user in users[id].Where(u => inPass[u] && !Free(u) && movingWith?.Contains(u) != true))
            {
                latest = Math.Min(latest, ReadsAfterLoop(user) ? stage[user] - 1 : PerClass(user) ? stage[user] : stage[id]);
            }

            return latest;
        }

        /// <summary>
        /// Whether <paramref name="user"/> reads its argument only once the argument's class loop has ended: a reduction
        /// over the classes, a scatter, a selection of a computed value (a selection of a field is a load).
        /// </summary>
        private bool ReadsAfterLoop(int user) =>
            graph[user].Op is Op.Scatter || (graph[user].Op == Op.Select && !Free(graph[user].Args[0])) || (PerPositionValue(user) && s.IsClassReduction(user));

        private void AddSteps(int id)
        {
            var node = graph[id];
            if (Free(id))
            {
                return;
            }

            if (PerPositionValue(id))
            {
                if (s.IsClassReduction(id))
                {
                    var x = node.Args[0];
                    Add(false, LoopStageOf(x), "", id, 0, new Step(StepKind.Start, id));
                    AddReduce(id, x);
                }
                else
                {
                    Add(false, stage[id], "", id, 1, new Step(StepKind.Compute, id));
                    AddLoadsForPosition(id);
                }

                return;
            }

            // A value over the classes.
            if (node.Op == Op.Scatter)
            {
                var x = node.Args[0];
                Add(false, LoopStageOf(x), "", id, 0, new Step(StepKind.Start, id));
                AddReduce(id, x);
                return;
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

            return users[id].Any(user => ReadsSlots(id, user));
        }

        /// <summary>
        /// When a kept value's slots are written: when one of the steps that read them back runs (the union of their
        /// needs). A softmax kept only for a gradient's loop is not stored by a call that wants no gradient.
        /// </summary>
        private int KeptNeed(int id) =>
            graph[id].Op == Op.Scatter
                ? s.Need(id)
                : users[id].Where(user => ReadsSlots(id, user)).Aggregate(0, (a, user) => a | s.Need(user));

        /// <summary>Whether <paramref name="user"/> reads kept value <paramref name="id"/> from its slots (not from the local of its own loop).</summary>
        private bool ReadsSlots(int id, int user) =>
            inPass[user] && !s.IsBatchReduction(user) && !s.IsClassReduction(user) && graph[user].Op != Op.Scatter
            && (graph[user].Op == Op.Select || (PerClass(user) && stage[user] != stage[id]));
    }
}
