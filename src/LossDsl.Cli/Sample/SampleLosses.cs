using static LossDsl.Dsl;

namespace LossDsl.Cli.Sample;

/// <summary>The losses the sample declares: the same DSL any user writes.</summary>
internal static partial class SampleLosses
{
    /// <summary>Boundary loss: mean over the chosen classes of probabilities times signed distances.</summary>
    [Loss]
    internal static Scalar Boundary(Field probs, Field dist, int[] idc) => Mean(Select(probs, idc) * Select(dist, idc));

    /// <summary>Generalized Dice with weights 1/(Σy + ε)², rebalanced with the boundary loss by α.</summary>
    [Loss]
    internal static Scalar GdlBoundary(Field probs, Field target, Field dist, int[] idc, float alpha = 0.01f)
    {
        var p = Select(probs, idc);
        var y = Select(target, idc);
        var w = 1 / Square(SumSpatial(y) + 1e-10);
        var gdl = Mean(1 - 2 * (SumClasses(w * SumSpatial(p * y)) + 1e-10) / (SumClasses(w * (SumSpatial(p) + SumSpatial(y))) + 1e-10));
        return (1 - alpha) * gdl + alpha * Boundary(probs, dist, idc);
    }
}
