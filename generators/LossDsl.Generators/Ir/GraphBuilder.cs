using System;
using System.Collections.Generic;
using System.Linq;
using LossDsl.Generators.Common;

namespace LossDsl.Generators.Ir;

/// <summary>
/// Builds a <see cref="Graph"/> one node at a time. Every node goes through shape inference, constant folding,
/// algebraic simplification and hash-consing (so common subexpressions are shared as they are built).
/// </summary>
internal sealed class GraphBuilder
{
    private readonly List<Node> nodes = new();
    private readonly Dictionary<int, List<int>> byValueHash = new();
    private readonly bool simplify = true;

    public GraphBuilder()
    {
    }

    /// <summary>
    /// A builder that folds nothing and rewrites nothing (<paramref name="simplify"/> false): the graph is the
    /// formula as written, the reference the simplifications are tested against.
    /// </summary>
    public GraphBuilder(bool simplify) => this.simplify = simplify;

    /// <summary>Starts from an existing graph (to append derivative nodes to it).</summary>
    public GraphBuilder(Graph graph)
    {
        foreach (var node in graph.Nodes)
        {
            Intern(node);
        }
    }

    public Node this[int id] => nodes[id];

    public int Count => nodes.Count;

    /// <summary>Whether node <paramref name="id"/> depends on an input field (the exponent of <c>Pow</c> must not).</summary>
    public bool DependsOnInput(int id)
    {
        var seen = new HashSet<int>();
        var stack = new Stack<int>();
        stack.Push(id);
        while (stack.Count > 0)
        {
            var node = nodes[stack.Pop()];
            if (node.Op == Op.Input)
            {
                return true;
            }

            foreach (var arg in node.Args)
            {
                if (seen.Add(arg))
                {
                    stack.Push(arg);
                }
            }
        }

        return false;
    }

    public Graph ToGraph() => new(nodes.ToEquatableArray());

    public int Input(string name) => Intern(new Node(Op.Input, EquatableArray<int>.Empty, Shape.FullField, Name: name, Label: name));

    public int Hyper(string name) => Intern(new Node(Op.Hyper, EquatableArray<int>.Empty, Shape.Scalar, Name: name, Label: name));

    public int Constant(double value) => Intern(new Node(Op.Constant, EquatableArray<int>.Empty, Shape.Scalar, Value: value));

    /// <summary>The number of elements of a value of shape <paramref name="shape"/> (the divisor of its mean).</summary>
    public int Extent(Axes axes, string classDomain) =>
        axes == Axes.None ? Constant(1) : Intern(new Node(Op.Extent, EquatableArray<int>.Empty, Shape.Scalar, Name: classDomain, Reduce: axes));

    /// <summary>Adds an operation, or returns false with a message when its operands' shapes do not fit.</summary>
    public bool TryAdd(Op op, int[] args, out int id, out string? error, string name = "", Axes reduce = Axes.None)
    {
        var shape = ShapeRules.Infer(op, args.Select(a => nodes[a].Shape).ToArray(), name, reduce, out error);
        if (shape is null)
        {
            id = -1;
            return false;
        }

        id = (simplify ? Simplify(op, args, shape.Value, name, reduce) : null)
            ?? Intern(new Node(op, args.ToEquatableArray(), shape.Value, Name: name, Reduce: reduce));
        return true;
    }

    /// <summary>Adds an operation whose shapes are known to fit (derivatives of a checked graph).</summary>
    public int Add(Op op, int[] args, string name = "", Axes reduce = Axes.None)
    {
        if (!TryAdd(op, args, out var id, out var error, name, reduce))
        {
            throw new InvalidOperationException("internal shape error while building " + op + ": " + error);
        }

        return id;
    }

    public int Add(Op op, params int[] args) => Add(op, args, "", Axes.None);

    /// <summary>Gives node <paramref name="id"/> a readable name, unless it already has one.</summary>
    public void Label(int id, string label)
    {
        if (nodes[id].Label.Length == 0 && nodes[id].Op is not (Op.Constant or Op.Input or Op.Hyper))
        {
            nodes[id] = nodes[id] with { Label = label };
        }
    }

    /// <summary>Names node <paramref name="id"/> even if it already has a name (a gradient is named after its field).</summary>
    public void Relabel(int id, string label)
    {
        if (nodes[id].Op is not (Op.Constant or Op.Input or Op.Hyper))
        {
            nodes[id] = nodes[id] with { Label = label };
        }
    }

    private int Intern(Node node)
    {
        var hash = node.ValueHash();
        if (byValueHash.TryGetValue(hash, out var candidates))
        {
            foreach (var candidate in candidates)
            {
                if (nodes[candidate].SameValueAs(node))
                {
                    return candidate;
                }
            }
        }
        else
        {
            candidates = new List<int>();
            byValueHash[hash] = candidates;
        }

        nodes.Add(node);
        candidates.Add(nodes.Count - 1);
        return nodes.Count - 1;
    }

    private bool IsConstant(int id, double value) => nodes[id].Op == Op.Constant && nodes[id].Value.Equals(value);

    private bool IsConstant(int id, out double value)
    {
        value = nodes[id].Value;
        return nodes[id].Op == Op.Constant;
    }

    /// <summary>
    /// Folding and identities that keep IEEE semantics: for any inputs, ±∞ and NaN included, the rewritten graph gives
    /// NaN where the formula as written gives NaN and the same infinity where it gives one; finite results may differ
    /// by rounding (a sum is reassociated anyway) and a zero result in its sign. So x·0 is not folded (NaN·0 is NaN),
    /// and a factor leaves a sum only when it is provably finite (Σ ∞·b with a zero b is NaN, ∞·Σ b is not).
    /// Overflow and underflow of intermediate values are outside the promise, except where a rewrite could create one
    /// from constants alone (c·(d·x) is folded only when c·d neither overflows nor underflows). Returns null when
    /// nothing applies. An identity only applies when the surviving operand already has the result's shape.
    /// Each rule has a test against the unsimplified graph with ∞/NaN inputs (GraphBuilderExactnessTests).
    /// </summary>
    private int? Simplify(Op op, int[] args, Shape shape, string name, Axes reduce)
    {
        if (args.Length > 0 && args.All(a => nodes[a].Op == Op.Constant) && TryFold(op, args.Select(a => nodes[a].Value).ToArray(), out var folded))
        {
            return Constant(folded);
        }

        bool Keeps(int a) => nodes[a].Shape == shape;
        switch (op)
        {
            case Op.Sum when reduce == Axes.None:
                return args[0];
            case Op.Add when IsConstant(args[1], 0) && Keeps(args[0]):
                return args[0];
            case Op.Add when IsConstant(args[0], 0) && Keeps(args[1]):
                return args[1];
            case Op.Subtract when IsConstant(args[1], 0) && Keeps(args[0]):
                return args[0];
            case Op.Subtract when IsConstant(args[0], 0) && Keeps(args[1]):
                return Add(Op.Negate, args[1]);
            case Op.Subtract when nodes[args[1]].Op == Op.Negate:
                return Add(Op.Add, args[0], nodes[args[1]].Args[0]);
            case Op.Add when nodes[args[1]].Op == Op.Negate:
                return Add(Op.Subtract, args[0], nodes[args[1]].Args[0]);
            case Op.Multiply when IsConstant(args[1], 1) && Keeps(args[0]):
                return args[0];
            case Op.Multiply when IsConstant(args[0], 1) && Keeps(args[1]):
                return args[1];
            case Op.Multiply when IsConstant(args[0], -1) && Keeps(args[1]):
                return Add(Op.Negate, args[1]);
            case Op.Multiply when IsConstant(args[1], -1) && Keeps(args[0]):
                return Add(Op.Negate, args[0]);
            case Op.Multiply when IsConstant(args[1], out _) && !IsConstant(args[0], out _):
                // Constants first: c·x reads like the formulas people write, and lets c·(d·x) fold below.
                return Add(Op.Multiply, args[1], args[0]);
            case Op.Multiply when IsConstant(args[0], out var c) && nodes[args[1]].Op == Op.Multiply && IsConstant(nodes[args[1]].Args[0], out var d)
                && FoldsExactly(c, d):
                return Add(Op.Multiply, Constant(c * d), nodes[args[1]].Args[1]);
            case Op.Divide when IsConstant(args[1], 1) && Keeps(args[0]):
                return args[0];

            // Signs move outwards (exact in IEEE arithmetic), so that a − (−x) and a + (−x) below can cancel them;
            // derivatives produce many negations.
            case Op.Multiply when nodes[args[0]].Op == Op.Negate:
                return Add(Op.Negate, Add(Op.Multiply, nodes[args[0]].Args[0], args[1]));
            case Op.Multiply when nodes[args[1]].Op == Op.Negate:
                return Add(Op.Negate, Add(Op.Multiply, args[0], nodes[args[1]].Args[0]));
            case Op.Divide when nodes[args[0]].Op == Op.Negate:
                return Add(Op.Negate, Add(Op.Divide, nodes[args[0]].Args[0], args[1]));
            case Op.Divide when nodes[args[1]].Op == Op.Negate:
                return Add(Op.Negate, Add(Op.Divide, args[0], nodes[args[1]].Args[0]));
            case Op.Sum when nodes[args[0]].Op == Op.Negate:
                return Add(Op.Negate, Add(Op.Sum, new[] { nodes[args[0]].Args[0] }, "", reduce));
            case Op.Negate when nodes[args[0]].Op == Op.Subtract:
                // −(a − b) = b − a (up to the sign of a zero result).
                return Add(Op.Subtract, nodes[args[0]].Args[1], nodes[args[0]].Args[0]);

            // Negative constants become negations ((−c)·x = −(c·x) exactly), which then cancel in sums and differences.
            case Op.Multiply when IsConstant(args[0], out var negative) && negative < 0 && !IsConstant(args[1], out _):
                return Add(Op.Negate, Add(Op.Multiply, Constant(-negative), args[1]));
            case Op.Divide when IsConstant(args[0], out var negativeNumerator) && negativeNumerator < 0 && !IsConstant(args[1], out _):
                return Add(Op.Negate, Add(Op.Divide, Constant(-negativeNumerator), args[1]));

            // x·(1/y) = x/y: one rounding fewer.
            case Op.Multiply when nodes[args[1]].Op == Op.Divide && IsConstant(nodes[args[1]].Args[0], 1):
                return Add(Op.Divide, args[0], nodes[args[1]].Args[1]);
            case Op.Multiply when nodes[args[0]].Op == Op.Divide && IsConstant(nodes[args[0]].Args[0], 1):
                return Add(Op.Divide, args[1], nodes[args[0]].Args[1]);

            // x + x = 2·x exactly; adjoints accumulate the same contribution from several paths.
            case Op.Add when args[0] == args[1]:
                return Add(Op.Multiply, Constant(2), args[0]);

            // Σ_r a·b = a·Σ_r b when a is constant along r and provably finite: the reduction runs over one operand,
            // not a product (derivatives produce many "constant × field" terms that are then summed). With a = ±∞ it
            // is not exact (Σ_r ∞·b is NaN when some b is 0, ∞·Σ_r b is not), so a runtime value (a hyper-parameter,
            // a reduction such as Mean(t)) stays inside the sum.
            case Op.Sum when nodes[args[0]].Op == Op.Multiply && (nodes[nodes[args[0]].Args[0]].Shape.Axes & reduce) == Axes.None
                && IsFinite(nodes[args[0]].Args[0]):
                return Add(Op.Multiply, nodes[args[0]].Args[0], Add(Op.Sum, new[] { nodes[args[0]].Args[1] }, "", reduce));
            case Op.Sum when nodes[args[0]].Op == Op.Divide && (nodes[nodes[args[0]].Args[1]].Shape.Axes & reduce) == Axes.None
                && IsFiniteNonZero(nodes[args[0]].Args[1]):
                // Σ_r a/b = (Σ_r a)/b needs b ≠ 0 as well: Σ (1, 0)/0 is ∞ + NaN, (1 + 0)/0 is ∞.
                return Add(Op.Divide, Add(Op.Sum, new[] { nodes[args[0]].Args[0] }, "", reduce), nodes[args[0]].Args[1]);
            case Op.Sum when nodes[args[0]].Op == Op.Multiply && (nodes[nodes[args[0]].Args[1]].Shape.Axes & reduce) == Axes.None
                && IsFinite(nodes[args[0]].Args[1]):
                return Add(Op.Multiply, Add(Op.Sum, new[] { nodes[args[0]].Args[0] }, "", reduce), nodes[args[0]].Args[1]);
            case Op.Negate when nodes[args[0]].Op == Op.Negate:
                return nodes[args[0]].Args[0];
            case Op.Log when nodes[args[0]].Op == Op.Softmax:
                // log(softmax(x)) is unstable; log-softmax is the same value, computed stably.
                return Add(Op.LogSoftmax, nodes[args[0]].Args[0]);
            case Op.Exp when nodes[args[0]].Op == Op.LogSoftmax:
                return Add(Op.Softmax, nodes[args[0]].Args[0]);
            case Op.Pow when IsConstant(args[1], 1) && Keeps(args[0]):
                return args[0];
            case Op.Pow when IsConstant(args[1], 2):
                return Add(Op.Square, args[0]);
            case Op.Sum when nodes[args[0]].Op == Op.Sum:
                // Σ_a Σ_b x = Σ_{a∪b} x: one reduction, one pass.
                var inner = nodes[args[0]];
                return Add(Op.Sum, new[] { inner.Args[0] }, "", inner.Reduce | reduce);
            default:
                return null;
        }
    }

    /// <summary>
    /// Whether node <paramref name="id"/> is finite for every input: a finite constant, an element count, or
    /// products and quotients of those (a quotient only by a count or a non-zero constant).
    /// </summary>
    private bool IsFinite(int id)
    {
        var node = nodes[id];
        return node.Op switch
        {
            Op.Constant => !double.IsNaN(node.Value) && !double.IsInfinity(node.Value),
            Op.Extent => true,
            Op.Negate => IsFinite(node.Args[0]),
            Op.Multiply => IsFinite(node.Args[0]) && IsFinite(node.Args[1]),
            Op.Divide => IsFinite(node.Args[0]) && IsFiniteNonZero(node.Args[1]),
            _ => false,
        };
    }

    /// <summary>Whether node <paramref name="id"/> is finite and never zero: a finite non-zero constant or an element count (≥ 1).</summary>
    private bool IsFiniteNonZero(int id)
    {
        var node = nodes[id];
        return node.Op switch
        {
            Op.Constant => !double.IsNaN(node.Value) && !double.IsInfinity(node.Value) && node.Value != 0,
            Op.Extent => true,
            Op.Negate => IsFiniteNonZero(node.Args[0]),
            _ => false,
        };
    }

    /// <summary>
    /// Whether c·(d·x) = (c·d)·x keeps every ∞/NaN pattern: c·d must not overflow or underflow where c and d did not
    /// (0·x is NaN for an infinite x, 1e200·(1e200·0) is 0 but (1e200·1e200)·0 is NaN). The range is single
    /// precision's, since the CPU back end evaluates in float too.
    /// </summary>
    private static bool FoldsExactly(double c, double d)
    {
        if (double.IsNaN(c) || double.IsNaN(d) || double.IsInfinity(c) || double.IsInfinity(d) || c == 0 || d == 0)
        {
            return false;
        }

        var product = Math.Abs(c * d);
        return product >= float.Epsilon * (1 << 23) && product <= float.MaxValue;
    }

    private static bool TryFold(Op op, double[] v, out double result)
    {
        result = ElementWise.Is(op) ? ElementWise.Apply(op, v) : double.NaN;
        return ElementWise.Is(op);
    }
}
