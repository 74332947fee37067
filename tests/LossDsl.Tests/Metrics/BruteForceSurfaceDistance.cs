using System;
using System.Collections.Generic;
using System.Linq;
using LossDsl.Metrics;

namespace LossDsl.Tests.Metrics;

/// <summary>
/// HD, HD95 and ASSD the slow, obvious way: surfaces from coordinates, all pairwise distances, numpy's linear percentile.
/// Independent of the library's surface extraction and EDT.
/// </summary>
internal static class BruteForceSurfaceDistance
{
    public static SurfaceDistanceMetrics Compute(byte[] a, byte[] b, int[] shape, double[] spacing)
    {
        List<int[]> surfaceA = SurfacePoints(a, shape), surfaceB = SurfacePoints(b, shape);
        if (surfaceA.Count == 0 && surfaceB.Count == 0)
            return SurfaceDistanceMetrics.Zero;
        if (surfaceA.Count == 0 || surfaceB.Count == 0)
            return SurfaceDistanceMetrics.All(double.PositiveInfinity);
        var pooled = surfaceA.Select(p => Nearest(p, surfaceB, spacing))
            .Concat(surfaceB.Select(p => Nearest(p, surfaceA, spacing)))
            .Order()
            .ToArray();
        double rank = (pooled.Length - 1) * 0.95;
        int lower = (int)rank;
        double hd95 = lower + 1 < pooled.Length
            ? pooled[lower] + (pooled[lower + 1] - pooled[lower]) * (rank - lower)
            : pooled[lower];
        return new SurfaceDistanceMetrics(pooled.Max(), hd95, pooled.Average());
    }

    private static double Nearest(int[] p, List<int[]> points, double[] spacing)
        => points.Min(q => Math.Sqrt(p.Select((c, axis) => Math.Pow((c - q[axis]) * spacing[axis], 2)).Sum()));

    private static List<int[]> SurfacePoints(byte[] mask, int[] shape)
    {
        var points = new List<int[]>();
        for (int flat = 0; flat < mask.Length; flat++)
        {
            if (mask[flat] == 0)
                continue;
            int[] c = Coordinate(flat, shape);
            bool surface = false;
            for (int axis = 0; axis < shape.Length && !surface; axis++)
            {
                foreach (int step in new[] { -1, 1 })
                {
                    int[] n = (int[])c.Clone();
                    n[axis] += step;
                    if (n[axis] < 0 || n[axis] >= shape[axis] || mask[Flat(n, shape)] == 0)
                        surface = true;
                }
            }
            if (surface)
                points.Add(c);
        }
        return points;
    }

    private static int[] Coordinate(int flat, int[] shape)
    {
        var c = new int[shape.Length];
        for (int axis = shape.Length - 1; axis >= 0; axis--)
        {
            c[axis] = flat % shape[axis];
            flat /= shape[axis];
        }
        return c;
    }

    private static int Flat(int[] c, int[] shape)
    {
        int flat = 0;
        for (int axis = 0; axis < shape.Length; axis++)
            flat = flat * shape[axis] + c[axis];
        return flat;
    }
}
