using System;
using LossDsl.Metrics;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace LossDsl.Tests.Metrics;

public sealed class TorchMetricsTests
{
    private static (byte[] Prediction, byte[] Target) Pair(int n, int seed)
    {
        var random = new Random(seed);
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
    public void Dice_of_tensors_equals_dice_of_arrays()
    {
        long[] shape = [2, 3, 4, 5];
        var (p, t) = Pair(120, 2);
        using var prediction = tensor(p, shape).to_type(ScalarType.Float32);
        using var target = tensor(t, shape).to_type(ScalarType.Bool);

        using Tensor dice = SegmentationMetrics.Dice(prediction, target);

        double[,] expected = SegmentationMetrics.DicePerClass(p, t, [2, 3, 4, 5]);
        Assert.Equal([2L, 3L], dice.shape);
        Assert.Equal(ScalarType.Float64, dice.dtype);
        for (int b = 0; b < 2; b++)
            for (int c = 0; c < 3; c++)
                Assert.Equal(expected[b, c], dice[b, c].item<double>(), 12);
    }

    [Fact]
    public void Surface_distances_of_tensors_equal_those_of_arrays()
    {
        long[] shape = [1, 2, 3, 4, 5];
        var (p, t) = Pair(120, 3);
        using var prediction = tensor(p, shape).to_type(ScalarType.Int64);
        using var target = tensor(t, shape);

        SurfaceDistanceMetrics[,] actual = SegmentationMetrics.SurfaceDistancesPerClass(prediction, target, [2.0, 1.0, 0.5]);

        Assert.Equal(SegmentationMetrics.SurfaceDistancesPerClass(p, t, [1, 2, 3, 4, 5], [2.0, 1.0, 0.5]), actual);
    }

    [Fact]
    public void A_non_binary_tensor_is_rejected_with_its_position()
    {
        using var prediction = tensor(new float[] { 0, 1, 0.5f, 1 }, [1, 1, 4]);
        using var target = zeros(1, 1, 4);

        var e = Assert.Throws<ArgumentException>(() => SegmentationMetrics.Dice(prediction, target));

        Assert.Equal("prediction", e.ParamName);
        Assert.Contains("flat element 2 is 0.5", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tensors_of_different_shapes_are_rejected()
    {
        using var prediction = zeros(1, 2, 4);
        using var target = zeros(1, 2, 5);

        var e = Assert.Throws<ArgumentException>(() => SegmentationMetrics.SurfaceDistancesPerClass(prediction, target));

        Assert.Contains("(1, 2, 4)", e.Message, StringComparison.Ordinal);
        Assert.Contains("(1, 2, 5)", e.Message, StringComparison.Ordinal);
    }
}
