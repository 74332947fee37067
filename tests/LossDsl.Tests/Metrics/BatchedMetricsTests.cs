using System;
using LossDsl.Metrics;
using Xunit;

namespace LossDsl.Tests.Metrics;

public sealed class BatchedMetricsTests
{
    private static (byte[] Prediction, byte[] Target) OneHotPair(int[] shape, int seed)
    {
        var random = new Random(seed);
        int n = 1;
        foreach (int extent in shape)
            n *= extent;
        var p = new byte[n];
        var t = new byte[n];
        for (int i = 0; i < n; i++)
        {
            p[i] = (byte)random.Next(2);
            t[i] = (byte)random.Next(2);
        }
        return (p, t);
    }

    [Fact]
    public void Every_image_and_class_is_its_own_pair_of_masks()
    {
        int[] shape = [2, 3, 5, 6];
        var (p, t) = OneHotPair(shape, 1);
        double[] spacing = [1.5, 0.5];

        double[,] dice = SegmentationMetrics.DicePerClass(p, t, shape);
        SurfaceDistanceMetrics[,] surface = SegmentationMetrics.SurfaceDistancesPerClass(p, t, shape, spacing);

        for (int b = 0; b < 2; b++)
        {
            for (int c = 0; c < 3; c++)
            {
                int start = (b * 3 + c) * 30;
                Assert.Equal(SegmentationMetrics.Dice(p.AsSpan(start, 30), t.AsSpan(start, 30)), dice[b, c]);
                Assert.Equal(SegmentationMetrics.SurfaceDistances(p.AsSpan(start, 30), t.AsSpan(start, 30), [5, 6], spacing), surface[b, c]);
            }
        }
    }

    [Fact]
    public void A_shape_without_spatial_axes_is_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => SegmentationMetrics.DicePerClass(new byte[6], new byte[6], [2, 3]));

        Assert.Equal("shape", e.ParamName);
    }

    [Fact]
    public void Spacing_is_checked_against_the_spatial_axes()
    {
        var e = Assert.Throws<ArgumentException>(
            () => SegmentationMetrics.SurfaceDistancesPerClass(new byte[24], new byte[24], [1, 2, 3, 4], [1.0, 1.0, 1.0]));

        Assert.Equal("spacing", e.ParamName);
    }
}
