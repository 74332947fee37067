using static LossDsl.Dsl;

namespace LossDsl.Tests.Kit;

/// <summary>Losses declared with a deliberate defect, for the planted-bug tests: the kit must catch each one.</summary>
public static partial class PlantedLosses
{
    /// <summary>Generalized Dice with its ε terms left out: a class missing from the ground truth gets the weight
    /// 1/0² = ∞, and ∞·0 = NaN.</summary>
    [Loss]
    public static Scalar GeneralizedDiceWithoutEpsilon(Field probs, Field target, int[] idc)
    {
        var p = Select(probs, idc);
        var y = Select(target, idc);
        var w = 1 / Square(SumSpatial(y));
        return Mean(1 - 2 * SumClasses(w * SumSpatial(p * y)) / SumClasses(w * (SumSpatial(p) + SumSpatial(y))));
    }

    /// <summary>Cross-entropy with <c>log(p)</c> instead of <c>log(p + ε)</c>: −∞ where the prediction is exactly 0 on a
    /// labelled pixel.</summary>
    [Loss]
    public static Scalar CrossEntropyWithoutEpsilon(Field probs, Field target, int[] idc)
        => -Sum(Select(target, idc) * Log(Select(probs, idc))) / (Sum(Select(target, idc)) + 1e-10);
}
