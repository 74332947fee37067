namespace LossDsl.Metrics;

/// <summary>
/// What a surface distance (Hausdorff, HD95, ASSD) is when exactly one of the two masks is empty.
/// When both are empty the distance is always 0: the two (empty) segmentations agree.
/// </summary>
public enum EmptyMaskDistance
{
    /// <summary>
    /// +∞ (the default). There is no surface to measure from, so no finite number is honest;
    /// an infinite value also cannot be averaged away silently over a data set.
    /// </summary>
    Infinity,

    /// <summary>
    /// The image diagonal in physical units, √Σ((nᵢ − 1)·sᵢ)², the largest distance between two pixel centres,
    /// so it bounds every finite result. The boundary-loss reference code reports the diagonal; use this to
    /// aggregate over cases with missed or hallucinated structures.
    /// </summary>
    ImageDiagonal,
}
