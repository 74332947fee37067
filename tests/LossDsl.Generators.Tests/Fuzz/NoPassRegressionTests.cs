using System.Linq;
using LossDsl.Generators.Tests.Harness;
using Microsoft.CodeAnalysis;
using Xunit;

namespace LossDsl.Generators.Tests.Fuzz;

/// <summary>
/// Fuzz input 6661 of the 20,000-input run (seed 20261207): a loss whose value has no positions at all (here a
/// constant, which the compiler rejects in the user's code) made a CPU program without passes, whose dispatch was an
/// empty switch (warning CS1522 in the generated file).
/// </summary>
public sealed class NoPassRegressionTests
{
    [Fact]
    public void A_loss_without_passes_generates_no_warning()
    {
        const string source = "using LossDsl;\nusing static LossDsl.Dsl;\nnamespace F;\npublic static partial class L\n{\n"
            + "    [Loss] public static Scalar F0(Field p) { var t = Step(SumSpatial(p)); return 1; }\n}\n";
        var run = GeneratorHarness.Run(source);
        var generated = run.Sources.Select(s => s.SyntaxTree.FilePath).ToHashSet();
        var inGenerated = run.Output.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.SourceTree is { } tree && generated.Contains(tree.FilePath))
            .ToList();
        Assert.NotEmpty(run.Sources);
        Assert.True(inGenerated.Count == 0, string.Join("\n", inGenerated));
    }
}
