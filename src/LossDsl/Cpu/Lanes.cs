using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LossDsl.Cpu;

/// <summary>
/// The vector vocabulary of generated CPU passes: loads and stores of a run of positions (the last one of a plane may
/// be partial), the element-wise functions that <see cref="Vector{T}"/> lacks or defines differently from the IR,
/// and lane masking for reductions. Every function has the IEEE semantics of the matching scalar op in
/// <c>ElementOps.cs</c>: NaN propagates, min/max order signed zeros.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public static unsafe class Lanes<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    // 64 bytes of ones then 64 of zeros (constant data in the assembly, no static constructor): the vector read from
    // byte 64 − count·sizeof(T) on is a mask of count leading lanes (for vectors up to 64 bytes). The partial last vector of a plane is
    // loaded, stored and reduced with such masks, without a call: a call inside a generated loop makes the JIT keep
    // vector locals in memory, since every vector register is caller-saved.
    private static ReadOnlySpan<byte> MaskBytes =>
    [
        255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
        255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
        255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
        255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ];

    /// <summary>Positions per vector.</summary>
    public static int Count => Vector<T>.Count;

    /// <summary>
    /// The vector at <paramref name="index"/> after <paramref name="origin"/>, of which only the first
    /// <paramref name="count"/> positions exist (a full vector when count ≥ the width); lanes from count on are zero
    /// (they are never stored or reduced).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Load(ref T origin, int index, int count)
    {
        PrefetchAhead(ref origin, index);
        return count >= Vector<T>.Count ? Vector.LoadUnsafe(ref origin, (nuint)index) : LoadPartial(ref origin, index, count);
    }

    /// <summary>
    /// Asks for the cache line <see cref="PrefetchBytes"/> after element <paramref name="index"/>. A pass reads a row of
    /// each class plane per tile, so a tile touches a dozen short runs |Ω| elements apart: the hardware prefetchers
    /// do not follow that many (samples pile up on the first loads of each row, docs/performance.md), while the same
    /// row of the next tile is exactly this far ahead. A prefetch never faults, so the address may lie past the end;
    /// it is computed as a raw address, never as a managed reference outside the field (which the garbage collector
    /// would have to interpret), and a stale one (an array moved since) only wastes the hint.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchAhead(ref T origin, int index)
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch0((byte*)Unsafe.AsPointer(ref origin) + (((nint)index * sizeof(T)) + PrefetchBytes));
        }
    }

    /// <summary>How far ahead a load prefetches: one tile of float rows (interleaved A/B runs: 1, 2 and 4 KB alike, 2 KB best).</summary>
    private const int PrefetchBytes = 2048;

    /// <summary>Writes the first <paramref name="count"/> lanes of <paramref name="value"/> at <paramref name="index"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector<T> value, ref T origin, int index, int count)
    {
        PrefetchAhead(ref origin, index);
        if (count >= Vector<T>.Count)
        {
            value.StoreUnsafe(ref origin, (nuint)index);
        }
        else
        {
            StorePartial(value, ref origin, index, count);
        }
    }

    /// <summary>
    /// Adds (or, for the first batch item, writes) <paramref name="value"/> into a per-position running sum over the
    /// batch: the sum runs in batch order, whatever the thread count.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddInto(Vector<T> value, ref T origin, int index, int count, bool first) =>
        Store(first ? value : Load(ref origin, index, count) + value, ref origin, index, count);

    /// <summary>The running maximum over the batch, like <see cref="AddInto"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MaxInto(Vector<T> value, ref T origin, int index, int count, bool first) =>
        Store(first ? value : Vector.Max(Load(ref origin, index, count), value), ref origin, index, count);

    /// <summary><paramref name="value"/> with the lanes from <paramref name="count"/> on set to zero (for a sum).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> ForSum(Vector<T> value, int count) =>
        count >= Vector<T>.Count ? value : Vector.ConditionalSelect(Mask(count), value, Vector<T>.Zero);

    /// <summary><paramref name="value"/> with the lanes from <paramref name="count"/> on set to −∞ (for a maximum).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> ForMax(Vector<T> value, int count) =>
        count >= Vector<T>.Count ? value : Vector.ConditionalSelect(Mask(count), value, new Vector<T>(T.NegativeInfinity));

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

    /// <summary>ln x: the library's inlined polynomial for float (<see cref="FastLog"/>), .NET's for double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Log(Vector<T> x) =>
        typeof(T) == typeof(float)
            ? FastLog.Log(x.As<T, float>()).As<float, T>()
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> Mask(int count)
    {
        ref var bytes = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(MaskBytes);
        var offset = 64 - (Math.Clamp(count, 0, Vector<T>.Count) * Unsafe.SizeOf<T>());
        return Vector.LoadUnsafe(ref Unsafe.Add(ref bytes, offset)).As<byte, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> LoadPartial(ref T origin, int index, int count)
    {
        // The elements past count are never touched: a masked load does not fault on them.
        if (Avx.IsSupported && Vector<T>.Count == Vector256<T>.Count)
        {
            var at = Unsafe.AsPointer(ref Unsafe.Add(ref origin, index));
            var mask = Mask(count).AsVector256();
            return typeof(T) == typeof(float)
                ? Avx.MaskLoad((float*)at, mask.As<T, float>()).As<float, T>().AsVector()
                : Avx.MaskLoad((double*)at, mask.As<T, double>()).As<double, T>().AsVector();
        }

        return LoadPartialSlowly(ref origin, index, count);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StorePartial(Vector<T> value, ref T origin, int index, int count)
    {
        if (Avx.IsSupported && Vector<T>.Count == Vector256<T>.Count)
        {
            var at = Unsafe.AsPointer(ref Unsafe.Add(ref origin, index));
            var mask = Mask(count).AsVector256();
            if (typeof(T) == typeof(float))
            {
                Avx.MaskStore((float*)at, mask.As<T, float>(), value.AsVector256().As<T, float>());
            }
            else
            {
                Avx.MaskStore((double*)at, mask.As<T, double>(), value.AsVector256().As<T, double>());
            }

            return;
        }

        StorePartialSlowly(value, ref origin, index, count);
    }

    private static Vector<T> LoadPartialSlowly(ref T origin, int index, int count)
    {
        Span<T> lanes = stackalloc T[Vector<T>.Count];
        lanes.Clear();
        for (var i = 0; i < count; i++)
        {
            lanes[i] = Unsafe.Add(ref origin, index + i);
        }

        return new Vector<T>(lanes);
    }

    private static void StorePartialSlowly(Vector<T> value, ref T origin, int index, int count)
    {
        for (var i = 0; i < count; i++)
        {
            Unsafe.Add(ref origin, index + i) = value[i];
        }
    }
}
