using System;

namespace LossDsl.Metrics;

public static partial class SegmentationMetrics
{
    /// <summary>Dice per image and class of two one-hot arrays laid out (B, C, *spatial).</summary>
    /// <param name="prediction">The predicted one-hot masks, flat in C order, values 0 or 1.</param>
    /// <param name="target">The ground-truth one-hot masks, same shape.</param>
    /// <param name="shape">The full shape (B, C, *spatial).</param>
    /// <returns>Dice indexed [b, c].</returns>
    /// <exception cref="ArgumentException">Shapes or lengths disagree, or a mask is not binary.</exception>
    public static double[,] DicePerClass(ReadOnlySpan<byte> prediction, ReadOnlySpan<byte> target, ReadOnlySpan<int> shape)
    {
        (int planes, int planeSize) = CheckBatched(prediction, target, shape);
        var result = new double[shape[0], shape[1]];
        for (int plane = 0; plane < planes; plane++)
        {
            result[plane / shape[1], plane % shape[1]] = DiceOfBinary(
                prediction.Slice(plane * planeSize, planeSize), target.Slice(plane * planeSize, planeSize));
        }
        return result;
    }

    /// <summary>Hausdorff distance, HD95 and ASSD per image and class of two one-hot arrays laid out (B, C, *spatial).</summary>
    /// <param name="prediction">The predicted one-hot masks, flat in C order, values 0 or 1.</param>
    /// <param name="target">The ground-truth one-hot masks, same shape.</param>
    /// <param name="shape">The full shape (B, C, *spatial).</param>
    /// <param name="spacing">The pixel spacing per spatial axis, in array order; empty for 1 on every axis.</param>
    /// <param name="empty">The value when exactly one mask of a pair is empty.</param>
    /// <param name="maxDegreeOfParallelism">Threads for the distance transform; −1 for the default.</param>
    /// <returns>The metrics indexed [b, c].</returns>
    /// <exception cref="ArgumentException">Shapes, lengths or spacing disagree, or a mask is not binary.</exception>
    public static SurfaceDistanceMetrics[,] SurfaceDistancesPerClass(
        ReadOnlySpan<byte> prediction, ReadOnlySpan<byte> target, ReadOnlySpan<int> shape,
        ReadOnlySpan<double> spacing = default, EmptyMaskDistance empty = EmptyMaskDistance.Infinity,
        int maxDegreeOfParallelism = -1)
    {
        (int planes, int planeSize) = CheckBatched(prediction, target, shape);
        ReadOnlySpan<int> spatial = shape[2..];
        double[] spacingPerAxis = MaskArguments.Spacing(spacing, spatial.Length, nameof(spacing));
        var result = new SurfaceDistanceMetrics[shape[0], shape[1]];
        for (int plane = 0; plane < planes; plane++)
        {
            result[plane / shape[1], plane % shape[1]] = SurfaceDistance.Compute(
                prediction.Slice(plane * planeSize, planeSize), target.Slice(plane * planeSize, planeSize),
                spatial, spacingPerAxis, empty, maxDegreeOfParallelism);
        }
        return result;
    }

    private static (int Planes, int PlaneSize) CheckBatched(ReadOnlySpan<byte> prediction, ReadOnlySpan<byte> target, ReadOnlySpan<int> shape)
    {
        (int planes, int planeSize) = MaskArguments.Batched(shape, nameof(shape));
        MaskArguments.RequireLength(prediction.Length, planes * planeSize, shape, nameof(prediction));
        MaskArguments.RequireLength(target.Length, planes * planeSize, shape, nameof(target));
        MaskArguments.RequireBinary(prediction, nameof(prediction));
        MaskArguments.RequireBinary(target, nameof(target));
        return (planes, planeSize);
    }
}
