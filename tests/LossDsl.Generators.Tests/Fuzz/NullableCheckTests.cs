using System;
using System.Linq;
using LossDsl.Generators.Tests.Harness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace LossDsl.Generators.Tests.Fuzz;

/// <summary>
/// Generated files turn nullable warnings off (the flow analysis was a third of the compiler's time on them), so the
/// fuzzer's "no warning in generated code" no longer covers nullability. Here the code generated for random losses is
/// compiled with the warnings back on: it must have none.
/// </summary>
public sealed class NullableCheckTests
{
    private const string WarningsOff = "#nullable disable warnings";

    [Fact]
    public void Generated_code_of_random_losses_has_no_nullable_warnings()
    {
        var grammar = new LossGrammar(new Random(2026));
        var trees = Enumerable.Range(0, 80)
            .Select(i => CSharpSyntaxTree.ParseText(grammar.File("N" + i), GeneratorHarness.ParseOptions, $"N{i}.cs"))
            .ToList();
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable);
        var broken = CSharpCompilation.Create("Nullable", trees, GeneratorHarness.References, options).GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Location.SourceTree).ToHashSet();
        var input = CSharpCompilation.Create("Nullable", trees.Where(t => !broken.Contains(t)), GeneratorHarness.References, options);
        var run = GeneratorHarness.Run(GeneratorHarness.CreateDriver(), input);
        Assert.True(run.Sources.Count >= 30, $"only {run.Sources.Count} losses generated");
        Assert.All(run.Sources, s => Assert.Contains(WarningsOff, s.SourceText.ToString()));
        var checkedTrees = run.Sources.Select(s => CSharpSyntaxTree.ParseText(
            s.SourceText.ToString().Replace(WarningsOff, "#nullable enable warnings"), GeneratorHarness.ParseOptions, s.HintName));
        var diagnostics = run.Input.AddSyntaxTrees(checkedTrees).GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.SourceTree is { } tree && !input.SyntaxTrees.Contains(tree) && d.Id is not ("CS1701" or "CS1702"))
            .ToList();
        Assert.True(diagnostics.Count == 0, string.Join("\n", diagnostics.Take(10)));
    }
}
