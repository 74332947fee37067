using LossDsl.Generators.Tests.Harness;
using LossDsl.Generators.Tests.Passes;
using Xunit;

namespace LossDsl.Generators.Tests.Parsing;

/// <summary>
/// The reference losses written in the DSL parse into the same graphs as the ones the differentiator's tests build
/// by hand (<see cref="Losses"/>), so what those tests prove about gradients holds for declared losses.
/// </summary>
public sealed class ReferenceLossTests
{
    private static readonly string Source = Sources.InClass("""
        [Loss]
        public static Scalar GeneralizedDice(Field probs, Field target)
        {
            var w = 1 / Square(SumSpatial(target) + 1e-10);
            var intersection = SumClasses(w * SumSpatial(probs * target));
            var union = SumClasses(w * (SumSpatial(probs) + SumSpatial(target)));
            return Mean(1 - 2 * ((intersection + 1e-10) / (union + 1e-10)));
        }

        [Loss]
        public static Scalar Focal(Field probs, Field target, double gamma = 2) =>
            -(Sum(Pow(1 - probs, gamma) * target * Log(probs + 1e-10)) / (Sum(target) + 1e-10));

        [Loss]
        public static Scalar CrossEntropy(Field logits, Field target) =>
            -(Sum(target * Log(Softmax(logits))) / (Sum(target) + 1e-10));
        """);

    [Fact]
    public void Generalized_Dice_matches_the_reference_graph() =>
        AssertSameGraph("GeneralizedDice", Losses.GeneralizedDice());

    [Fact]
    public void Focal_matches_the_reference_graph() =>
        AssertSameGraph("Focal", Losses.Focal());

    [Fact]
    public void Cross_entropy_of_a_softmax_becomes_log_softmax_and_matches_the_reference_graph() =>
        AssertSameGraph("CrossEntropy", Losses.CrossEntropyOfLogits());

    private static void AssertSameGraph(string name, (Passes.Dsl Dsl, int Loss) reference)
    {
        var parsed = GeneratorHarness.ParseLoss(Source, name);
        Assert.Empty(parsed.Diagnostics);
        Assert.False(parsed.Failed);
        Assert.Equal(GraphText.Of(reference.Dsl.Graph, reference.Loss), GraphText.Of(parsed.Forward, parsed.Result));
    }
}
