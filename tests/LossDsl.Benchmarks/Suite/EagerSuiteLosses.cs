using System.Linq;
using TorchSharp;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace LossDsl.Benchmarks.Suite;

/// <summary>
/// The suite's losses in TorchSharp eager mode, op by op, as a PyTorch user would write them (autograd records the
/// backward): the baseline the generated CPU code is compared with.
/// </summary>
public static class EagerSuiteLosses
{
    private static long[] Spatial(Tensor x) => Enumerable.Range(2, (int)x.dim() - 2).Select(d => (long)d).ToArray();

    public static Tensor GdlBoundarySelect(Tensor probs, Tensor target, Tensor dist, Tensor idc, double alpha = 0.01)
    {
        var axes = Spatial(probs);
        var p = probs.index_select(1, idc);
        var y = target.index_select(1, idc);
        var w = 1 / (y.sum(axes) + 1e-10).square();
        var intersection = (w * (p * y).sum(axes)).sum(1);
        var union = (w * (p.sum(axes) + y.sum(axes))).sum(1);
        var gdl = (1 - 2 * (intersection + 1e-10) / (union + 1e-10)).mean();
        return (1 - alpha) * gdl + alpha * (p * dist.index_select(1, idc)).mean();
    }

    public static Tensor GdlBoundarySoftmax(Tensor logits, Tensor target, Tensor dist, Tensor idc, double alpha = 0.01) =>
        GdlBoundarySelect(logits.softmax(1), target, dist, idc, alpha);

    public static Tensor FocalSoftmax(Tensor logits, Tensor target)
    {
        var p = logits.softmax(1);
        return -((1 - p).square() * target * logits.log_softmax(1)).mean();
    }

    public static Tensor Tversky(Tensor probs, Tensor target)
    {
        var axes = Spatial(probs);
        var tp = (probs * target).sum(axes);
        var fp = (probs * (1 - target)).sum(axes);
        var fn = ((1 - probs) * target).sum(axes);
        return (1 - (tp + 1e-5) / (tp + 0.3 * fp + 0.7 * fn + 1e-5)).mean();
    }

    public static Tensor LogCoshDice(Tensor probs, Tensor target)
    {
        var axes = Spatial(probs);
        var d = 1 - (2 * (probs * target).sum(axes) + 1e-5) / (probs.sum(axes) + target.sum(axes) + 1e-5);
        return ((d.exp() + (-d).exp()) / 2).log().mean();
    }

    public static Tensor CrossEntropyBoundary(Tensor logits, Tensor target, Tensor dist, Tensor idc, double alpha = 0.1) =>
        -(target * logits.log_softmax(1)).mean() + alpha * (logits.softmax(1).index_select(1, idc) * dist.index_select(1, idc)).mean();

    public static Tensor ClampAbsMax(Tensor probs, Tensor target) =>
        (probs - target).abs().clamp(0.05, 0.95).mean() + (probs.amax(1) - 0.9).clamp_min(0).mean();

    public static Tensor SigmoidBce(Tensor x, Tensor target, double positiveWeight = 3.0)
    {
        var p = x.sigmoid();
        return -(positiveWeight * target * (p + 1e-7).log() + (1 - target) * (1 - p + 1e-7).log()).mean();
    }
}
