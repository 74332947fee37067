using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LossDsl.Cpu;

/// <summary>
/// Vectors a generated pass keeps for one tile (a value per vector of the tile, per class and vector, or an
/// accumulator per class), from the per-thread <see cref="SlotArena{T}"/>. Indexed without a bounds
/// check: every index is a loop variable the generated code bounds by the count these slots were made for (classes
/// of a checked class list, vectors of a tile), and the check in the innermost loops cost 3–9 % on the benchmark
/// suite (docs/performance.md).
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public readonly ref struct Slots<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Span<Vector<T>> vectors;

    internal Slots(Span<Vector<T>> vectors) => this.vectors = vectors;

    /// <summary>Slot <paramref name="index"/>, by reference.</summary>
    public ref Vector<T> this[int index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ref Unsafe.Add(ref MemoryMarshal.GetReference(vectors), index);
    }

    /// <summary>Sets every slot to <paramref name="value"/>.</summary>
    public void Fill(Vector<T> value) => vectors.Fill(value);

    /// <summary>Sets every slot to zero.</summary>
    public void Clear() => vectors.Clear();

    /// <summary>The slots, read-only and checked (for what runs once per row, not per vector).</summary>
    public static implicit operator ReadOnlySpan<Vector<T>>(Slots<T> slots) => slots.vectors;
}

/// <summary>
/// The per-thread arena <see cref="Slots{T}"/> come from, reset at the start of every work item: a pass takes a handful
/// of small arrays per item, which would otherwise be garbage (megabytes per call).
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
internal static class SlotArena<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [ThreadStatic]
    private static Vector<T>[]? arena;

    [ThreadStatic]
    private static int used;

    /// <summary><paramref name="count"/> zeroed vectors, valid until the next <see cref="Reset"/> on this thread.</summary>
    public static Span<Vector<T>> Rent(int count)
    {
        if (arena is null || used + count > arena.Length)
        {
            // Spans handed out earlier keep the old array alive; the new one serves what follows.
            arena = new Vector<T>[Math.Max(2 * (used + count), 1024)];
            used = 0;
        }

        var slots = arena.AsSpan(used, count);
        used += count;
        slots.Clear();
        return slots;
    }

    /// <summary>Hands the whole arena out again (a new work item starts).</summary>
    public static void Reset() => used = 0;
}
