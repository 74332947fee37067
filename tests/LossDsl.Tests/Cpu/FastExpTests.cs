using System;
using System.Linq;
using LossDsl.Cpu;
using Xunit;

namespace LossDsl.Tests.Cpu;

/// <summary>The vectorized float exponential against the correctly rounded one.</summary>
public sealed class FastExpTests
{
    [Fact]
    public void Is_within_one_ulp_of_the_correctly_rounded_exponential_over_the_normal_range()
    {
        // 2·10⁶ points over [−87, 88.7]: every result a normal float, vector and scalar paths (odd length) both used.
        const int count = 2_000_003;
        var x = new float[count];
        for (var i = 0; i < count; i++)
        {
            x[i] = -87f + (175.7f * i / (count - 1));
        }

        var y = new float[count];
        FastExp.Apply(x, y);
        var worst = 0;
        for (var i = 0; i < count; i++)
        {
            var exact = (float)Math.Exp(x[i]);
            worst = Math.Max(worst, Math.Abs(BitConverter.SingleToInt32Bits(y[i]) - BitConverter.SingleToInt32Bits(exact)));
        }

        Assert.True(worst <= 1, $"worst error {worst} ulp");
    }

    [Theory]
    [InlineData(float.NaN, float.NaN)]
    [InlineData(float.PositiveInfinity, float.PositiveInfinity)]
    [InlineData(89f, float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity, 0f)]
    [InlineData(-104f, 0f)]
    [InlineData(0f, 1f)]
    public void Edge_values_follow_IEEE(float x, float expected)
    {
        var vector = new float[17];
        Array.Fill(vector, x);
        var result = new float[17];
        FastExp.Apply(vector, result);
        Assert.All(result, r => Assert.Equal(expected, r));
        Assert.Equal(expected, FastExp.Exp(x));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(23)]
    [InlineData(1031)]
    public void The_shifted_accumulating_form_equals_Apply_of_the_difference_plus_the_old_total(int count)
    {
        // Lengths off the 8- and 16-lane widths exercise the vector bodies and the scalar tail.
        var random = new Random(count);
        var x = Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 40 - 20)).ToArray();
        var shift = Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 10)).ToArray();
        var total = Enumerable.Range(0, count).Select(_ => (float)random.NextDouble()).ToArray();
        var expectedTotal = (float[])total.Clone();
        var difference = x.Zip(shift, (a, b) => a - b).ToArray();
        var expected = new float[count];
        FastExp.Apply(difference, expected);
        for (var i = 0; i < count; i++)
        {
            expectedTotal[i] += expected[i];
        }

        var actual = new float[count];
        FastExp.ApplyShiftedAndAccumulate(x, shift, actual, total);

        // The same polynomial on the same float differences: bit for bit.
        Assert.Equal(expected, actual);
        Assert.Equal(expectedTotal, total);
    }
}
