namespace LossDsl;

/// <summary>
/// The intrinsics of the LossDsl language. Use them with <c>using static LossDsl.Dsl;</c> inside a <c>[Loss]</c>
/// method; the generator compiles each call into fused code and knows its derivative. Axes: <c>B</c> (batch),
/// <c>C</c> (classes) and the spatial axes, which are always reduced together.
/// </summary>
public static class Dsl
{
    // ---- element-wise -------------------------------------------------------------------------------

    /// <summary>Natural logarithm, element-wise. ∂/∂x = 1/x.</summary>
    public static Field Log(Field x) => throw SymbolicValue.NotEvaluable();
    /// <summary>Natural logarithm. ∂/∂x = 1/x.</summary>
    public static Scalar Log(Scalar x) => throw SymbolicValue.NotEvaluable();
    /// <summary>Exponential, element-wise. ∂/∂x = eˣ.</summary>
    public static Field Exp(Field x) => throw SymbolicValue.NotEvaluable();
    /// <summary>Exponential. ∂/∂x = eˣ.</summary>
    public static Scalar Exp(Scalar x) => throw SymbolicValue.NotEvaluable();
    /// <summary>Square root, element-wise. ∂/∂x = 1/(2√x).</summary>
    public static Field Sqrt(Field x) => throw SymbolicValue.NotEvaluable();
    /// <summary>Square root. ∂/∂x = 1/(2√x).</summary>
    public static Scalar Sqrt(Scalar x) => throw SymbolicValue.NotEvaluable();
    /// <summary>Absolute value, element-wise. ∂/∂x = sign(x) (0 at 0).</summary>
    public static Field Abs(Field x) => throw SymbolicValue.NotEvaluable();
    /// <summary>Absolute value. ∂/∂x = sign(x) (0 at 0).</summary>
    public static Scalar Abs(Scalar x) => throw SymbolicValue.NotEvaluable();
    /// <summary>x², element-wise. ∂/∂x = 2x.</summary>
    public static Field Square(Field x) => throw SymbolicValue.NotEvaluable();
    /// <summary>x². ∂/∂x = 2x.</summary>
    public static Scalar Square(Scalar x) => throw SymbolicValue.NotEvaluable();
    /// <summary>xᵉ with an exponent that does not depend on a field. ∂/∂x = e·xᵉ⁻¹.</summary>
    public static Field Pow(Field x, double exponent) => throw SymbolicValue.NotEvaluable();
    /// <summary>xᵉ with an exponent that does not depend on a field. ∂/∂x = e·xᵉ⁻¹.</summary>
    public static Field Pow(Field x, Scalar exponent) => throw SymbolicValue.NotEvaluable();
    /// <summary>xᵉ. ∂/∂x = e·xᵉ⁻¹.</summary>
    public static Scalar Pow(Scalar x, double exponent) => throw SymbolicValue.NotEvaluable();
    /// <summary>Logistic sigmoid 1/(1+e⁻ˣ), element-wise. ∂/∂x = σ(1−σ).</summary>
    public static Field Sigmoid(Field x) => throw SymbolicValue.NotEvaluable();
    /// <summary>Element-wise minimum (broadcasting). The derivative goes to the smaller argument (to <paramref name="a"/> on ties).</summary>
    public static Field Min(Field a, Field b) => throw SymbolicValue.NotEvaluable();
    /// <summary>Element-wise minimum with a constant.</summary>
    public static Field Min(Field a, double b) => throw SymbolicValue.NotEvaluable();
    /// <summary>Element-wise maximum (broadcasting). The derivative goes to the larger argument (to <paramref name="a"/> on ties).</summary>
    public static Field Max(Field a, Field b) => throw SymbolicValue.NotEvaluable();
    /// <summary>Element-wise maximum with a constant.</summary>
    public static Field Max(Field a, double b) => throw SymbolicValue.NotEvaluable();
    /// <summary>min(max(x, lo), hi), element-wise. ∂/∂x = 1 inside [lo, hi], 0 outside.</summary>
    public static Field Clamp(Field x, double lo, double hi) => throw SymbolicValue.NotEvaluable();

    /// <summary>Heaviside step, element-wise: 1 where x &gt; 0, else 0. Its derivative is 0; use it for masks and indicators.</summary>
    public static Field Step(Field x) => throw SymbolicValue.NotEvaluable();

    // ---- over the class axis ------------------------------------------------------------------------

    /// <summary>Softmax over the class axis C: e^{x_c} / Σ_k e^{x_k}, computed stably.</summary>
    public static Field Softmax(Field logits) => throw SymbolicValue.NotEvaluable();
    /// <summary>Log-softmax over the class axis C: x_c − log Σ_k e^{x_k}, computed stably.</summary>
    public static Field LogSoftmax(Field logits) => throw SymbolicValue.NotEvaluable();
    /// <summary>The classes listed in <paramref name="idc"/>, in that order: <c>(B, C, *S)</c> → <c>(B, |idc|, *S)</c>.</summary>
    public static Field Select(Field x, int[] idc) => throw SymbolicValue.NotEvaluable();

    // ---- reductions ---------------------------------------------------------------------------------

    /// <summary>Sum over every axis.</summary>
    public static Scalar Sum(Field x) => throw SymbolicValue.NotEvaluable();
    /// <summary>Mean over every axis (divides by the number of elements, B·C·|Ω| for a full field).</summary>
    public static Scalar Mean(Field x) => throw SymbolicValue.NotEvaluable();
    /// <summary>Sum over the spatial axes: <c>(B, C, *S)</c> → <c>(B, C)</c>.</summary>
    public static Field SumSpatial(Field x) => throw SymbolicValue.NotEvaluable();
    /// <summary>Mean over the spatial axes: <c>(B, C, *S)</c> → <c>(B, C)</c>.</summary>
    public static Field MeanSpatial(Field x) => throw SymbolicValue.NotEvaluable();
    /// <summary>Sum over the class axis: <c>(B, C, *S)</c> → <c>(B, *S)</c>.</summary>
    public static Field SumClasses(Field x) => throw SymbolicValue.NotEvaluable();
    /// <summary>Mean over the class axis: <c>(B, C, *S)</c> → <c>(B, *S)</c>.</summary>
    public static Field MeanClasses(Field x) => throw SymbolicValue.NotEvaluable();
    /// <summary>Sum over the batch axis: <c>(B, C, *S)</c> → <c>(C, *S)</c>.</summary>
    public static Field SumBatch(Field x) => throw SymbolicValue.NotEvaluable();
    /// <summary>Maximum over the spatial axes: <c>(B, C, *S)</c> → <c>(B, C)</c>. The gradient goes to the maximal elements, shared among ties.</summary>
    public static Field MaxSpatial(Field x) => throw SymbolicValue.NotEvaluable();
    /// <summary>Maximum over the class axis: <c>(B, C, *S)</c> → <c>(B, *S)</c>. The gradient goes to the maximal elements, shared among ties.</summary>
    public static Field MaxClasses(Field x) => throw SymbolicValue.NotEvaluable();
    /// <summary>Maximum over the batch axis: <c>(B, C, *S)</c> → <c>(C, *S)</c>. The gradient goes to the maximal elements, shared among ties.</summary>
    public static Field MaxBatch(Field x) => throw SymbolicValue.NotEvaluable();
    /// <summary>Mean over the batch axis: <c>(B, C, *S)</c> → <c>(C, *S)</c>.</summary>
    public static Field MeanBatch(Field x) => throw SymbolicValue.NotEvaluable();
}
