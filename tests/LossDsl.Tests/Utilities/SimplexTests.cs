using System;
using LossDsl.Utilities;
using TorchSharp;
using Xunit;

namespace LossDsl.Tests.Utilities;

public sealed class SimplexTests
{
    [Fact]
    public void Softmax_output_is_a_simplex()
    {
        using var logits = torch.randn(2, 4, 5, 6, dtype: torch.float64);
        using var p = logits.softmax(1);
        Simplex.Check(p);
        Simplex.Check<double>(p.data<double>().ToArray(), [2, 4, 5, 6]);
        Assert.True(Simplex.IsSimplex<double>(p.data<double>().ToArray(), [2, 4, 5, 6]));
    }

    [Fact]
    public void Failure_says_where_and_by_how_much()
    {
        float[] p = [0.5f, 0.2f, 0.5f, 0.8f, /* b1 */ 0.5f, 1f, 0.5f, 0.25f];
        var e = Assert.Throws<ArgumentException>(() => Simplex.Check<float>(p, [2, 2, 2]));
        Assert.Contains("at batch item 1, position (1), the 2 classes sum to 1.25 (off by 0.25", e.Message);
        using var t = torch.tensor(p, [2, 2, 2]);
        var et = Assert.Throws<ArgumentException>(() => Simplex.Check(t));
        Assert.Contains("at batch item 1, position (1), the 2 classes sum to 1.25 (off by 0.25", et.Message);
    }

    [Fact]
    public void NaN_is_not_a_simplex()
    {
        Assert.False(Simplex.IsSimplex<double>([double.NaN, 1], [1, 2, 1]));
        using var t = torch.tensor(new[] { float.NaN, 1f }, [1, 2, 1]);
        Assert.Throws<ArgumentException>(() => Simplex.Check(t));
    }
}
