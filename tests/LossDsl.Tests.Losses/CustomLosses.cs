using static LossDsl.Dsl;

namespace LossDsl.Tests.Losses;

/// <summary>User-style losses declared in C# for the F# test project (F# calls the generated members).</summary>
public static partial class CustomLosses
{
    /// <summary>Tversky loss over the selected classes: 1 − TP/(TP + α·FP + β·FN), per image and class, averaged.</summary>
    [Loss]
    public static Scalar Tversky(Field probs, Field target, int[] idc, double alpha = 0.3, double beta = 0.7)
    {
        var p = Select(probs, idc);
        var y = Select(target, idc);
        var tp = SumSpatial(p * y);
        var fp = SumSpatial(p * (1 - y));
        var fn = SumSpatial((1 - p) * y);
        return Mean(1 - (tp + 1e-5) / (tp + alpha * fp + beta * fn + 1e-5));
    }

    /// <summary>Squared-denominator soft Dice (Milletari): 1 − (2Σpy + ε)/(Σp² + Σy² + ε), per image and class.</summary>
    [Loss]
    public static Scalar SquaredDice(Field probs, Field target, int[] idc)
    {
        var p = Select(probs, idc);
        var y = Select(target, idc);
        return Mean(1 - (2 * SumSpatial(p * y) + 1e-6) / (SumSpatial(Square(p)) + SumSpatial(Square(y)) + 1e-6));
    }

    /// <summary>Tversky rebalanced against the boundary loss: (1 − α)·Tversky + α·Boundary.</summary>
    [Loss]
    public static Scalar TverskyBoundary(Field probs, Field target, Field dist, int[] idc, double alpha)
        => (1 - alpha) * Tversky(probs, target, idc) + alpha * Mean(Select(probs, idc) * Select(dist, idc));
}
