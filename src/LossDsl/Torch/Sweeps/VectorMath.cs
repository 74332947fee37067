using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LossDsl.Torch.Sweeps;

/// <summary>
/// The elementwise loops the sweeps are built from: <see cref="Vector{T}"/> bodies with scalar tails. The loops are
/// compiled fully optimized on first use (AggressiveOptimization): under tiered compilation a sweep called a few
/// dozen times otherwise runs tier-0 vector code, measured 6× slower than the optimized loop.
/// </summary>
internal static class VectorMath
{
    /// <summary>a·b + addend, one fused instruction where the hardware has one (the generic operators would not fuse).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> MulAdd<T>(Vector<T> a, Vector<T> b, Vector<T> addend)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            return Vector.MultiplyAddEstimate(a.As<T, float>(), b.As<T, float>(), addend.As<T, float>()).As<float, T>();
        }

        if (typeof(T) == typeof(double))
        {
            return Vector.MultiplyAddEstimate(a.As<T, double>(), b.As<T, double>(), addend.As<T, double>()).As<double, T>();
        }

        return (a * b) + addend;
    }

    /// <summary>destination = source·factor + shift.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ScaleShift<T>(ReadOnlySpan<T> source, T factor, T shift, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref var s = ref MemoryMarshal.GetReference(source);
        ref var d = ref MemoryMarshal.GetReference(destination);
        var f = new Vector<T>(factor);
        var a = new Vector<T>(shift);
        var n = destination.Length;
        var i = 0;
        for (; i <= n - Vector<T>.Count; i += Vector<T>.Count)
        {
            MulAdd(Vector.LoadUnsafe(ref s, (nuint)i), f, a).StoreUnsafe(ref d, (nuint)i);
        }

        for (; i < n; i++)
        {
            destination[i] = T.MultiplyAddEstimate(source[i], factor, shift);
        }
    }

    /// <summary>destination += source·factor.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddScaled<T>(ReadOnlySpan<T> source, T factor, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref var s = ref MemoryMarshal.GetReference(source);
        ref var d = ref MemoryMarshal.GetReference(destination);
        var f = new Vector<T>(factor);
        var n = destination.Length;
        var i = 0;
        for (; i <= n - Vector<T>.Count; i += Vector<T>.Count)
        {
            MulAdd(Vector.LoadUnsafe(ref s, (nuint)i), f, Vector.LoadUnsafe(ref d, (nuint)i)).StoreUnsafe(ref d, (nuint)i);
        }

        for (; i < n; i++)
        {
            destination[i] = T.MultiplyAddEstimate(source[i], factor, destination[i]);
        }
    }

    /// <summary>destination += a·b, elementwise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddProduct<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref var ra = ref MemoryMarshal.GetReference(a);
        ref var rb = ref MemoryMarshal.GetReference(b);
        ref var d = ref MemoryMarshal.GetReference(destination);
        var n = destination.Length;
        var i = 0;
        for (; i <= n - Vector<T>.Count; i += Vector<T>.Count)
        {
            MulAdd(Vector.LoadUnsafe(ref ra, (nuint)i), Vector.LoadUnsafe(ref rb, (nuint)i), Vector.LoadUnsafe(ref d, (nuint)i)).StoreUnsafe(ref d, (nuint)i);
        }

        for (; i < n; i++)
        {
            destination[i] = T.MultiplyAddEstimate(a[i], b[i], destination[i]);
        }
    }

    /// <summary>
    /// max[i] = max over c of rows[c·stride + i], for i &lt; max.Length: the maximum over the classes of a tile, in one
    /// pass over the rows (a pass per row otherwise), with the hardware's max: NaN handling is the caller's
    /// (TensorPrimitives.Max propagates NaN but measured several times slower on 1,024-element blocks).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void MaxOverRows<T>(ReadOnlySpan<T> rows, long stride, int count, Span<T> max)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var n = max.Length;
        fixed (T* first = rows)
        fixed (T* destination = max)
        {
            var i = 0;
            for (; i <= n - Vector<T>.Count; i += Vector<T>.Count)
            {
                var m = Vector.Load(first + i);
                for (var c = 1; c < count; c++)
                {
                    m = Vector.Max(m, Vector.Load(first + (c * stride) + i));
                }

                m.Store(destination + i);
            }

            for (; i < n; i++)
            {
                var m = first[i];
                for (var c = 1; c < count; c++)
                {
                    var value = first[(c * stride) + i];
                    m = value > m ? value : m;
                }

                destination[i] = m;
            }
        }
    }

    /// <summary>destination = source − subtrahend, elementwise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Subtract<T>(ReadOnlySpan<T> source, ReadOnlySpan<T> subtrahend, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref var s = ref MemoryMarshal.GetReference(source);
        ref var m = ref MemoryMarshal.GetReference(subtrahend);
        ref var d = ref MemoryMarshal.GetReference(destination);
        var n = destination.Length;
        var i = 0;
        for (; i <= n - Vector<T>.Count; i += Vector<T>.Count)
        {
            (Vector.LoadUnsafe(ref s, (nuint)i) - Vector.LoadUnsafe(ref m, (nuint)i)).StoreUnsafe(ref d, (nuint)i);
        }

        for (; i < n; i++)
        {
            destination[i] = source[i] - subtrahend[i];
        }
    }

    /// <summary>destination += source, elementwise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Add<T>(ReadOnlySpan<T> source, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref var s = ref MemoryMarshal.GetReference(source);
        ref var d = ref MemoryMarshal.GetReference(destination);
        var n = destination.Length;
        var i = 0;
        for (; i <= n - Vector<T>.Count; i += Vector<T>.Count)
        {
            (Vector.LoadUnsafe(ref s, (nuint)i) + Vector.LoadUnsafe(ref d, (nuint)i)).StoreUnsafe(ref d, (nuint)i);
        }

        for (; i < n; i++)
        {
            destination[i] += source[i];
        }
    }

    /// <summary>values = values·factors, elementwise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply<T>(Span<T> values, ReadOnlySpan<T> factors)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref var f = ref MemoryMarshal.GetReference(factors);
        ref var d = ref MemoryMarshal.GetReference(values);
        var n = values.Length;
        var i = 0;
        for (; i <= n - Vector<T>.Count; i += Vector<T>.Count)
        {
            (Vector.LoadUnsafe(ref d, (nuint)i) * Vector.LoadUnsafe(ref f, (nuint)i)).StoreUnsafe(ref d, (nuint)i);
        }

        for (; i < n; i++)
        {
            values[i] *= factors[i];
        }
    }

    /// <summary>values = 1/values, elementwise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Reciprocal<T>(Span<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref var d = ref MemoryMarshal.GetReference(values);
        var one = Vector<T>.One;
        var n = values.Length;
        var i = 0;
        for (; i <= n - Vector<T>.Count; i += Vector<T>.Count)
        {
            (one / Vector.LoadUnsafe(ref d, (nuint)i)).StoreUnsafe(ref d, (nuint)i);
        }

        for (; i < n; i++)
        {
            values[i] = T.One / values[i];
        }
    }

    /// <summary>values = values·factor.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Scale<T>(Span<T> values, T factor)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref var d = ref MemoryMarshal.GetReference(values);
        var f = new Vector<T>(factor);
        var n = values.Length;
        var i = 0;
        for (; i <= n - Vector<T>.Count; i += Vector<T>.Count)
        {
            (Vector.LoadUnsafe(ref d, (nuint)i) * f).StoreUnsafe(ref d, (nuint)i);
        }

        for (; i < n; i++)
        {
            values[i] *= factor;
        }
    }

    /// <summary>values = p·(values − sum)·factor: the softmax backward of a block, once <paramref name="sum"/> = Σ_c p·u.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SoftmaxBackward<T>(ReadOnlySpan<T> p, ReadOnlySpan<T> sum, T factor, Span<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref var rp = ref MemoryMarshal.GetReference(p);
        ref var rs = ref MemoryMarshal.GetReference(sum);
        ref var d = ref MemoryMarshal.GetReference(values);
        var f = new Vector<T>(factor);
        var n = values.Length;
        var i = 0;
        for (; i <= n - Vector<T>.Count; i += Vector<T>.Count)
        {
            var u = Vector.LoadUnsafe(ref d, (nuint)i);
            (Vector.LoadUnsafe(ref rp, (nuint)i) * (u - Vector.LoadUnsafe(ref rs, (nuint)i)) * f).StoreUnsafe(ref d, (nuint)i);
        }

        for (; i < n; i++)
        {
            values[i] = p[i] * (values[i] - sum[i]) * factor;
        }
    }
}
