using System;
using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace LossDsl.Distance;

/// <summary>
/// Exact Euclidean distance transforms of N-D masks (any number of axes, C order: the last axis is contiguous),
/// in physical units with per-axis spacing.
/// </summary>
/// <remarks>
/// Separable and exact (Felzenszwalb–Huttenlocher lower envelope of parabolas), multi-threaded across lines and
/// planes; the result does not depend on <c>maxDegreeOfParallelism</c>, bit for bit. See <c>docs/distance-maps.md</c>.
/// </remarks>
public static class DistanceTransform
{
    /// <summary>
    /// Exact EDT: for each element where <paramref name="mask"/> ≠ 0, the Euclidean distance (physical units, per-axis
    /// <paramref name="spacing"/>) to the nearest element where <paramref name="mask"/> = 0; 0 where the mask is 0.
    /// If the mask has no zero element, every value is +∞ (there is nothing to measure to).
    /// Same as <c>scipy.ndimage.distance_transform_edt(mask, sampling=spacing)</c>.
    /// </summary>
    /// <param name="mask">The mask, <c>shape</c> elements in C order.</param>
    /// <param name="shape">The dimensions (one or more, each ≥ 0).</param>
    /// <param name="spacing">The element spacing along each axis (positive, finite), or empty for unit spacing.</param>
    /// <param name="output">Receives the distances; same length as <paramref name="mask"/>.</param>
    /// <param name="maxDegreeOfParallelism">Threads to use; −1 for all processors, 1 for the calling thread only.</param>
    /// <exception cref="ArgumentException">Shape, spacing or lengths are inconsistent (the message says which and what was seen).</exception>
    public static void Euclidean(ReadOnlySpan<byte> mask, ReadOnlySpan<int> shape, ReadOnlySpan<double> spacing, Span<float> output, int maxDegreeOfParallelism = -1)
        => Compute(mask, shape, spacing, output, maxDegreeOfParallelism);

    /// <inheritdoc cref="Euclidean(ReadOnlySpan{byte}, ReadOnlySpan{int}, ReadOnlySpan{double}, Span{float}, int)"/>
    public static void Euclidean(ReadOnlySpan<byte> mask, ReadOnlySpan<int> shape, ReadOnlySpan<double> spacing, Span<double> output, int maxDegreeOfParallelism = -1)
        => Compute(mask, shape, spacing, output, maxDegreeOfParallelism);

    /// <summary>
    /// Array form of <see cref="Euclidean(ReadOnlySpan{byte}, ReadOnlySpan{int}, ReadOnlySpan{double}, Span{float}, int)"/>
    /// (convenient from F#): returns a new float32 array; <paramref name="spacing"/> null means unit spacing.
    /// </summary>
    /// <exception cref="ArgumentException">Shape, spacing or lengths are inconsistent.</exception>
    public static float[] Euclidean(byte[] mask, int[] shape, double[]? spacing = null)
    {
        ArgumentNullException.ThrowIfNull(mask);
        ArgumentNullException.ThrowIfNull(shape);
        var output = new float[mask.Length];
        Compute<float>(mask, shape, spacing, output, -1);
        return output;
    }

    /// <summary>
    /// System.Numerics.Tensors form: the EDT of <paramref name="mask"/> (any number of axes) into
    /// <paramref name="output"/> of the same shape; both dense and row-major.
    /// </summary>
    /// <exception cref="ArgumentException">Not dense, shapes differ, or bad spacing.</exception>
    public static void Euclidean(ReadOnlyTensorSpan<byte> mask, TensorSpan<float> output, ReadOnlySpan<double> spacing = default, int maxDegreeOfParallelism = -1)
    {
        var input = TensorSpans.Data(mask, nameof(mask), out int[] shape);
        var result = TensorSpans.Data(output, nameof(output), out int[] outShape);
        TensorSpans.SameShape(shape, outShape, nameof(mask), nameof(output));
        Compute(input, shape, spacing, result, maxDegreeOfParallelism);
    }

    /// <inheritdoc cref="Euclidean(ReadOnlyTensorSpan{byte}, TensorSpan{float}, ReadOnlySpan{double}, int)"/>
    public static void Euclidean(ReadOnlyTensorSpan<byte> mask, TensorSpan<double> output, ReadOnlySpan<double> spacing = default, int maxDegreeOfParallelism = -1)
    {
        var input = TensorSpans.Data(mask, nameof(mask), out int[] shape);
        var result = TensorSpans.Data(output, nameof(output), out int[] outShape);
        TensorSpans.SameShape(shape, outShape, nameof(mask), nameof(output));
        Compute(input, shape, spacing, result, maxDegreeOfParallelism);
    }

    private static void Compute<T>(ReadOnlySpan<byte> mask, ReadOnlySpan<int> shape, ReadOnlySpan<double> spacing, Span<T> output, int maxDegreeOfParallelism)
        where T : unmanaged, IFloatingPointIeee754<T>, IRootFunctions<T>
    {
        long count = Checks.Grid(shape, spacing, nameof(shape), nameof(spacing));
        Checks.Length(mask.Length, count, shape, nameof(mask));
        Checks.Length(output.Length, count, shape, nameof(output));
        Checks.Parallelism(maxDegreeOfParallelism);
        if (count == 0) return;

        var tags = DistanceTags.Rent(mask.Length);
        try
        {
            // Tags: any non-zero mask value is one class (the engine compares tags, not "non-zero").
            DistanceTags.FromMask(mask, tags.AsSpan(0, mask.Length), inside: 1, outside: 0);
            EuclideanEngine.Distances(tags.AsSpan(0, mask.Length), shape, spacing, output, maxDegreeOfParallelism, EuclideanEngine.Finish.Root);
        }
        finally
        {
            DistanceTags.Return(tags);
        }
    }
}
