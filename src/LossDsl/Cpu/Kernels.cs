using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace LossDsl.Cpu;

/// <summary>
/// The vectorized building blocks that generated CPU code calls, one per IR operation. Each works on
/// <see cref="View{T}"/>s with broadcasting: an operand without an axis the destination has is repeated along it.
/// Every loop runs in a fixed order, so results never depend on threads.
/// </summary>
public static class Kernels
{
    /// <summary>d = f(x), element-wise.</summary>
    public static View<T> Unary<T, TOp>(View<T> x, View<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : IUnaryOp<T>
    {
        if (SameLayout(x, d))
        {
            TOp.Apply(x.Span, d.Span);
            return d;
        }

        for (var b = 0; b < d.Batches; b++)
        {
            for (var c = 0; c < d.Classes; c++)
            {
                var row = d.Row(b, c);
                if (x.HasPositions)
                {
                    TOp.Apply(x.Row(b, c), row);
                }
                else
                {
                    row.Fill(TOp.Apply(x.At(b, c)));
                }
            }
        }

        return d;
    }

    /// <summary>d = f(a, b), element-wise with broadcasting.</summary>
    public static View<T> Binary<T, TOp>(View<T> a, View<T> b, View<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : IBinaryOp<T>
    {
        if (SameLayout(a, d) && SameLayout(b, d))
        {
            TOp.Apply(a.Span, b.Span, d.Span);
            return d;
        }

        for (var i = 0; i < d.Batches; i++)
        {
            for (var c = 0; c < d.Classes; c++)
            {
                var row = d.Row(i, c);
                switch (a.HasPositions, b.HasPositions)
                {
                    case (true, true):
                        TOp.Apply(a.Row(i, c), b.Row(i, c), row);
                        break;
                    case (true, false):
                        TOp.Apply(a.Row(i, c), b.At(i, c), row);
                        break;
                    case (false, true):
                        TOp.Apply(a.At(i, c), b.Row(i, c), row);
                        break;
                    default:
                        row.Fill(TOp.Apply(a.At(i, c), b.At(i, c)));
                        break;
                }
            }
        }

        return d;
    }

    /// <summary>d = f(a, s) for a scalar s.</summary>
    public static View<T> Binary<T, TOp>(View<T> a, T s, View<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : IBinaryOp<T>
    {
        if (SameLayout(a, d))
        {
            TOp.Apply(a.Span, s, d.Span);
            return d;
        }

        for (var i = 0; i < d.Batches; i++)
        {
            for (var c = 0; c < d.Classes; c++)
            {
                if (a.HasPositions)
                {
                    TOp.Apply(a.Row(i, c), s, d.Row(i, c));
                }
                else
                {
                    d.Row(i, c).Fill(TOp.Apply(a.At(i, c), s));
                }
            }
        }

        return d;
    }

    /// <summary>d = f(s, b) for a scalar s.</summary>
    public static View<T> Binary<T, TOp>(T s, View<T> b, View<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : IBinaryOp<T>
    {
        if (SameLayout(b, d))
        {
            TOp.Apply(s, b.Span, d.Span);
            return d;
        }

        for (var i = 0; i < d.Batches; i++)
        {
            for (var c = 0; c < d.Classes; c++)
            {
                if (b.HasPositions)
                {
                    TOp.Apply(s, b.Row(i, c), d.Row(i, c));
                }
                else
                {
                    d.Row(i, c).Fill(TOp.Apply(s, b.At(i, c)));
                }
            }
        }

        return d;
    }

    /// <summary>
    /// d = Σ x over the axes <paramref name="d"/> lacks. Rows are summed with <see cref="TensorPrimitives.Sum{T}(ReadOnlySpan{T})"/>
    /// and accumulated in index order, so the result is the same on every run.
    /// </summary>
    public static View<T> Sum<T>(View<T> x, View<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Reduce<T, SumReduction<T>>(x, d);
        return d;
    }

    /// <summary>d = max of x over the axes <paramref name="d"/> lacks; NaN if any of those elements is NaN.</summary>
    public static View<T> MaxOver<T>(View<T> x, View<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Reduce<T, MaxReduction<T>>(x, d);
        return d;
    }

    private static void Reduce<T, TReduction>(View<T> x, View<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TReduction : IReduction<T>
    {
        d.Span.Fill(TReduction.Identity);
        for (var b = 0; b < x.Batches; b++)
        {
            for (var c = 0; c < x.Classes; c++)
            {
                var db = d.HasBatch ? b : 0;
                var dc = d.HasClass ? c : 0;
                if (d.HasPositions)
                {
                    var target = d.Row(db, dc);
                    TReduction.Combine(target, x.Row(b, c), target);
                }
                else
                {
                    d.At(db, dc) = TReduction.Combine(d.At(db, dc), x.HasPositions ? TReduction.Aggregate(x.Row(b, c)) : x.At(b, c));
                }
            }
        }
    }

    /// <summary>A reduction: its identity, how it combines two values or two rows, and how it aggregates a row.</summary>
    private interface IReduction<T>
    {
        static abstract T Identity { get; }

        static abstract T Combine(T a, T b);

        static abstract void Combine(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> destination);

        static abstract T Aggregate(ReadOnlySpan<T> row);
    }

    private readonly struct SumReduction<T> : IReduction<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static T Identity => T.Zero;

        public static T Combine(T a, T b) => a + b;

        public static void Combine(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> destination) => TensorPrimitives.Add(a, b, destination);

        public static T Aggregate(ReadOnlySpan<T> row) => TensorPrimitives.Sum(row);
    }

    private readonly struct MaxReduction<T> : IReduction<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static T Identity => T.NegativeInfinity;

        public static T Combine(T a, T b) => T.Max(a, b);

        public static void Combine(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> destination) => TensorPrimitives.Max(a, b, destination);

        public static T Aggregate(ReadOnlySpan<T> row) => TensorPrimitives.Max(row);
    }

    /// <summary>The largest element of a value without positions (NaN if any is NaN).</summary>
    public static T Maximum<T>(View<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Max<T>(x.Span);

    /// <summary>Σ of every element of a value without positions, in index order.</summary>
    public static T Total<T>(View<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Sum<T>(x.Span);

    /// <summary>Softmax over the class axis: d_c = e^{x_c − m} / Σ_k e^{x_k − m}, m = max_k x_k (stable).</summary>
    public static void Softmax<T>(View<T> x, View<T> d)
        where T : unmanaged, IFloatingPointIeee754<T> => SoftmaxCore(x, d, log: false);

    /// <summary>Log-softmax over the class axis: d_c = x_c − m − log Σ_k e^{x_k − m} (stable).</summary>
    public static void LogSoftmax<T>(View<T> x, View<T> d)
        where T : unmanaged, IFloatingPointIeee754<T> => SoftmaxCore(x, d, log: true);

    private static void SoftmaxCore<T>(View<T> x, View<T> d, bool log)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var length = d.Length;
        Span<T> scratch = length <= 512 ? stackalloc T[3 * length] : new T[3 * length];
        var max = scratch.Slice(0, length);
        var total = scratch.Slice(length, length);
        var exps = scratch.Slice(2 * length, length);
        for (var b = 0; b < d.Batches; b++)
        {
            x.Row(b, 0).CopyTo(max);
            for (var c = 1; c < d.Classes; c++)
            {
                TensorPrimitives.Max(max, x.Row(b, c), max);
            }

            total.Clear();
            for (var c = 0; c < d.Classes; c++)
            {
                // Shifting by the maximum keeps every exponential ≤ 1: no overflow for large logits.
                var row = d.Row(b, c);
                TensorPrimitives.Subtract(x.Row(b, c), max, row);
                var exponentials = log ? exps : row;
                Exponentials.Apply<T>(row, exponentials);
                TensorPrimitives.Add(total, exponentials, total);
            }

            if (log)
            {
                TensorPrimitives.Log(total, total);
            }

            for (var c = 0; c < d.Classes; c++)
            {
                var row = d.Row(b, c);
                if (log)
                {
                    TensorPrimitives.Subtract(row, total, row);
                }
                else
                {
                    TensorPrimitives.Divide(row, total, row);
                }
            }
        }
    }

    /// <summary>d = x restricted to classes <paramref name="idc"/>: plane k of d is plane idc[k] of x.</summary>
    public static View<T> Select<T>(View<T> x, int[] idc, View<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var b = 0; b < d.Batches; b++)
        {
            for (var k = 0; k < idc.Length; k++)
            {
                if (x.HasPositions)
                {
                    x.Row(b, idc[k]).CopyTo(d.Row(b, k));
                }
                else
                {
                    d.At(b, k) = x.At(b, idc[k]);
                }
            }
        }

        return d;
    }

    /// <summary>The adjoint of <see cref="Select{T}"/>: plane c of d is Σ over k with idc[k] = c of plane k of x (0 if none).</summary>
    public static View<T> Scatter<T>(View<T> x, int[] idc, View<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        d.Span.Clear();
        for (var b = 0; b < d.Batches; b++)
        {
            for (var k = 0; k < idc.Length; k++)
            {
                if (d.HasPositions)
                {
                    var target = d.Row(b, idc[k]);
                    if (x.HasPositions)
                    {
                        TensorPrimitives.Add(target, x.Row(b, k), target);
                    }
                    else
                    {
                        TensorPrimitives.Add(target, x.At(b, k), target);
                    }
                }
                else
                {
                    d.At(b, idc[k]) += x.At(b, k);
                }
            }
        }

        return d;
    }

    /// <summary>
    /// <see cref="Scatter{T}(View{T}, int[], View{T})"/> of a value without a class axis: every listed class receives
    /// it once per time it is listed (plane c of d is x times the number of k with idc[k] = c).
    /// </summary>
    public static View<T> Scatter<T>(T x, int[] idc, View<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        d.Span.Clear();
        for (var b = 0; b < d.Batches; b++)
        {
            foreach (var c in idc)
            {
                d.At(b, c) += x;
            }
        }

        return d;
    }

    private static bool SameLayout<T>(View<T> a, View<T> d) =>
        a.HasBatch == d.HasBatch && a.HasClass == d.HasClass && a.HasPositions == d.HasPositions;
}
