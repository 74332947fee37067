using System.Linq;
using LossDsl.Generators.Tests.Harness;
using Microsoft.CodeAnalysis;
using Xunit;

namespace LossDsl.Generators.Tests.Parsing;

/// <summary>The pipeline caches: edits that do not change a loss's meaning do not regenerate its code.</summary>
public sealed class IncrementalTests
{
    [Fact]
    public void Editing_a_comment_in_a_loss_body_leaves_the_model_and_source_cached()
    {
        var edited = Sources.Design.Replace("var tp = SumSpatial(probs * target);", "var tp = SumSpatial(probs * target); // true positives");
        Assert.NotEqual(Sources.Design, edited);

        var first = GeneratorHarness.Run(Sources.Design);
        var compilation = first.Input.ReplaceSyntaxTree(first.Input.SyntaxTrees[0], GeneratorHarness.Parse(edited));
        var second = GeneratorHarness.Run(first.Driver, compilation);

        var parse = second.Result.TrackedSteps[LossGenerator.TrackingNames.Parse].SelectMany(s => s.Outputs).ToList();
        Assert.NotEmpty(parse);
        Assert.All(parse, o => Assert.Contains(o.Reason, new[] { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged }));

        foreach (var step in new[] { LossGenerator.TrackingNames.Declaration, LossGenerator.TrackingNames.Differentiate, LossGenerator.TrackingNames.Plan })
        {
            var stepOutputs = second.Result.TrackedSteps[step].SelectMany(s => s.Outputs).ToList();
            Assert.Equal(3, stepOutputs.Count);
            Assert.All(stepOutputs, o => Assert.Contains(o.Reason, new[] { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged }));
        }

        var outputs = second.Result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs).ToList();
        Assert.All(outputs, o => Assert.Contains(o.Reason, new[] { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged }));
    }

    [Fact]
    public void Moving_a_diagnostic_re_reports_it_without_regenerating_the_valid_losses()
    {
        var source = Sources.InClass("""
            [Loss] public static Scalar Good(Field p) => Mean(Log(p));
            [Loss] public static Scalar Bad(Field p) => Mean(p) + System.Math.Log(2);
            """);
        var first = GeneratorHarness.Run(source);
        var compilation = first.Input.ReplaceSyntaxTree(first.Input.SyntaxTrees[0], GeneratorHarness.Parse("// a new first line\n" + source));
        var second = GeneratorHarness.Run(first.Driver, compilation);

        var diagnostics = second.Result.TrackedSteps[LossGenerator.TrackingNames.Diagnostics].SelectMany(s => s.Outputs).ToList();
        Assert.Contains(diagnostics, o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Equal(first.Diagnostics.Single().Location.GetLineSpan().StartLinePosition.Line + 1, second.Diagnostics.Single().Location.GetLineSpan().StartLinePosition.Line);

        var models = second.Result.TrackedSteps[LossGenerator.TrackingNames.Differentiate].SelectMany(s => s.Outputs).ToList();
        Assert.Single(models);
        Assert.All(models, o => Assert.Contains(o.Reason, new[] { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged }));
    }

    [Fact]
    public void Changing_a_loss_regenerates_it()
    {
        var edited = Sources.Design.Replace("Mean(Select(probs, idc) * Select(dist, idc))", "Sum(Select(probs, idc) * Select(dist, idc))");
        var first = GeneratorHarness.Run(Sources.Design);
        var compilation = first.Input.ReplaceSyntaxTree(first.Input.SyntaxTrees[0], GeneratorHarness.Parse(edited));
        var second = GeneratorHarness.Run(first.Driver, compilation);

        foreach (var step in new[] { LossGenerator.TrackingNames.Declaration, LossGenerator.TrackingNames.Differentiate, LossGenerator.TrackingNames.Plan })
        {
            var reasons = second.Result.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
            Assert.Contains(IncrementalStepRunReason.Modified, reasons);
        }
    }

    [Fact]
    public void Generated_code_compiles_next_to_usings_that_make_Tensor_ambiguous()
    {
        // Both namespaces declare a Tensor; the generated file must not depend on the user's usings.
        var source = "using System.Numerics.Tensors;\nusing static TorchSharp.torch;\n" + Sources.Design;
        var run = GeneratorHarness.Run(source);
        Assert.Empty(GeneratorHarness.CompilerErrors(run.Input));
        Assert.Empty(run.Diagnostics);
        Assert.Equal(3, run.Sources.Count);
        Assert.Empty(GeneratorHarness.CompilerErrors(run.Output));
    }
}
