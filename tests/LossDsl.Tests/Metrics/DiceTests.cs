using System;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LossDsl.Metrics;
using Xunit;

namespace LossDsl.Tests.Metrics;

public sealed class DiceTests
{
    [Fact]
    public void Matches_the_reference_formula()
    {
        byte[] a = [1, 1, 1, 0, 0], b = [0, 1, 1, 1, 1];

        Assert.Equal((2 * 2 + 1e-8) / (3 + 4 + 1e-8), SegmentationMetrics.Dice(a, b), 15);
    }

    [Fact]
    public void Two_empty_masks_agree_perfectly()
    {
        Assert.Equal(1.0, SegmentationMetrics.Dice(new byte[7], new byte[7]));
    }

    [Fact]
    public void Disjoint_masks_score_almost_zero()
    {
        Assert.True(SegmentationMetrics.Dice([1, 0], [0, 1]) < 1e-8);
    }

    [Fact]
    public void Masks_of_different_lengths_are_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => SegmentationMetrics.Dice(new byte[3], new byte[4]));

        Assert.Contains("3", e.Message, StringComparison.Ordinal);
        Assert.Contains("4", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_binary_values_are_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => SegmentationMetrics.Dice([0, 1], [0, 255]));

        Assert.Equal("target", e.ParamName);
    }

    [Property(MaxTest = 200)]
    public Property Lies_in_0_1_and_is_1_on_identical_masks(int seed)
    {
        var (_, a, b, _) = RandomMasks.Pair(seed);
        double dice = SegmentationMetrics.Dice(a, b);
        return (dice >= 0 && dice <= 1 && SegmentationMetrics.Dice(a, a) == 1 && dice == SegmentationMetrics.Dice(b, a))
            .Label($"dice {dice}");
    }
}
