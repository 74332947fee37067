using System;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LossDsl.Metrics;

namespace LossDsl.Tests.Metrics;

public sealed class SurfaceDistancePropertyTests
{
    private static bool Close(double x, double y) => x == y || Math.Abs(x - y) <= 1e-9 * Math.Max(1, Math.Abs(y));

    [Property(MaxTest = 200)]
    public Property Equals_brute_force_on_small_random_masks(int seed)
    {
        var (shape, a, b, spacing) = RandomMasks.Pair(seed);
        SurfaceDistanceMetrics fast = SegmentationMetrics.SurfaceDistances(a, b, shape, spacing);
        SurfaceDistanceMetrics slow = BruteForceSurfaceDistance.Compute(a, b, shape, spacing);
        return (Close(fast.Hausdorff, slow.Hausdorff) && Close(fast.Hausdorff95, slow.Hausdorff95)
                && Close(fast.AverageSymmetric, slow.AverageSymmetric))
            .Label($"shape ({string.Join(", ", shape)}): fast {fast}, brute force {slow}");
    }

    [Property(MaxTest = 200)]
    public Property Is_symmetric(int seed)
    {
        var (shape, a, b, spacing) = RandomMasks.Pair(seed);
        SurfaceDistanceMetrics ab = SegmentationMetrics.SurfaceDistances(a, b, shape, spacing);
        SurfaceDistanceMetrics ba = SegmentationMetrics.SurfaceDistances(b, a, shape, spacing);
        // The pooled distances are the same multiset; only the summation order of the mean differs.
        return (ab.Hausdorff == ba.Hausdorff && ab.Hausdorff95 == ba.Hausdorff95 && Close(ab.AverageSymmetric, ba.AverageSymmetric))
            .Label($"{ab} vs {ba}");
    }

    [Property(MaxTest = 200)]
    public Property Hd_bounds_hd95_bounds_zero_and_assd_is_at_most_hd(int seed)
    {
        var (shape, a, b, spacing) = RandomMasks.Pair(seed);
        SurfaceDistanceMetrics m = SegmentationMetrics.SurfaceDistances(a, b, shape, spacing);
        return (m.Hausdorff >= m.Hausdorff95 && m.Hausdorff95 >= 0 && m.AverageSymmetric <= m.Hausdorff && m.AverageSymmetric >= 0)
            .Label(m.ToString());
    }

    [Property(MaxTest = 100)]
    public Property The_diagonal_convention_bounds_every_finite_distance(int seed)
    {
        var (shape, a, b, spacing) = RandomMasks.Pair(seed);
        double diagonal = SegmentationMetrics.HausdorffDistance(a, new byte[a.Length], shape, spacing, EmptyMaskDistance.ImageDiagonal);
        double hd = SegmentationMetrics.HausdorffDistance(a, b, shape, spacing);
        return (double.IsInfinity(hd) || hd <= diagonal + 1e-12).Label($"hd {hd}, diagonal {diagonal}");
    }
}
