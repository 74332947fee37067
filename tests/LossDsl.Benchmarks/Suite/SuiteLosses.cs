using LossDsl;
using static LossDsl.Dsl;

namespace LossDsl.Benchmarks.Suite;

/// <summary>
/// Eight losses of different shapes for the CPU benchmark suite (<see cref="CpuSuiteBenchmarks"/>): written as a
/// user would, none of them tuned for, so the suite measures the compiler rather than one formula.
/// </summary>
public static partial class SuiteLosses
{
    /// <summary>GDL + boundary on probabilities, <c>Select</c> in both terms.</summary>
    [Loss]
    public static Scalar GdlBoundarySelect(Field probs, Field target, Field dist, int[] idc, double alpha = 0.01)
    {
        var p = Select(probs, idc);
        var y = Select(target, idc);
        var w = 1 / Square(SumSpatial(y) + 1e-10);
        var gdl = Mean(1 - 2 * (SumClasses(w * SumSpatial(p * y)) + 1e-10) / (SumClasses(w * (SumSpatial(p) + SumSpatial(y))) + 1e-10));
        return (1 - alpha) * gdl + alpha * Mean(p * Select(dist, idc));
    }

    /// <summary>The same on softmax(logits).</summary>
    [Loss]
    public static Scalar GdlBoundarySoftmax(Field logits, Field target, Field dist, int[] idc, double alpha = 0.01)
        => GdlBoundarySelect(Softmax(logits), target, dist, idc, alpha);

    /// <summary>Focal loss (γ = 2) on softmax(logits).</summary>
    [Loss]
    public static Scalar FocalSoftmax(Field logits, Field target)
    {
        var p = Softmax(logits);
        return -Mean(Square(1 - p) * target * LogSoftmax(logits));
    }

    /// <summary>Tversky loss on probabilities, α = 0.3, β = 0.7.</summary>
    [Loss]
    public static Scalar Tversky(Field probs, Field target)
    {
        var tp = SumSpatial(probs * target);
        var fp = SumSpatial(probs * (1 - target));
        var fn = SumSpatial((1 - probs) * target);
        return Mean(1 - (tp + 1e-5) / (tp + 0.3 * fp + 0.7 * fn + 1e-5));
    }

    /// <summary>Log-cosh of the Dice loss: log((e^d + e^−d)/2) with d the per-image, per-class Dice loss.</summary>
    [Loss]
    public static Scalar LogCoshDice(Field probs, Field target)
    {
        var d = 1 - (2 * SumSpatial(probs * target) + 1e-5) / (SumSpatial(probs) + SumSpatial(target) + 1e-5);
        return Mean(Log((Exp(d) + Exp(-d)) / 2));
    }

    /// <summary>Three fields: cross-entropy of softmax(logits) plus a boundary term on the selected classes.</summary>
    [Loss]
    public static Scalar CrossEntropyBoundary(Field logits, Field target, Field dist, int[] idc, double alpha = 0.1)
        => -Mean(target * LogSoftmax(logits)) + alpha * Mean(Select(Softmax(logits), idc) * Select(dist, idc));

    /// <summary>Kinks: a clamped, absolute error with a hinge on the largest class score.</summary>
    [Loss]
    public static Scalar ClampAbsMax(Field probs, Field target)
        => Mean(Clamp(Abs(probs - target), 0.05, 0.95)) + Mean(Max(MaxClasses(probs) - 0.9, 0));

    /// <summary>Binary cross-entropy of sigmoid(x) with a positive-class weight.</summary>
    [Loss]
    public static Scalar SigmoidBce(Field x, Field target, double positiveWeight = 3.0)
    {
        var p = Sigmoid(x);
        return -Mean(positiveWeight * target * Log(p + 1e-7) + (1 - target) * Log(1 - p + 1e-7));
    }
}
