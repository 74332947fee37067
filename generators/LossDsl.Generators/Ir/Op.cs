namespace LossDsl.Generators.Ir;

/// <summary>The operations of the IR. Their derivatives live in one table, <c>Passes/DerivativeRules.cs</c>.</summary>
internal enum Op
{
    /// <summary>A <c>Field</c> parameter. <see cref="Node.Name"/> is the parameter name.</summary>
    Input,

    /// <summary>A numeric hyper-parameter (<c>float</c>, <c>double</c> or <c>int</c>). <see cref="Node.Name"/> is its name.</summary>
    Hyper,

    /// <summary>A numeric literal, <see cref="Node.Value"/>.</summary>
    Constant,

    /// <summary>
    /// The number of elements along <see cref="Node.Reduce"/> within class domain <see cref="Node.Name"/>
    /// (B, |classes| or |Ω|, or their product): the divisor of a mean. Known only at run time.
    /// </summary>
    Extent,

    Add,
    Subtract,
    Multiply,
    Divide,
    Negate,
    Log,
    Exp,
    Sqrt,
    Abs,
    Square,
    Sigmoid,

    /// <summary>Args: base, exponent. The exponent never depends on a field (checked by the front end).</summary>
    Pow,

    /// <summary>sign(x) ∈ {−1, 0, 1}. Appears in derivatives; its own derivative is zero.</summary>
    Sign,

    Minimum,
    Maximum,

    /// <summary>1 where a ≥ b, else 0. Appears in derivatives of min/max; its own derivative is zero.</summary>
    GreaterOrEqual,

    /// <summary>Softmax over the class axis.</summary>
    Softmax,

    /// <summary>Log-softmax over the class axis.</summary>
    LogSoftmax,

    /// <summary>Sum over the axes in <see cref="Node.Reduce"/>.</summary>
    Sum,

    /// <summary>Restriction to the classes of the <c>int[]</c> parameter <see cref="Node.Name"/>.</summary>
    Select,

    /// <summary>
    /// The adjoint of <see cref="Select"/>: class plane <c>c</c> of the result is the sum of the argument's planes
    /// <c>k</c> with <c>idc[k] = c</c> (zero for classes not listed). <see cref="Node.Name"/> is the <c>int[]</c> parameter.
    /// </summary>
    Scatter,

    /// <summary>Maximum over the axes in <see cref="Node.Reduce"/> (NaN if any element is NaN).</summary>
    MaxOver,

    /// <summary>Heaviside step: 1 where x &gt; 0, else 0 (NaN stays NaN). Its derivative is zero.</summary>
    Step,
}
