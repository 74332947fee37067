using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace LossDsl.Cpu;

/// <summary>An element-wise function of one argument, on one value and vectorized on a span.</summary>
/// <typeparam name="T">The element type.</typeparam>
public interface IUnaryOp<T>
{
    /// <summary>f(x).</summary>
    static abstract T Apply(T x);

    /// <summary>d[i] = f(x[i]).</summary>
    static abstract void Apply(ReadOnlySpan<T> x, Span<T> destination);
}

/// <summary>An element-wise function of two arguments, on values and vectorized on spans.</summary>
/// <typeparam name="T">The element type.</typeparam>
public interface IBinaryOp<T>
{
    /// <summary>f(a, b).</summary>
    static abstract T Apply(T a, T b);

    /// <summary>d[i] = f(a[i], b[i]).</summary>
    static abstract void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> destination);

    /// <summary>d[i] = f(a[i], b).</summary>
    static abstract void Apply(ReadOnlySpan<T> a, T b, Span<T> destination);

    /// <summary>d[i] = f(a, b[i]).</summary>
    static abstract void Apply(T a, ReadOnlySpan<T> b, Span<T> destination);
}

#pragma warning disable CS1591 // each op is named after the function it applies; the interfaces document the members

/// <summary>a + b.</summary>
public readonly struct AddOp<T> : IBinaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T a, T b) => a + b;
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Add(a, b, d);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> d) => TensorPrimitives.Add(a, b, d);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Add(b, a, d);
}

/// <summary>a − b.</summary>
public readonly struct SubtractOp<T> : IBinaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T a, T b) => a - b;
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Subtract(a, b, d);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> d) => TensorPrimitives.Subtract(a, b, d);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Subtract(a, b, d);
}

/// <summary>a · b.</summary>
public readonly struct MultiplyOp<T> : IBinaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T a, T b) => a * b;
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Multiply(a, b, d);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> d) => TensorPrimitives.Multiply(a, b, d);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Multiply(b, a, d);
}

/// <summary>a / b.</summary>
public readonly struct DivideOp<T> : IBinaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T a, T b) => a / b;
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Divide(a, b, d);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> d) => TensorPrimitives.Divide(a, b, d);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Divide(a, b, d);
}

/// <summary>aᵇ.</summary>
public readonly struct PowOp<T> : IBinaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T a, T b) => T.Pow(a, b);
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Pow(a, b, d);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> d) => TensorPrimitives.Pow(a, b, d);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Pow(a, b, d);
}

/// <summary>min(a, b), NaN-propagating.</summary>
public readonly struct MinimumOp<T> : IBinaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T a, T b) => T.Min(a, b);
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Min(a, b, d);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> d) => TensorPrimitives.Min(a, b, d);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Min(b, a, d);
}

/// <summary>max(a, b), NaN-propagating.</summary>
public readonly struct MaximumOp<T> : IBinaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T a, T b) => T.Max(a, b);
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Max(a, b, d);
    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> d) => TensorPrimitives.Max(a, b, d);
    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Max(b, a, d);
}

/// <summary>1 where a ≥ b, else 0 (NaN where either is NaN, so NaN inputs reach the gradient).</summary>
public readonly struct GreaterOrEqualOp<T> : IBinaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T a, T b) => T.IsNaN(a) || T.IsNaN(b) ? T.NaN : a >= b ? T.One : T.Zero;

    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d)
    {
        for (var i = 0; i < d.Length; i++)
        {
            d[i] = Apply(a[i], b[i]);
        }
    }

    public static void Apply(ReadOnlySpan<T> a, T b, Span<T> d)
    {
        for (var i = 0; i < d.Length; i++)
        {
            d[i] = Apply(a[i], b);
        }
    }

    public static void Apply(T a, ReadOnlySpan<T> b, Span<T> d)
    {
        for (var i = 0; i < d.Length; i++)
        {
            d[i] = Apply(a, b[i]);
        }
    }
}

/// <summary>−x.</summary>
public readonly struct NegateOp<T> : IUnaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => -x;
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Negate(x, d);
}

/// <summary>ln x.</summary>
public readonly struct LogOp<T> : IUnaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Log(x);
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Log(x, d);
}

/// <summary>eˣ.</summary>
public readonly struct ExpOp<T> : IUnaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Exp(x);
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => Exponentials.Apply(x, d);
}

/// <summary>√x.</summary>
public readonly struct SqrtOp<T> : IUnaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Sqrt(x);
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Sqrt(x, d);
}

/// <summary>|x|.</summary>
public readonly struct AbsOp<T> : IUnaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Abs(x);
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Abs(x, d);
}

/// <summary>x².</summary>
public readonly struct SquareOp<T> : IUnaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => x * x;
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Multiply(x, x, d);
}

/// <summary>1/(1 + e⁻ˣ).</summary>
public readonly struct SigmoidOp<T> : IUnaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.One / (T.One + T.Exp(-x));
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Sigmoid(x, d);
}

/// <summary>Heaviside step: 1 where x &gt; 0, else 0; NaN stays NaN.</summary>
public readonly struct StepOp<T> : IUnaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => x > T.Zero ? T.One : T.IsNaN(x) ? x : T.Zero;

    public static void Apply(ReadOnlySpan<T> x, Span<T> d)
    {
        for (var i = 0; i < d.Length; i++)
        {
            d[i] = Apply(x[i]);
        }
    }
}

/// <summary>sign(x) ∈ {−1, 0, 1}; NaN stays NaN.</summary>
public readonly struct SignOp<T> : IUnaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T x) => x > T.Zero ? T.One : x < T.Zero ? -T.One : x;

    public static void Apply(ReadOnlySpan<T> x, Span<T> d)
    {
        for (var i = 0; i < d.Length; i++)
        {
            d[i] = Apply(x[i]);
        }
    }
}
#pragma warning restore CS1591

/// <summary>eˣ over a span: <see cref="FastExp"/> for float (the exponentials dominate softmax losses), TensorPrimitives otherwise.</summary>
internal static class Exponentials
{
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            FastExp.Apply(System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(x), System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(d));
        }
        else
        {
            TensorPrimitives.Exp(x, d);
        }
    }
}
