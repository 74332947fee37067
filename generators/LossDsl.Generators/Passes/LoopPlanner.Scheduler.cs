using System;
using System.Collections.Generic;
using System.Linq;
using LossDsl.Generators.Common;
using LossDsl.Generators.Ir;
using LossDsl.Generators.Model;

namespace LossDsl.Generators.Passes;

// The loss-wide half of the planner: needs, levels, what is saved or recomputed, which reductions end which pass.
internal static partial class LoopPlanner
{
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
        private int[] runNeed = Array.Empty<int>();

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
        /// When pass <paramref name="pass"/> runs: for its reductions, its gradients, and the values it saves for later
        /// passes (it may have nothing else to do then). Settled by <see cref="SettleSaveNeeds"/>.
        /// </summary>
        public int RunNeed(int pass) => runNeed[pass];

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

        /// <summary>What a pass's targets need: its reductions' needs, and every gradient's bit when it writes the gradients.</summary>
        private int PassNeed(IEnumerable<int> reductions, bool writesGradients)
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
        /// A pass runs for its reductions and for the values it saves in turn, so the condition of a save depends on
        /// the saves of the passes after it: it is settled from the last pass back (see <see cref="SettleSaveNeeds"/>).
        /// </summary>
        private void ChooseSaved(int passCount, int storePass)
        {
            var firstPass = Enumerable.Repeat(-1, graph.Count).ToArray();
            var targetNeed = new int[passCount];
            var readers = new Dictionary<int, List<int>>();
            for (var pass = 0; pass < passCount; pass++)
            {
                var writes = pass == storePass;
                var reductions = new List<int>();
                var perPosition = new List<int>();
                var targets = Targets(pass, writes, reductions, perPosition);
                targetNeed[pass] = PassNeed(reductions.Concat(perPosition), writes);

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
                            readers[id].Add(pass);
                        }

                        continue;
                    }

                    // A selection of a value is a load of it: save the value, not each selection of it.
                    if (firstPass[id] >= 0 && firstPass[id] < pass && expensive[id] && graph[id].Op != Op.Select)
                    {
                        savedBy[id] = firstPass[id];
                        readers[id] = new List<int> { pass };
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

            SettleSaveNeeds(targetNeed, readers);
        }

        /// <summary>
        /// A pass runs when one of its targets is wanted: its reductions, its gradients, and the values it saves for
        /// later passes. A saved value is written when a pass that reads it runs and needs it — never under a wider
        /// condition than it is computed under (its own need). Every reader comes after the saving pass, so going from
        /// the last pass back settles each pass's condition before the saves it decides.
        /// </summary>
        private void SettleSaveNeeds(int[] targetNeed, Dictionary<int, List<int>> readers)
        {
            runNeed = (int[])targetNeed.Clone();
            for (var pass = runNeed.Length - 1; pass >= 0; pass--)
            {
                foreach (var id in savedBy.Where(s => s.Value == pass).Select(s => s.Key))
                {
                    saveNeed[id] = readers[id].Aggregate(0, (a, reader) => a | (runNeed[reader] & need[id]));
                    runNeed[pass] |= saveNeed[id];
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
}
