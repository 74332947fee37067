using System;
using LossDsl.Cli.Demo;
using Xunit;

namespace LossDsl.Cli.Tests;

/// <summary>The demo's paired comparison: mean difference, its 95 % t-interval, and the verdict in words.</summary>
public sealed class PairedDifferenceTests
{
    [Fact]
    public void The_interval_is_the_mean_difference_plus_or_minus_t_times_the_standard_error()
    {
        // Differences 1, 2, 3: mean 2, s = 1, t(0.975, 2) = 4.302653, half-width 4.302653 / √3.
        var d = PairedDifference.Of([0.0, 0.0, 0.0], [1.0, 2.0, 3.0]);

        Assert.Equal(3, d.Count);
        Assert.Equal(2.0, d.Mean, 12);
        Assert.Equal(1.0, d.StandardDeviation, 12);
        Assert.Equal(2.0 - (4.302653 / Math.Sqrt(3)), d.Low, 6);
        Assert.Equal(2.0 + (4.302653 / Math.Sqrt(3)), d.High, 6);
        Assert.Equal(Direction.NoneShown, d.Direction);
    }

    [Theory]
    [InlineData(1, 12.706205)]
    [InlineData(4, 2.776445)]
    [InlineData(30, 2.042272)]
    [InlineData(31, 2.039513)]
    [InlineData(60, 2.000298)]
    [InlineData(1000, 1.962339)]
    public void Student_t_quantiles_match_the_tables(int degreesOfFreedom, double expected)
        => Assert.Equal(expected, PairedDifference.StudentT975(degreesOfFreedom), 5);

    [Fact]
    public void The_verdict_says_what_the_intervals_show()
    {
        double[] gdl = [0.50, 0.60, 0.70, 0.55];
        double[] better = [0.55, 0.66, 0.74, 0.61];
        double[] worse = [0.45, 0.52, 0.66, 0.50];
        double[] mixed = [0.60, 0.50, 0.75, 0.50];
        double[] hdGdl = [10, 12, 8, 9];
        double[] hdLower = [8, 10, 7, 7];

        Assert.Equal("verdict, GDL + boundary against GDL over 4 paired seeds: Dice better (higher); HD95 better (lower)",
            DemoRunner.Verdict(PairedDifference.Of(gdl, better), PairedDifference.Of(hdGdl, hdLower)));
        Assert.Equal("verdict, GDL + boundary against GDL over 4 paired seeds: Dice worse (lower); HD95 worse (higher)",
            DemoRunner.Verdict(PairedDifference.Of(gdl, worse), PairedDifference.Of(hdLower, hdGdl)));
        Assert.Equal("verdict, GDL + boundary against GDL over 4 paired seeds: Dice no difference shown at 95 %; HD95 no difference shown at 95 %",
            DemoRunner.Verdict(PairedDifference.Of(gdl, mixed), PairedDifference.Of(hdGdl, [11, 10, 9, 8])));
        Assert.StartsWith("verdict: one seed gives no interval", DemoRunner.Verdict(PairedDifference.Of([0.5], [0.6]), PairedDifference.Of([3.0], [2.0])), StringComparison.Ordinal);
    }
}
