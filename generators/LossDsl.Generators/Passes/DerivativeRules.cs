using System.Collections.Generic;
using LossDsl.Generators.Ir;

namespace LossDsl.Generators.Passes;

/// <summary>What a derivative rule sees: the primal node, its own value and the adjoint flowing into it.</summary>
/// <param name="Builder">Where contributions are built (so they are folded, simplified and shared).</param>
/// <param name="Node">The primal node.</param>
/// <param name="Self">The id of the primal node's value (y), for rules that reuse it, e.g. exp.</param>
/// <param name="Adjoint">The id of ∂L/∂y. It may have fewer axes than y (it is then constant along the others).</param>
internal readonly record struct RuleContext(GraphBuilder Builder, Node Node, int Self, int Adjoint)
{
    /// <summary>Operand <paramref name="i"/> of the primal node.</summary>
    public int Arg(int i) => Node.Args[i];

    public int Add(Op op, params int[] args) => Builder.Add(op, args);

    public int Constant(double value) => Builder.Constant(value);
}

/// <summary>
/// Reverse-mode derivative of one operation with respect to operand <c>i</c>: the id of the contribution to that
/// operand's adjoint, or −1 when there is none. For element-wise operations the differentiator then undoes the
/// forward broadcast of the operand ("unbroadcast"), so these rules never deal with it; a contribution with fewer
/// axes than its operand is constant along the missing ones.
/// </summary>
internal delegate int DerivativeRule(in RuleContext c, int i);

/// <summary>
/// The one table of per-operation derivatives (DiffSharp/Furnace keep each op's derivative next to it; here the IR is
/// small enough to keep them all in one place, which makes a missing or wrong rule easy to see).
/// </summary>
internal static class DerivativeRules
{
    /// <summary>No derivative: the operation is piecewise constant (sign, masks) or does not depend on fields.</summary>
    private static readonly DerivativeRule None = static (in RuleContext _, int _) => -1;

    private static readonly Dictionary<Op, DerivativeRule> Table = new()
    {
        [Op.Input] = None,
        [Op.Hyper] = None,
        [Op.Constant] = None,
        [Op.Extent] = None,
        [Op.Sign] = None,
        [Op.GreaterOrEqual] = None,
        [Op.Step] = None,

        // The maximum's adjoint goes to the elements that reach it, shared equally among ties (as torch.amax does).
        [Op.MaxOver] = static (in RuleContext c, int i) =>
        {
            var reached = c.Add(Op.GreaterOrEqual, c.Arg(0), c.Self);
            var ties = c.Builder.Add(Op.Sum, new[] { reached }, "", c.Node.Reduce);
            return c.Add(Op.Multiply, c.Adjoint, c.Add(Op.Divide, reached, ties));
        },

        [Op.Add] = static (in RuleContext c, int i) => c.Adjoint,
        [Op.Subtract] = static (in RuleContext c, int i) => i == 0 ? c.Adjoint : c.Add(Op.Negate, c.Adjoint),
        [Op.Multiply] = static (in RuleContext c, int i) => c.Add(Op.Multiply, c.Adjoint, c.Arg(1 - i)),

        // ∂(a/b)/∂b = −a/b² = −y/b: reuses the quotient instead of squaring b.
        [Op.Divide] = static (in RuleContext c, int i) => i == 0
            ? c.Add(Op.Divide, c.Adjoint, c.Arg(1))
            : c.Add(Op.Negate, c.Add(Op.Divide, c.Add(Op.Multiply, c.Adjoint, c.Self), c.Arg(1))),
        [Op.Negate] = static (in RuleContext c, int i) => c.Add(Op.Negate, c.Adjoint),
        [Op.Log] = static (in RuleContext c, int i) => c.Add(Op.Divide, c.Adjoint, c.Arg(0)),
        [Op.Exp] = static (in RuleContext c, int i) => c.Add(Op.Multiply, c.Adjoint, c.Self),
        [Op.Sqrt] = static (in RuleContext c, int i) => c.Add(Op.Divide, c.Add(Op.Multiply, c.Constant(0.5), c.Adjoint), c.Self),

        // Subgradient 0 at the kink (sign(0) = 0), as PyTorch does.
        [Op.Abs] = static (in RuleContext c, int i) => c.Add(Op.Multiply, c.Adjoint, c.Add(Op.Sign, c.Arg(0))),
        [Op.Square] = static (in RuleContext c, int i) => c.Add(Op.Multiply, c.Add(Op.Multiply, c.Constant(2), c.Arg(0)), c.Adjoint),
        [Op.Sigmoid] = static (in RuleContext c, int i) =>
            c.Add(Op.Multiply, c.Adjoint, c.Add(Op.Multiply, c.Self, c.Add(Op.Subtract, c.Constant(1), c.Self))),

        // The exponent never depends on a field (the front end rejects it), so only the base has a derivative.
        [Op.Pow] = static (in RuleContext c, int i) => i != 0
            ? -1
            : c.Add(Op.Multiply, c.Adjoint, c.Add(Op.Multiply, c.Arg(1), c.Add(Op.Pow, c.Arg(0), c.Add(Op.Subtract, c.Arg(1), c.Constant(1))))),

        // Ties go to the first operand: [b ≥ a] for min, [a ≥ b] for max; the second gets the complement.
        [Op.Minimum] = static (in RuleContext c, int i) => MaskedAdjoint(c, c.Add(Op.GreaterOrEqual, c.Arg(1), c.Arg(0)), i),
        [Op.Maximum] = static (in RuleContext c, int i) => MaskedAdjoint(c, c.Add(Op.GreaterOrEqual, c.Arg(0), c.Arg(1)), i),

        // J = diag(y) − y yᵀ over classes: Jᵀ·g = y ⊙ (g − Σ_c g ⊙ y).
        [Op.Softmax] = static (in RuleContext c, int i) =>
            c.Add(Op.Multiply, c.Self, c.Add(Op.Subtract, c.Adjoint, SumClasses(c, c.Add(Op.Multiply, c.Adjoint, c.Self)))),

        // J = I − 1·softmaxᵀ: Jᵀ·g = g − softmax ⊙ Σ_c g. Stable: no division by a probability.
        [Op.LogSoftmax] = static (in RuleContext c, int i) =>
            c.Add(Op.Subtract, c.Adjoint, c.Add(Op.Multiply, c.Add(Op.Softmax, c.Arg(0)), SumClasses(c, c.Adjoint))),

        // The adjoint of a sum is the incoming adjoint, broadcast along the summed axes (it lacks them already).
        [Op.Sum] = static (in RuleContext c, int i) => c.Adjoint,

        // Select and Scatter are each other's adjoints.
        [Op.Select] = static (in RuleContext c, int i) => c.Builder.Add(Op.Scatter, new[] { c.Adjoint }, c.Node.Name),
        [Op.Scatter] = static (in RuleContext c, int i) => ScatterAdjoint(c),
    };

    /// <summary>The rule of <paramref name="op"/>. Every operation has an entry (a test checks it).</summary>
    public static DerivativeRule For(Op op) => Table[op];

    public static bool Has(Op op) => Table.ContainsKey(op);

    /// <summary>
    /// Whole-pattern rules, tried before the per-op rule (JAX's custom_vjp): a node whose derivative composed from its
    /// operand's rule is unstable sends its contribution straight to a grand-operand instead. By linearity of the
    /// chain rule this is exact even when the skipped operand has other users: they still reach it through its own
    /// rule; only this path is short-circuited.
    /// <list type="bullet">
    /// <item><c>log(σ(x))</c>: the composition gives g/σ(x)·σ(x)(1−σ(x)), which is 0/0 when σ(x) underflows; the
    /// pattern gives g·σ(−x), exact for every x.</item>
    /// </list>
    /// Patterns that need no rule of their own: <c>log(softmax(x))</c> is rewritten to <c>log_softmax(x)</c> by the
    /// builder, whose rule (g − softmax·Σ_c g) has no division; so the gradient of a cross-entropy
    /// <c>−Σ y·log_softmax(x)</c> comes out as <c>softmax·Σ_c y − y</c> (= softmax − y for one-hot y), as the JAX
    /// rule would give.
    /// </summary>
    public static bool TryPattern(in RuleContext c, out int target, out int contribution)
    {
        var builder = c.Builder;
        if (c.Node.Op == Op.Log && builder[c.Arg(0)].Op == Op.Sigmoid)
        {
            target = builder[c.Arg(0)].Args[0];
            contribution = c.Add(Op.Multiply, c.Adjoint, c.Add(Op.Sigmoid, c.Add(Op.Negate, target)));
            return true;
        }

        target = -1;
        contribution = -1;
        return false;
    }

    /// <summary>
    /// ∂/∂x_k of scatter(x) is the adjoint at class idc[k]. An argument without the class axis was counted once per
    /// listed class, so it gets the sum over the list (|idc|·g when g is constant along classes).
    /// </summary>
    private static int ScatterAdjoint(in RuleContext c)
    {
        var builder = c.Builder;
        var selected = builder[c.Adjoint].Shape.Has(Axes.Class) ? builder.Add(Op.Select, new[] { c.Adjoint }, c.Node.Name) : c.Adjoint;
        if (builder[c.Arg(0)].Shape.Has(Axes.Class))
        {
            return selected;
        }

        return builder[selected].Shape.Has(Axes.Class)
            ? builder.Add(Op.Sum, new[] { selected }, "", Axes.Class)
            : c.Add(Op.Multiply, builder.Extent(Axes.Class, c.Node.Name), selected);
    }

    private static int MaskedAdjoint(in RuleContext c, int firstWins, int i) =>
        c.Add(Op.Multiply, c.Adjoint, i == 0 ? firstWins : c.Add(Op.Subtract, c.Constant(1), firstWins));

    /// <summary>Σ_c of <paramref name="value"/>; a value without the class axis is constant along it, so Σ_c is |C|·value.</summary>
    private static int SumClasses(in RuleContext c, int value)
    {
        var builder = c.Builder;
        if (builder[value].Shape.Has(Axes.Class))
        {
            return builder.Add(Op.Sum, new[] { value }, "", Axes.Class);
        }

        var classes = builder.Extent(Axes.Class, builder[c.Self].Shape.ClassDomain);
        return c.Add(Op.Multiply, classes, value);
    }
}
