using LossDsl;
using static LossDsl.Dsl;

namespace LossDsl.Tests.Cpu;

/// <summary>The examples of DESIGN.md and a few more, declared the way users declare losses.</summary>
public static partial class ExampleLosses
{
    /// <summary>Tversky loss: 1 − TP/(TP + α·FP + β·FN), per image and class, averaged.</summary>
    [Loss]
    public static Scalar Tversky(Field probs, Field target, float alpha = 0.3f, float beta = 0.7f)
    {
        var tp = SumSpatial(probs * target);
        var fp = SumSpatial(probs * (1 - target));
        var fn = SumSpatial((1 - probs) * target);
        return Mean(1 - (tp + 1e-5f) / (tp + alpha * fp + beta * fn + 1e-5f));
    }

    /// <summary>Boundary loss of Kervadec et al.: mean of probabilities times signed distances over the chosen classes.</summary>
    [Loss]
    public static Scalar Boundary(Field probs, Field dist, int[] idc) => Mean(Select(probs, idc) * Select(dist, idc));

    /// <summary>Tversky and boundary, rebalanced by α.</summary>
    [Loss]
    public static Scalar Rebalanced(Field probs, Field target, Field dist, int[] idc, float alpha)
        => (1 - alpha) * Tversky(probs, target) + alpha * Boundary(probs, dist, idc);

    /// <summary>Cross-entropy of softmax(logits) against a one-hot target, normalised by the number of labelled pixels.</summary>
    [Loss]
    public static Scalar SoftmaxCrossEntropy(Field logits, Field target)
        => -Sum(target * LogSoftmax(logits)) / (Sum(target) + 1e-10);

    /// <summary>Generalized Dice of softmax(logits) with weights 1/(Σy + ε)², over the selected classes.</summary>
    [Loss]
    public static Scalar GeneralizedDiceOfLogits(Field logits, Field target, int[] idc)
    {
        var p = Select(Softmax(logits), idc);
        var y = Select(target, idc);
        var w = 1 / Square(SumSpatial(y) + 1e-10);
        var intersection = w * SumSpatial(p * y);
        var union = w * (SumSpatial(p) + SumSpatial(y));
        return Mean(1 - 2 * (SumClasses(intersection) + 1e-10) / (SumClasses(union) + 1e-10));
    }

    /// <summary>Focal-like loss with a clamp and a power: exercises Pow, Clamp, Log and mean over classes.</summary>
    [Loss]
    public static Scalar ClampedFocal(Field probs, Field target, double gamma = 2)
    {
        var p = Clamp(probs, 1e-6, 1 - 1e-6);
        return -Mean(MeanClasses(Pow(1 - p, gamma) * target * Log(p)));
    }

    /// <summary>Largest false-positive probability (jittered by the map, so no ties) of each present class, plus a class-peak term weighted by the batch maximum of a map.</summary>
    [Loss]
    public static Scalar PeakPenalty(Field probs, Field target, Field dist)
        => Mean(Step(SumSpatial(target) - 0.5) * MaxSpatial(probs * (1 - target) + 0.01 * dist)) + Mean(MaxClasses(probs) * MaxBatch(dist));

    /// <summary>The built-in Dice plus a weighted built-in boundary loss: composed across assemblies, from their stored graphs.</summary>
    [Loss]
    public static Scalar DicePlusBoundary(Field probs, Field target, Field dist, int[] idc, double weight = 0.5)
        => SegmentationLosses.Dice(probs, target, idc) + weight * SegmentationLosses.Boundary(probs, dist, idc);

    /// <summary>Squared error between sigmoid(logits) and the target, weighted by the batch mean of the target.</summary>
    [Loss]
    public static Scalar WeightedSigmoidSquares(Field logits, Field target)
        => Mean(MeanBatch(target) * Square(Sigmoid(logits) - target)) + Mean(Abs(Max(logits, 0.5) - Sqrt(target + 1)));
}
