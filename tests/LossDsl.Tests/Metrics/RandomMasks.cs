using System;

namespace LossDsl.Tests.Metrics;

/// <summary>Small random binary masks of a random 2D or 3D shape, from a seed, for property tests.</summary>
internal static class RandomMasks
{
    public static (int[] Shape, byte[] A, byte[] B, double[] Spacing) Pair(int seed)
    {
        var random = new Random(seed);
        int[] shape = random.Next(2) == 0
            ? [random.Next(1, 9), random.Next(1, 9)]
            : [random.Next(1, 5), random.Next(1, 5), random.Next(1, 5)];
        int n = 1;
        foreach (int extent in shape)
            n *= extent;
        // Densities vary per mask so that sparse, dense, empty and full masks all occur.
        byte[] a = Mask(random, n, random.NextDouble());
        byte[] b = Mask(random, n, random.NextDouble());
        var spacing = new double[shape.Length];
        for (int i = 0; i < spacing.Length; i++)
            spacing[i] = random.Next(2) == 0 ? 1.0 : 0.5 + 2 * random.NextDouble();
        return (shape, a, b, spacing);
    }

    private static byte[] Mask(Random random, int n, double density)
    {
        var mask = new byte[n];
        for (int i = 0; i < n; i++)
            mask[i] = random.NextDouble() < density ? (byte)1 : (byte)0;
        return mask;
    }
}
