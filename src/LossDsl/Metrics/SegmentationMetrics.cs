using System;

namespace LossDsl.Metrics;

/// <summary>
/// Segmentation metrics between two binary masks: Dice, Hausdorff distance, HD95 and average symmetric surface distance,
/// N-D, with per-axis pixel spacing. Masks are flat C-order byte arrays with values 0 and 1. See <c>docs/metrics.md</c>.
/// </summary>
/// <remarks>
/// Surface distances are measured between the surfaces (face-connected boundaries, the image border counting as outside)
/// of the two masks, as medpy and MONAI do, in the physical units of <c>spacing</c> (default: 1 per axis).
/// When both masks are empty every distance is 0 and Dice is 1; when exactly one is empty the distances follow
/// <see cref="EmptyMaskDistance"/> (+∞ by default).
/// </remarks>
public static partial class SegmentationMetrics
{
    /// <summary>The smoothing term of the reference Dice, <c>(2|A∩B| + 1e-8)/(|A| + |B| + 1e-8)</c>.</summary>
    public const double DiceSmoothing = 1e-8;

    /// <summary>Dice between two binary masks: <c>(2|A∩B| + 1e-8)/(|A| + |B| + 1e-8)</c>; 1 when both are empty.</summary>
    /// <param name="prediction">The predicted mask, values 0 or 1.</param>
    /// <param name="target">The ground-truth mask, values 0 or 1, as long as <paramref name="prediction"/>.</param>
    /// <returns>Dice in [0, 1].</returns>
    /// <exception cref="ArgumentException">The lengths differ, or a mask holds a value other than 0 and 1.</exception>
    public static double Dice(ReadOnlySpan<byte> prediction, ReadOnlySpan<byte> target)
    {
        if (prediction.Length != target.Length)
            throw new ArgumentException(
                $"prediction has {prediction.Length} elements but target has {target.Length}.", nameof(target));
        MaskArguments.RequireBinary(prediction, nameof(prediction));
        MaskArguments.RequireBinary(target, nameof(target));
        return DiceOfBinary(prediction, target);
    }

    /// <summary>Hausdorff distance, HD95 and ASSD between the surfaces of two binary masks, in one pass.</summary>
    /// <param name="prediction">The predicted mask, flat in C order, values 0 or 1.</param>
    /// <param name="target">The ground-truth mask, same shape.</param>
    /// <param name="shape">The spatial shape (1 to 3 axes, or more).</param>
    /// <param name="spacing">The pixel spacing per axis, in array order; empty for 1 on every axis.</param>
    /// <param name="empty">The value when exactly one mask is empty.</param>
    /// <param name="maxDegreeOfParallelism">Threads for the distance transform; −1 for the default.</param>
    /// <returns>The three surface distances.</returns>
    /// <exception cref="ArgumentException">Shapes, lengths or spacing disagree, or a mask is not binary.</exception>
    public static SurfaceDistanceMetrics SurfaceDistances(
        ReadOnlySpan<byte> prediction, ReadOnlySpan<byte> target, ReadOnlySpan<int> shape,
        ReadOnlySpan<double> spacing = default, EmptyMaskDistance empty = EmptyMaskDistance.Infinity,
        int maxDegreeOfParallelism = -1)
    {
        int count = MaskArguments.ElementCount(shape, nameof(shape));
        MaskArguments.RequireLength(prediction.Length, count, shape, nameof(prediction));
        MaskArguments.RequireLength(target.Length, count, shape, nameof(target));
        MaskArguments.RequireBinary(prediction, nameof(prediction));
        MaskArguments.RequireBinary(target, nameof(target));
        double[] spacingPerAxis = MaskArguments.Spacing(spacing, shape.Length, nameof(spacing));
        return SurfaceDistance.Compute(prediction, target, shape, spacingPerAxis, empty, maxDegreeOfParallelism);
    }

    /// <summary>The symmetric Hausdorff distance between the surfaces of two binary masks (see <see cref="SurfaceDistances"/>).</summary>
    /// <param name="prediction">The predicted mask, flat in C order, values 0 or 1.</param>
    /// <param name="target">The ground-truth mask, same shape.</param>
    /// <param name="shape">The spatial shape.</param>
    /// <param name="spacing">The pixel spacing per axis, in array order; empty for 1 on every axis.</param>
    /// <param name="empty">The value when exactly one mask is empty.</param>
    /// <returns>The largest surface-to-surface distance, in physical units.</returns>
    public static double HausdorffDistance(
        ReadOnlySpan<byte> prediction, ReadOnlySpan<byte> target, ReadOnlySpan<int> shape,
        ReadOnlySpan<double> spacing = default, EmptyMaskDistance empty = EmptyMaskDistance.Infinity)
        => SurfaceDistances(prediction, target, shape, spacing, empty).Hausdorff;

    /// <summary>HD95: the 95th percentile (numpy "linear") of the pooled surface distances of both directions.</summary>
    /// <param name="prediction">The predicted mask, flat in C order, values 0 or 1.</param>
    /// <param name="target">The ground-truth mask, same shape.</param>
    /// <param name="shape">The spatial shape.</param>
    /// <param name="spacing">The pixel spacing per axis, in array order; empty for 1 on every axis.</param>
    /// <param name="empty">The value when exactly one mask is empty.</param>
    /// <returns>HD95, in physical units.</returns>
    public static double HausdorffDistance95(
        ReadOnlySpan<byte> prediction, ReadOnlySpan<byte> target, ReadOnlySpan<int> shape,
        ReadOnlySpan<double> spacing = default, EmptyMaskDistance empty = EmptyMaskDistance.Infinity)
        => SurfaceDistances(prediction, target, shape, spacing, empty).Hausdorff95;

    /// <summary>ASSD: the mean of the pooled surface distances of both directions.</summary>
    /// <param name="prediction">The predicted mask, flat in C order, values 0 or 1.</param>
    /// <param name="target">The ground-truth mask, same shape.</param>
    /// <param name="shape">The spatial shape.</param>
    /// <param name="spacing">The pixel spacing per axis, in array order; empty for 1 on every axis.</param>
    /// <param name="empty">The value when exactly one mask is empty.</param>
    /// <returns>ASSD, in physical units.</returns>
    public static double AverageSymmetricSurfaceDistance(
        ReadOnlySpan<byte> prediction, ReadOnlySpan<byte> target, ReadOnlySpan<int> shape,
        ReadOnlySpan<double> spacing = default, EmptyMaskDistance empty = EmptyMaskDistance.Infinity)
        => SurfaceDistances(prediction, target, shape, spacing, empty).AverageSymmetric;

    private static double DiceOfBinary(ReadOnlySpan<byte> prediction, ReadOnlySpan<byte> target)
    {
        long intersection = 0, sizes = 0;
        for (int i = 0; i < prediction.Length; i++)
        {
            intersection += prediction[i] & target[i];
            sizes += prediction[i] + target[i];
        }
        return (2.0 * intersection + DiceSmoothing) / (sizes + DiceSmoothing);
    }
}
