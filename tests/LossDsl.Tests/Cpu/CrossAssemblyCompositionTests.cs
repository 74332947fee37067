using System.Linq;
using System.Numerics.Tensors;
using Xunit;

namespace LossDsl.Tests.Cpu;

/// <summary>A user's [Loss] composed of built-in losses (another assembly) is one generated loss with one gradient.</summary>
public sealed class CrossAssemblyCompositionTests
{
    [Fact]
    public void A_composite_of_built_in_losses_equals_the_sum_of_their_values_and_gradients()
    {
        var f = new TestFields(21, 3, 4, 11, 9);
        var shape = f.Shape;
        var expected = SegmentationLosses.DiceCpu(f.Span(f.Probs), f.Span(f.Target), f.Idc)
            + (0.5 * SegmentationLosses.BoundaryCpu(f.Span(f.Probs), f.Span(f.Dist), f.Idc));
        var actual = ExampleLosses.DicePlusBoundaryCpu(f.Span(f.Probs), f.Span(f.Target), f.Span(f.Dist), f.Idc);
        Assert.Equal(expected, actual, 14);

        var composite = new double[f.Count];
        ExampleLosses.DicePlusBoundaryCpuGradient(f.Span(f.Probs), f.Span(f.Target), f.Span(f.Dist), new TensorSpan<double>(composite, shape), default, default, f.Idc);
        var dice = new double[f.Count];
        var boundary = new double[f.Count];
        SegmentationLosses.DiceCpuGradient(f.Span(f.Probs), f.Span(f.Target), new TensorSpan<double>(dice, shape), default, f.Idc);
        SegmentationLosses.BoundaryCpuGradient(f.Span(f.Probs), f.Span(f.Dist), new TensorSpan<double>(boundary, shape), default, f.Idc);
        for (var i = 0; i < f.Count; i++)
        {
            Assert.Equal(dice[i] + (0.5 * boundary[i]), composite[i], 14);
        }
    }

    [Fact]
    public void The_composite_formula_shows_the_inlined_built_ins()
    {
        Assert.True(LossCatalog.TryGet("LossDsl.Tests.Cpu.ExampleLosses.DicePlusBoundary", out var info));
        Assert.StartsWith("L = dice + weight·boundary", info.Formula);
        Assert.Contains("where dice = mean(1 − dice_ratio)", info.Formula);
        Assert.Contains("where boundary = mean(dice_p·dist[idc])", info.Formula);
        Assert.Contains("probs", info.Gradients.Keys);
    }
}
