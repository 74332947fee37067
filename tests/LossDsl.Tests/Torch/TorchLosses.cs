using LossDsl;
using static LossDsl.Dsl;

namespace LossDsl.Tests.Torch;

/// <summary>Losses declared with the DSL for the TorchSharp back-end tests (each gets <c>Name(Tensor …)</c>).</summary>
public static partial class TorchLosses
{
    /// <summary>Boundary loss: mean of p·φ over the selected classes.</summary>
    [Loss]
    public static Scalar Boundary(Field probs, Field dist, int[] idc) => Mean(Select(probs, idc) * Select(dist, idc));

    /// <summary>Tversky loss.</summary>
    [Loss]
    public static Scalar Tversky(Field probs, Field target, float alpha = 0.3f, float beta = 0.7f)
    {
        var tp = SumSpatial(probs * target);
        var fp = SumSpatial(probs * (1 - target));
        var fn = SumSpatial((1 - probs) * target);
        return Mean(1 - (tp + 1e-5f) / (tp + alpha * fp + beta * fn + 1e-5f));
    }

    /// <summary>Tversky and boundary rebalanced by α: one fused autograd node, not two.</summary>
    [Loss]
    public static Scalar Rebalanced(Field probs, Field target, Field dist, int[] idc, float alpha)
        => (1 - alpha) * Tversky(probs, target) + alpha * Boundary(probs, dist, idc);

    /// <summary>Cross-entropy of softmax(logits) against a one-hot target.</summary>
    [Loss]
    public static Scalar SoftmaxCrossEntropy(Field logits, Field target) => -Sum(target * LogSoftmax(logits)) / (Sum(target) + 1e-10);

    /// <summary>Generalized Dice of probabilities (weights 1/(Σy + ε)²).</summary>
    [Loss]
    public static Scalar GeneralizedDice(Field probs, Field target)
    {
        var w = 1 / Square(SumSpatial(target) + 1e-10);
        var intersection = SumClasses(w * SumSpatial(probs * target));
        var union = SumClasses(w * (SumSpatial(probs) + SumSpatial(target)));
        return Mean(1 - 2 * (intersection + 1e-10) / (union + 1e-10));
    }

    /// <summary>Generalized Dice plus α·boundary, both on softmax(logits): the benchmark's loss.</summary>
    [Loss]
    public static Scalar GdlBoundary(Field logits, Field target, Field dist, int[] idc, float alpha = 0.01f)
        => GeneralizedDice(Softmax(logits), target) + alpha * Boundary(Softmax(logits), dist, idc);

    /// <summary>Focal-like loss with a clamp and a power.</summary>
    [Loss]
    public static Scalar ClampedFocal(Field probs, Field target, double gamma = 2)
    {
        var p = Clamp(probs, 1e-6, 1 - 1e-6);
        return -Mean(MeanClasses(Pow(1 - p, gamma) * target * Log(p)));
    }

    /// <summary>Sigmoid squares weighted by the batch mean of the target, plus an absolute term.</summary>
    [Loss]
    public static Scalar WeightedSigmoidSquares(Field logits, Field target, int k = 2)
        => Mean(MeanBatch(target) * Square(Sigmoid(logits) - target)) + k * Mean(Abs(Max(logits, 0.5) - Sqrt(target + 1)));
}
