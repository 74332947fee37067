namespace LossDsl.Metrics;

/// <summary>The surface distances between two binary masks, in physical units (pixel spacing applied).</summary>
/// <param name="Hausdorff">
/// The (symmetric) Hausdorff distance: the largest distance from a surface pixel of either mask to the surface of the other.
/// </param>
/// <param name="Hausdorff95">
/// HD95: the 95th percentile of the pooled surface distances of both directions, with numpy's default linear interpolation
/// (medpy's <c>hd95</c>; MONAI instead takes the larger of the two directed 95th percentiles).
/// </param>
/// <param name="AverageSymmetric">
/// ASSD: the mean of the pooled surface distances of both directions (MONAI's symmetric average surface distance;
/// medpy averages the two directed means instead).
/// </param>
public readonly record struct SurfaceDistanceMetrics(double Hausdorff, double Hausdorff95, double AverageSymmetric)
{
    /// <summary>The metrics of two empty masks, or of two masks with the same surface: all 0.</summary>
    public static SurfaceDistanceMetrics Zero => new(0, 0, 0);

    /// <summary>The same value for all three metrics: what a convention for one empty mask gives.</summary>
    /// <param name="value">+∞ or the image diagonal.</param>
    /// <returns>The metrics, all equal to <paramref name="value"/>.</returns>
    public static SurfaceDistanceMetrics All(double value) => new(value, value, value);
}
