using System;
using LossDsl.Distance;

namespace LossDsl.Metrics;

/// <summary>The surface-to-surface distances of two masks, through the exact Euclidean distance transform.</summary>
internal static class SurfaceDistance
{
    /// <summary>
    /// Computes HD, HD95 and ASSD of two checked binary masks of the same shape, with the given spacing and empty-mask convention.
    /// </summary>
    public static SurfaceDistanceMetrics Compute(
        ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<int> shape, double[] spacing,
        EmptyMaskDistance empty, int maxDegreeOfParallelism)
    {
        var surfaceA = new byte[a.Length];
        var surfaceB = new byte[b.Length];
        int countA = Surface.Extract(a, shape, surfaceA);
        int countB = Surface.Extract(b, shape, surfaceB);

        // A non-empty mask always has a surface pixel (its last pixel in C order touches the border or the outside),
        // so "no surface" means "empty mask".
        if (countA == 0 && countB == 0)
            return SurfaceDistanceMetrics.Zero;
        if (countA == 0 || countB == 0)
            return SurfaceDistanceMetrics.All(EmptyValue(shape, spacing, empty));

        var distances = new double[countA + countB];
        var field = new double[a.Length];
        // Distance to the surface of B is the EDT of "not on B's surface"; read it on A's surface, then the other way round.
        Gather(surfaceB, surfaceA, shape, spacing, field, distances.AsSpan(0, countA), maxDegreeOfParallelism);
        Gather(surfaceA, surfaceB, shape, spacing, field, distances.AsSpan(countA), maxDegreeOfParallelism);

        double max = 0, sum = 0;
        foreach (double d in distances)
        {
            max = Math.Max(max, d);
            sum += d;
        }
        double mean = sum / distances.Length;
        double hd95 = Percentile.Linear(distances, 95);
        return new SurfaceDistanceMetrics(max, hd95, mean);
    }

    /// <summary>The value of all three metrics when exactly one mask is empty.</summary>
    public static double EmptyValue(ReadOnlySpan<int> shape, ReadOnlySpan<double> spacing, EmptyMaskDistance empty)
    {
        if (empty == EmptyMaskDistance.Infinity)
            return double.PositiveInfinity;
        double squared = 0;
        for (int axis = 0; axis < shape.Length; axis++)
        {
            double extent = (shape[axis] - 1) * spacing[axis];
            squared += extent * extent;
        }
        return Math.Sqrt(squared);
    }

    private static void Gather(
        byte[] targetSurface, byte[] sourceSurface, ReadOnlySpan<int> shape, double[] spacing,
        double[] field, Span<double> into, int maxDegreeOfParallelism)
    {
        var notTarget = new byte[targetSurface.Length];
        for (int i = 0; i < notTarget.Length; i++)
            notTarget[i] = (byte)(targetSurface[i] ^ 1);
        DistanceTransform.Euclidean(notTarget, shape, spacing, field.AsSpan(), maxDegreeOfParallelism);
        int n = 0;
        for (int i = 0; i < sourceSurface.Length; i++)
        {
            if (sourceSurface[i] != 0)
                into[n++] = field[i];
        }
    }
}
