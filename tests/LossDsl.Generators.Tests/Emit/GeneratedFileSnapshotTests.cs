using System.Linq;
using LossDsl.Generators.Tests.Harness;
using Xunit;

namespace LossDsl.Generators.Tests.Emit;

/// <summary>Whole-file snapshots of the generated code of the DESIGN.md examples and of losses using every op family.</summary>
public sealed class GeneratedFileSnapshotTests
{
    private const string MoreLosses = """
        using LossDsl;
        using static LossDsl.Dsl;

        namespace Snapshots;

        public static partial class More
        {
            /// <summary>Cross-entropy of softmax(logits), normalised by the labelled pixels.</summary>
            [Loss]
            public static Scalar SoftmaxCrossEntropy(Field logits, Field target) => -Sum(target * LogSoftmax(logits)) / (Sum(target) + 1e-10);

            /// <summary>Largest false positive of each present class.</summary>
            [Loss]
            public static Scalar PeakPenalty(Field probs, Field target) => Mean(Step(SumSpatial(target) - 0.5) * MaxSpatial(probs * (1 - target)));
        }
        """;

    public static TheoryData<string> DesignLosses => new() { "Tversky", "Boundary", "Rebalanced" };

    public static TheoryData<string> MoreLossNames => new() { "SoftmaxCrossEntropy", "PeakPenalty" };

    [Theory]
    [MemberData(nameof(DesignLosses))]
    public void Generated_file_of_a_design_example_matches_its_baseline(string name) =>
        Snapshot.Matches($"Files/MyLosses.{name}.g.cs", GeneratedFile(Sources.Design, name));

    [Theory]
    [MemberData(nameof(MoreLossNames))]
    public void Generated_file_matches_its_baseline(string name) =>
        Snapshot.Matches($"Files/More.{name}.g.cs", GeneratedFile(MoreLosses, name));

    private static string GeneratedFile(string source, string name)
    {
        var run = GeneratorHarness.Run(source);
        Assert.Empty(run.Result.Diagnostics);
        return run.Sources.Single(s => s.HintName.Contains("." + name + ".", System.StringComparison.Ordinal)).SourceText.ToString();
    }
}
