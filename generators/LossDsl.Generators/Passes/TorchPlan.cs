using System.Collections.Generic;
using System.Linq;
using LossDsl.Generators.Ir;
using LossDsl.Generators.Model;

namespace LossDsl.Generators.Passes;

/// <summary>Where the backward gets a forward value from.</summary>
internal enum Storage
{
    /// <summary>Not needed by the backward.</summary>
    None,

    /// <summary>Saved by the forward (<c>ctx.save_for_backward</c>): inputs, reductions, costly element-wise values.</summary>
    Saved,

    /// <summary>Recomputed by the backward from saved values: cheap element-wise arithmetic.</summary>
    Recomputed,
}

/// <summary>
/// The schedule of one loss for the TorchSharp back end: which nodes run in the forward and in the backward, what
/// the forward saves and what the backward recomputes (Tapenade's save-or-recompute), which products are fused into
/// the sums or additions that consume them, and which temporaries are updated in place.
/// </summary>
internal sealed class TorchPlan
{
    public TorchPlan(LossModel model)
    {
        Model = model;
        Graph = model.Graph;
        var count = Graph.Count;
        // A field-dependent value is a tensor; so is a scatter of a host value (a (1, C) coefficient, see TorchRewrite).
        IsTensor = new bool[count];
        for (var i = 0; i < count; i++)
        {
            var node = Graph[i];
            IsTensor[i] = node.Op is Ir.Op.Input or Ir.Op.Scatter || node.Args.Any(a => IsTensor[a]);
        }

        Fields = model.Parameters.Where(p => p.Kind == ParameterKind.Field).Select(p => p.Name).ToArray();

        // Forward: everything the result needs.
        InForward = Reach(new[] { model.Result }, _ => true);

        // Backward: from each gradient, down to the forward values it needs, which are saved or recomputed.
        Storage = new Storage[count];
        InBackward = new bool[count];
        Masks = new int[count];
        for (var i = 0; i < model.Gradients.Count && i < 31; i++)
        {
            var root = model.Gradients[i];
            if (root < 0)
            {
                continue;
            }

            AllMask |= 1 << i;
            var visited = new bool[count];
            var stack = new Stack<int>();
            stack.Push(root);
            while (stack.Count > 0)
            {
                var id = stack.Pop();
                if (visited[id])
                {
                    continue;
                }

                visited[id] = true;
                var node = Graph[id];
                if (IsTensor[id] && InForward[id])
                {
                    Decide(id);
                    if (Storage[id] == Passes.Storage.Saved)
                    {
                        continue;
                    }
                }

                InBackward[id] = true;
                Masks[id] |= 1 << i;
                foreach (var arg in node.Args)
                {
                    stack.Push(arg);
                }
            }
        }

        Saved = Enumerable.Range(0, count).Where(id => Storage[id] == Passes.Storage.Saved)
            .OrderBy(id => Graph[id].Op == Ir.Op.Input ? 0 : 1).ThenBy(id => id).ToArray();

        ForwardProgram = new Program(this, Enumerable.Range(0, count).Where(id => InForward[id]).ToArray(), isForward: true);
        BackwardProgram = new Program(this, Enumerable.Range(0, count).Where(id => InBackward[id]).ToArray(), isForward: false);
    }

    public LossModel Model { get; }

    public Graph Graph { get; }

    /// <summary>Whether a node depends on a field (a tensor at run time); the others are host <c>double</c>s.</summary>
    public bool[] IsTensor { get; }

    /// <summary>The field parameters, in declaration order.</summary>
    public string[] Fields { get; }

    public bool[] InForward { get; }

    /// <summary>Nodes the backward computes (recomputed forward values, gradient nodes and host values).</summary>
    public bool[] InBackward { get; }

    public Storage[] Storage { get; }

    /// <summary>For backward nodes, the fields (bits by field index) whose gradient needs them.</summary>
    public int[] Masks { get; }

    /// <summary>The bits of every field that has a gradient.</summary>
    public int AllMask { get; }

    /// <summary>The saved nodes: inputs first, then intermediates, in the order of <c>save_for_backward</c>.</summary>
    public int[] Saved { get; }

    public Program ForwardProgram { get; }

    public Program BackwardProgram { get; }

    /// <summary>The field index of an input node.</summary>
    public int FieldIndex(int id) => System.Array.IndexOf(Fields, Graph[id].Name);

    /// <summary>Cheap element-wise operations: recomputing them costs one pass and saves a full-size tensor.</summary>
    private static bool IsCheap(Op op) => op is Ir.Op.Add or Ir.Op.Subtract or Ir.Op.Multiply or Ir.Op.Divide or Ir.Op.Negate
        or Ir.Op.Abs or Ir.Op.Square or Ir.Op.Sign or Ir.Op.Minimum or Ir.Op.Maximum or Ir.Op.GreaterOrEqual or Ir.Op.Step or Ir.Op.Select;

    /// <summary>
    /// Decides how the backward gets forward tensor <paramref name="id"/>: saved when it is an input, costly, or
    /// small (no positions: a per-class sum, a ratio of them), whose recomputation would cost a kernel launch per
    /// operation and save no memory; recomputed when it is full-size and cheap.
    /// </summary>
    private void Decide(int id)
    {
        var node = Graph[id];
        if (Storage[id] == Passes.Storage.None)
        {
            Storage[id] = node.Op == Ir.Op.Input || !IsCheap(node.Op) || !node.Shape.Has(Ir.Axes.Spatial)
                ? Passes.Storage.Saved
                : Passes.Storage.Recomputed;
        }
    }

    private bool[] Reach(IEnumerable<int> roots, System.Func<int, bool> through)
    {
        var seen = new bool[Graph.Count];
        var stack = new Stack<int>(roots.Where(r => r >= 0));
        while (stack.Count > 0)
        {
            var id = stack.Pop();
            if (seen[id])
            {
                continue;
            }

            seen[id] = true;
            if (!through(id))
            {
                continue;
            }

            foreach (var arg in Graph[id].Args)
            {
                stack.Push(arg);
            }
        }

        return seen;
    }

    /// <summary>
    /// One of the two generated methods: its nodes, fusions and in-place updates, all settled when it is built (the
    /// emitter prints it, and revises nothing).
    /// </summary>
    internal sealed class Program
    {
        private const int Forever = int.MaxValue;

        public Program(TorchPlan plan, int[] nodes, bool isForward)
        {
            var graph = plan.Graph;
            Nodes = nodes;
            IsForward = isForward;
            Computes = new bool[graph.Count];
            foreach (var id in nodes)
            {
                Computes[id] = true;
            }

            // Uses within this method; values that leave it (result, saved, gradients) live forever.
            Uses = new int[graph.Count];
            LastUse = new int[graph.Count];
            foreach (var id in nodes)
            {
                foreach (var arg in graph[id].Args)
                {
                    Uses[arg]++;
                    LastUse[arg] = System.Math.Max(LastUse[arg], id);
                }
            }

            var escaping = isForward
                ? new[] { plan.Model.Result }.Concat(plan.Saved)
                : plan.Model.Gradients.Where(g => g >= 0);
            foreach (var id in escaping)
            {
                Uses[id]++;
                LastUse[id] = Forever;
            }

            // A product consumed only by a sum becomes a dot/bmm; by an addition, an add(alpha)/addcmul.
            FusedInto = Enumerable.Repeat(-1, graph.Count).ToArray();
            foreach (var id in nodes)
            {
                var node = graph[id];
                if (!plan.IsTensor[id])
                {
                    continue;
                }

                if (node.Op == Ir.Op.Sum && IsFusibleProduct(plan, node.Args[0], bothTensors: true))
                {
                    FusedInto[node.Args[0]] = id;
                }
                else if (node.Op is Ir.Op.Add or Ir.Op.Subtract)
                {
                    for (var k = node.Op == Ir.Op.Add ? 0 : 1; k < 2; k++)
                    {
                        var other = node.Args[1 - k];
                        var product = node.Args[k];
                        if (plan.IsTensor[other] && graph[other].Shape.Axes == node.Shape.Axes
                            && IsFusibleProduct(plan, product, bothTensors: false) && FusedInto[product] < 0
                            && (node.Op == Ir.Op.Add || k == 1))
                        {
                            FusedInto[product] = id;
                            FusedOperand[id] = k;
                            break;
                        }
                    }
                }
            }

            // Last: the patterns may take back a product fusion above (TorchFusion.Unfuse).
            Fusion = new TorchFusion(plan, this);
        }

        /// <summary>The fusions beyond a product into its consumer: patterns, grouped sums, gradient folds.</summary>
        public TorchFusion Fusion { get; }

        public int[] Nodes { get; }

        public bool IsForward { get; }

        public bool[] Computes { get; }

        public int[] Uses { get; }

        public int[] LastUse { get; }

        /// <summary>For a product fused into its consumer, the consumer's id; −1 otherwise.</summary>
        public int[] FusedInto { get; }

        /// <summary>For an addition with a fused product, which operand (0 or 1) is the product.</summary>
        public Dictionary<int, int> FusedOperand { get; } = new();

        /// <summary>Whether the value of <paramref name="arg"/> may be overwritten by its consumer <paramref name="consumer"/>.</summary>
        public bool CanOverwrite(TorchPlan plan, int arg, int consumer, bool owned)
        {
            var graph = plan.Graph;
            return owned && plan.IsTensor[arg] && Computes[arg] && FusedInto[arg] < 0 && LastUse[arg] == consumer
                && Uses[arg] == 1 && graph[arg].Shape.Axes == graph[consumer].Shape.Axes;
        }

        private bool IsFusibleProduct(TorchPlan plan, int id, bool bothTensors)
        {
            var graph = plan.Graph;
            var node = graph[id];
            if (node.Op != Ir.Op.Multiply || !Computes[id] || Uses[id] != 1 || !plan.IsTensor[id])
            {
                return false;
            }

            var a = node.Args[0];
            var b = node.Args[1];
            if (bothTensors)
            {
                return plan.IsTensor[a] && plan.IsTensor[b] && graph[a].Shape.Axes == node.Shape.Axes
                    && graph[b].Shape.Axes == node.Shape.Axes;
            }

            // s·y (host scalar) or y·z (tensors; one may be smaller, broadcast by addcmul) with a tensor spanning the
            // product's axes.
            bool Spans(int x) => plan.IsTensor[x] && graph[x].Shape.Axes == node.Shape.Axes;
            bool Within(int x) => !plan.IsTensor[x] || (graph[x].Shape.Axes & ~node.Shape.Axes) == 0;
            return (Spans(a) && Within(b)) || (Spans(b) && Within(a));
        }
    }
}
