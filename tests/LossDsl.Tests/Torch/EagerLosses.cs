using System.Linq;
using TorchSharp;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace LossDsl.Tests.Torch;

/// <summary>The same losses written by hand in TorchSharp eager mode (recorded by autograd op by op): the reference.</summary>
internal static class EagerLosses
{
    private static long[] Spatial(Tensor x) => Enumerable.Range(2, (int)x.ndim - 2).Select(d => (long)d).ToArray();

    private static Tensor SumSpatial(Tensor x) => x.ndim > 2 ? x.sum(Spatial(x)) : x;

    private static Tensor Classes(int[] idc, Device device) => torch.tensor(idc.Select(i => (long)i).ToArray(), device: device);

    public static Tensor Boundary(Tensor probs, Tensor dist, int[] idc)
    {
        var index = Classes(idc, probs.device);
        return (probs.index_select(1, index) * dist.index_select(1, index)).mean();
    }

    public static Tensor Tversky(Tensor p, Tensor y, double alpha = 0.3f, double beta = 0.7f)
    {
        var eps = (double)1e-5f;
        var tp = SumSpatial(p * y);
        var fp = SumSpatial(p * (1 - y));
        var fn = SumSpatial((1 - p) * y);
        return (1 - (tp + eps) / (tp + alpha * fp + beta * fn + eps)).mean();
    }

    public static Tensor Rebalanced(Tensor p, Tensor y, Tensor dist, int[] idc, float alpha)
        => (1 - (double)alpha) * Tversky(p, y) + (double)alpha * Boundary(p, dist, idc);

    public static Tensor SoftmaxCrossEntropy(Tensor logits, Tensor y)
        => -(y * logits.log_softmax(1)).sum() / (y.sum() + 1e-10);

    public static Tensor GeneralizedDice(Tensor p, Tensor y)
    {
        var w = 1 / (SumSpatial(y) + 1e-10).square();
        var intersection = (w * SumSpatial(p * y)).sum(1);
        var union = (w * (SumSpatial(p) + SumSpatial(y))).sum(1);
        return (1 - 2 * (intersection + 1e-10) / (union + 1e-10)).mean();
    }

    public static Tensor GdlBoundary(Tensor logits, Tensor y, Tensor dist, int[] idc, float alpha = 0.01f)
    {
        var p = logits.softmax(1);
        return GeneralizedDice(p, y) + (double)alpha * Boundary(p, dist, idc);
    }

    public static Tensor ClampedFocal(Tensor probs, Tensor y, double gamma = 2)
    {
        var p = probs.clamp(1e-6, 1 - 1e-6);
        return -((1 - p).pow(gamma) * y * p.log()).mean(new long[] { 1 }).mean();
    }

    public static Tensor WeightedSigmoidSquares(Tensor logits, Tensor y, int k = 2)
        => (y.mean(new long[] { 0 }, keepdim: true) * (logits.sigmoid() - y).square()).mean()
            + k * (logits.clamp_min(0.5) - (y + 1).sqrt()).abs().mean();
}
