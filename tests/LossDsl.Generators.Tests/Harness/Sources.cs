namespace LossDsl.Generators.Tests.Harness;

/// <summary>Source snippets shared by the tests.</summary>
internal static class Sources
{
    /// <summary>The example of DESIGN.md's public contract, verbatim.</summary>
    public const string Design = """
        using LossDsl;
        using static LossDsl.Dsl;

        namespace MyProject;

        public static partial class MyLosses
        {
            /// Tversky loss: 1 − TP/(TP + α·FP + β·FN), per image and class, averaged.
            [Loss]
            public static Scalar Tversky(Field probs, Field target, float alpha = 0.3f, float beta = 0.7f)
            {
                var tp = SumSpatial(probs * target);
                var fp = SumSpatial(probs * (1 - target));
                var fn = SumSpatial((1 - probs) * target);
                return Mean(1 - (tp + 1e-5f) / (tp + alpha * fp + beta * fn + 1e-5f));
            }

            [Loss]
            public static Scalar Boundary(Field probs, Field dist, int[] idc) => Mean(Select(probs, idc) * Select(dist, idc));

            [Loss]   // composition: a loss may call other [Loss] methods
            public static Scalar Rebalanced(Field probs, Field target, Field dist, int[] idc, float alpha)
                => (1 - alpha) * Tversky(probs, target) + alpha * Boundary(probs, dist, idc);
        }
        """;

    /// <summary>Wraps members into a file with the usual usings and a <c>static partial class L</c>.</summary>
    public static string InClass(string members) => $$"""
        using LossDsl;
        using static LossDsl.Dsl;

        namespace Tests;

        public static partial class L
        {
        {{members}}
        }
        """;
}
