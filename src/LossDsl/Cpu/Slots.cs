using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LossDsl.Cpu;

/// <summary>
/// Vectors a generated pass keeps for one tile (a value per vector of the tile, per class and vector, or an
/// accumulator per class), from the per-thread arena of <see cref="FusedProgram{T}"/>. Indexed without a bounds
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
