using System;

namespace LossDsl.Cpu;

/// <summary>
/// A window of a value laid out <c>[batch][class][position]</c> in a <typeparamref name="T"/> array, where each
/// axis is either present or broadcast (stride 0). Generated CPU code evaluates every IR node into one of these:
/// a chunk of positions for values with spatial axes, a small array for reductions.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public readonly struct View<T>
{
    /// <summary>Creates a dense view over <paramref name="data"/> starting at <paramref name="offset"/>.</summary>
    /// <param name="data">The backing array.</param>
    /// <param name="offset">Index of the first element.</param>
    /// <param name="batches">Number of batch items, or 0 when the value has no batch axis.</param>
    /// <param name="classes">Number of classes, or 0 when the value has no class axis.</param>
    /// <param name="length">Number of positions, or 0 when the value has no spatial axis.</param>
    public View(T[] data, int offset, int batches, int classes, int length)
    {
        Data = data;
        Offset = offset;
        Batches = Math.Max(batches, 1);
        Classes = Math.Max(classes, 1);
        Length = Math.Max(length, 1);
        PositionStride = length > 0 ? 1 : 0;
        ClassStride = classes > 0 ? Length : 0;
        BatchStride = batches > 0 ? Math.Max(classes, 1) * Length : 0;
        HasBatch = batches > 0;
        HasClass = classes > 0;
        HasPositions = length > 0;
    }

    /// <summary>The backing array.</summary>
    public T[] Data { get; }

    /// <summary>Index of the first element in <see cref="Data"/>.</summary>
    public int Offset { get; }

    /// <summary>Extent of the batch axis (1 when absent).</summary>
    public int Batches { get; }

    /// <summary>Extent of the class axis (1 when absent).</summary>
    public int Classes { get; }

    /// <summary>Extent of the position axis (1 when absent).</summary>
    public int Length { get; }

    /// <summary>Distance between batch items (0 when absent: broadcast).</summary>
    public int BatchStride { get; }

    /// <summary>Distance between classes (0 when absent: broadcast).</summary>
    public int ClassStride { get; }

    /// <summary>1 when the value varies along positions, 0 when it is broadcast along them.</summary>
    public int PositionStride { get; }

    /// <summary>Whether the value has a batch axis.</summary>
    public bool HasBatch { get; }

    /// <summary>Whether the value has a class axis.</summary>
    public bool HasClass { get; }

    /// <summary>Whether the value has positions (spatial axes).</summary>
    public bool HasPositions { get; }

    /// <summary>Number of elements the view holds.</summary>
    public int Count => Batches * Classes * Length;

    /// <summary>Whole-view span (the view is dense).</summary>
    public Span<T> Span => Data.AsSpan(Offset, Count);

    /// <summary>The row of positions of batch item <paramref name="b"/>, class <paramref name="c"/> (broadcast axes ignore their index).</summary>
    public Span<T> Row(int b, int c) => Data.AsSpan(Offset + (b * BatchStride) + (c * ClassStride), Length);

    /// <summary>The element at <paramref name="b"/>, <paramref name="c"/> of a view without positions.</summary>
    public ref T At(int b, int c) => ref Data[Offset + (b * BatchStride) + (c * ClassStride)];
}
