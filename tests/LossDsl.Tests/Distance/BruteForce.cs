using System;

namespace LossDsl.Tests.Distance;

/// <summary>O(N²) definitions, straight from the documentation, to check the fast transforms against.</summary>
internal static class BruteForce
{
    public static int[] Coordinates(long flat, int[] shape)
    {
        var c = new int[shape.Length];
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            c[i] = (int)(flat % shape[i]);
            flat /= shape[i];
        }
        return c;
    }

    public static double Distance(int[] a, int[] b, double[] spacing)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double d = (a[i] - b[i]) * spacing[i];
            s += d * d;
        }
        return Math.Sqrt(s);
    }

    /// <summary>Distance from each element to the nearest element where <paramref name="target"/> holds; +∞ if none.</summary>
    public static double[] DistanceTo(Func<int, bool> target, int[] shape, double[] spacing, int n)
    {
        var result = new double[n];
        var coords = new int[n][];
        for (int i = 0; i < n; i++) coords[i] = Coordinates(i, shape);
        for (int i = 0; i < n; i++)
        {
            double best = double.PositiveInfinity;
            for (int j = 0; j < n; j++)
            {
                if (target(j)) best = Math.Min(best, Distance(coords[i], coords[j], spacing));
            }
            result[i] = best;
        }
        return result;
    }

    public static double[] Edt(byte[] mask, int[] shape, double[] spacing)
    {
        var d = DistanceTo(j => mask[j] == 0, shape, spacing, mask.Length);
        for (int i = 0; i < mask.Length; i++) if (mask[i] == 0) d[i] = 0;
        return d;
    }

    public static bool[] InnerBoundary(byte[] mask, int[] shape)
    {
        var b = new bool[mask.Length];
        for (int i = 0; i < mask.Length; i++)
        {
            if (mask[i] == 0) continue;
            var c = Coordinates(i, shape);
            long stride = 1;
            for (int axis = shape.Length - 1; axis >= 0; axis--)
            {
                if ((c[axis] > 0 && mask[i - stride] == 0) || (c[axis] < shape[axis] - 1 && mask[i + stride] == 0)) b[i] = true;
                stride *= shape[axis];
            }
        }
        return b;
    }

    public static double[] Signed(byte[] mask, int[] shape, double[] spacing, bool contour)
    {
        int n = mask.Length;
        int pos = 0;
        foreach (var m in mask) if (m != 0) pos++;
        if (pos == 0 || pos == n) return new double[n];
        var outside = DistanceTo(j => mask[j] != 0, shape, spacing, n);
        var boundary = InnerBoundary(mask, shape);
        var inside = contour
            ? DistanceTo(j => boundary[j], shape, spacing, n)
            : DistanceTo(j => mask[j] == 0, shape, spacing, n);
        var phi = new double[n];
        for (int i = 0; i < n; i++)
            phi[i] = mask[i] == 0 ? outside[i] : contour ? -inside[i] : -(inside[i] - 1);
        return phi;
    }
}
