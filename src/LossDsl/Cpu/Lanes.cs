using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LossDsl.Cpu;

/// <summary>
/// The vector vocabulary of generated CPU passes: loads and stores of a run of positions (the last one of a plane may
/// be partial), the element-wise functions that <see cref="Vector{T}"/> lacks or defines differently from the IR,
/// and lane masking for reductions. Every function has the IEEE semantics of the matching scalar op in
/// <c>ElementOps.cs</c>: NaN propagates, min/max order signed zeros.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public static class Lanes<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Positions per vector.</summary>
    public static int Count => Vector<T>.Count;

    /// <summary>
    /// Positions <c>[index, index + count)</c> after <paramref name="origin"/>; lanes from <paramref name="count"/> on
    /// are zero (they are never stored or reduced).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Load(ref T origin, int index, int count) =>
        count == Vector<T>.Count ? Vector.LoadUnsafe(ref origin, (nuint)index) : LoadPartial(ref origin, index, count);

    /// <summary>Like <see cref="Load(ref T, int, int)"/>, from an array (a stored per-position value).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Load(T[] values, int index, int count) =>
        Load(ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(values), index, count);

    /// <summary>Writes the first <paramref name="count"/> lanes of <paramref name="value"/> at <paramref name="index"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector<T> value, ref T origin, int index, int count)
    {
        if (count == Vector<T>.Count)
        {
            value.StoreUnsafe(ref origin, (nuint)index);
        }
        else
        {
            StorePartial(value, ref origin, index, count);
        }
    }

    /// <summary>Like <see cref="Store(Vector{T}, ref T, int, int)"/>, into an array.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector<T> value, T[] values, int index, int count) =>
        Store(value, ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(values), index, count);

    /// <summary>
    /// Adds (or, for the first batch item, writes) <paramref name="value"/> into a per-position running sum over the
    /// batch: the sum runs in batch order, whatever the thread count.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddInto(Vector<T> value, T[] values, int index, int count, bool first) =>
        Store(first ? value : Load(values, index, count) + value, values, index, count);

    /// <summary>The running maximum over the batch, like <see cref="AddInto"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MaxInto(Vector<T> value, T[] values, int index, int count, bool first) =>
        Store(first ? value : Vector.Max(Load(values, index, count), value), values, index, count);

    /// <summary><paramref name="value"/> with the lanes from <paramref name="count"/> on set to zero (for a sum).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> ForSum(Vector<T> value, int count) =>
        count == Vector<T>.Count ? value : Vector.ConditionalSelect(Mask(count), value, Vector<T>.Zero);

    /// <summary><paramref name="value"/> with the lanes from <paramref name="count"/> on set to −∞ (for a maximum).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> ForMax(Vector<T> value, int count) =>
        count == Vector<T>.Count ? value : Vector.ConditionalSelect(Mask(count), value, new Vector<T>(T.NegativeInfinity));

    /// <summary>The sum of the lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector<T> value) => Vector.Sum(value);

    /// <summary>The largest lane (NaN if any lane is NaN).</summary>
    public static T Max(Vector<T> value)
    {
        var result = value[0];
        for (var i = 1; i < Vector<T>.Count; i++)
        {
            result = T.Max(result, value[i]);
        }

        return result;
    }

    /// <summary>A value without positions, the same in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Broadcast(T value) => new(value);

    /// <summary>eˣ: the library's polynomial for float (≈ 10× TensorPrimitives' exp), .NET's for double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Exp(Vector<T> x)
    {
        if (typeof(T) == typeof(float))
        {
            if (Vector<float>.Count == Vector256<float>.Count && Vector256.IsHardwareAccelerated)
            {
                return FastExp.Exp(x.As<T, float>().AsVector256()).AsVector().As<float, T>();
            }

            if (Vector<float>.Count == Vector512<float>.Count && Vector512.IsHardwareAccelerated)
            {
                return FastExp.Exp(x.As<T, float>().AsVector512()).AsVector().As<float, T>();
            }

            return Vector.Exp(x.As<T, float>()).As<float, T>();
        }

        return Vector.Exp(x.As<T, double>()).As<double, T>();
    }

    /// <summary>ln x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Log(Vector<T> x) =>
        typeof(T) == typeof(float)
            ? Vector.Log(x.As<T, float>()).As<float, T>()
            : Vector.Log(x.As<T, double>()).As<double, T>();

    /// <summary>1/(1 + e⁻ˣ).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Sigmoid(Vector<T> x) => Vector<T>.One / (Vector<T>.One + Exp(-x));

    /// <summary>aᵇ, lane by lane (no vector power in .NET; T.Pow keeps every special case of Math.Pow).</summary>
    public static Vector<T> Pow(Vector<T> a, Vector<T> b)
    {
        Span<T> lanes = stackalloc T[Vector<T>.Count];
        for (var i = 0; i < lanes.Length; i++)
        {
            lanes[i] = T.Pow(a[i], b[i]);
        }

        return new Vector<T>(lanes);
    }

    /// <summary>sign(x) ∈ {−1, 0, 1}; NaN and ±0 stay as they are.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Sign(Vector<T> x) =>
        Vector.ConditionalSelect(
            Vector.GreaterThan(x, Vector<T>.Zero),
            Vector<T>.One,
            Vector.ConditionalSelect(Vector.LessThan(x, Vector<T>.Zero), -Vector<T>.One, x));

    /// <summary>1 where x &gt; 0, else 0; NaN stays NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Step(Vector<T> x) =>
        Vector.ConditionalSelect(
            Vector.GreaterThan(x, Vector<T>.Zero),
            Vector<T>.One,
            Vector.ConditionalSelect(Vector.Equals(x, x), Vector<T>.Zero, x));

    /// <summary>1 where a ≥ b, else 0; NaN where either is NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> GreaterOrEqual(Vector<T> a, Vector<T> b) =>
        Vector.ConditionalSelect(
            Vector.Equals(a, a) & Vector.Equals(b, b),
            Vector.ConditionalSelect(Vector.GreaterThanOrEqual(a, b), Vector<T>.One, Vector<T>.Zero),
            new Vector<T>(T.NaN));

    private static Vector<T> Mask(int count)
    {
        Span<T> bits = stackalloc T[Vector<T>.Count];
        var allOnes = Vector<T>.AllBitsSet[0];
        for (var i = 0; i < bits.Length; i++)
        {
            bits[i] = i < count ? allOnes : T.Zero;
        }

        return new Vector<T>(bits);
    }

    private static Vector<T> LoadPartial(ref T origin, int index, int count)
    {
        Span<T> lanes = stackalloc T[Vector<T>.Count];
        lanes.Clear();
        for (var i = 0; i < count; i++)
        {
            lanes[i] = Unsafe.Add(ref origin, index + i);
        }

        return new Vector<T>(lanes);
    }

    private static void StorePartial(Vector<T> value, ref T origin, int index, int count)
    {
        for (var i = 0; i < count; i++)
        {
            Unsafe.Add(ref origin, index + i) = value[i];
        }
    }
}
