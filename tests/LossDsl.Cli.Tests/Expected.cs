using System;
using LossDsl.Distance;

namespace LossDsl.Cli.Tests;

/// <summary>What distmap must write: SignedDistance.FromMask of every class, laid out (K, *spatial).</summary>
internal static class Expected
{
    public static float[] Maps(long[] labels, int[] shape, int classes, double[] spacing, SignedDistanceVariant variant = SignedDistanceVariant.Reference)
    {
        int n = labels.Length;
        var maps = new float[classes * n];
        var mask = new byte[n];
        for (int k = 0; k < classes; k++)
        {
            for (int i = 0; i < n; i++)
                mask[i] = labels[i] == k ? (byte)1 : (byte)0;
            SignedDistance.FromMask(mask, shape, spacing, maps.AsSpan(k * n, n), variant);
        }
        return maps;
    }

    /// <summary>Random labels in 0..classes−1 made of blobs, so every class has a boundary.</summary>
    public static long[] Labels(int[] shape, int classes, int seed)
    {
        var random = new Random(seed);
        int n = 1;
        foreach (int extent in shape)
            n *= extent;
        var labels = new long[n];
        for (int i = 0; i < n; i++)
            labels[i] = random.Next(100) < 70 ? 0 : random.Next(classes);
        return labels;
    }
}
