using System.Linq;
using LossDsl.Generators.Tests.Harness;
using Xunit;

namespace LossDsl.Generators.Tests.Fuzz;

/// <summary>
/// The cases of issue 14, each as its minimal loss, judged like a fuzz input: the generator does not throw and its
/// generated code compiles without errors or warnings.
/// </summary>
public sealed class HygieneRegressionTests
{
    private static void Compiles(string source)
    {
        var failures = FuzzCheck.Run(new[] { new FuzzInput(0, "regression", source) });
        Assert.True(failures.Count == 0, string.Join("\n", failures.Select(f => f.Problem)));
    }

    private static string File(string members) => "using LossDsl;\nusing static LossDsl.Dsl;\nnamespace F0;\npublic static partial class L\n{\n" + members + "\n}\n";

    [Fact]
    public void A_negated_negative_constant_in_the_backward_is_not_a_decrement()
    {
        var source = File("[Loss] public static Scalar F(Field p) => Sum(p - LogSoftmax(-p));");
        Compiles(source);
        var run = GeneratorHarness.Run(source);
        Assert.DoesNotContain(run.Sources, s => s.SourceText.ToString().Contains("(--", System.StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("device")]
    [InlineData("scope")]
    [InlineData("saved")]
    [InlineData("result")]
    [InlineData("shape")]
    [InlineData("state")]
    [InlineData("fields")]
    [InlineData("gradients")]
    [InlineData("ctx")]
    [InlineData("gradOutput")]
    [InlineData("T")]
    [InlineData("chunk")]
    [InlineData("partials")]
    [InlineData("loss")]
    [InlineData("vars")]
    [InlineData("grad_output")]
    [InlineData("nameof")]
    [InlineData("var")]
    [InlineData("unmanaged")]
    [InlineData("@default")]
    [InlineData("@class")]
    [InlineData("@in")]
    public void A_parameter_may_have_any_name_the_generator_uses(string name)
    {
        Compiles(File($"[Loss] public static Scalar F(Field {name}, Field q, float a = 0.5f) => Mean({name} * q) * a;"));
        Compiles(File($"[Loss] public static Scalar F(Field p, Field q, float {name} = 0.5f) => Mean(p * q) * {name};"));
    }

    [Theory]
    [InlineData("@default")]
    [InlineData("@class")]
    [InlineData("@record")]
    [InlineData("@in")]
    public void A_verbatim_keyword_may_name_the_loss_its_class_and_its_namespace(string name)
    {
        Compiles(File($"[Loss] public static Scalar {name}(Field p) => Mean(p);"));
        Compiles($"using LossDsl;\nusing static LossDsl.Dsl;\nnamespace F0.{name};\npublic static partial class {name} {{ [Loss] public static Scalar F(Field p) => Mean(p); }}\n");
    }

    [Fact]
    public void Losses_whose_names_differ_only_in_case_get_distinct_files()
    {
        var run = GeneratorHarness.Run(File("[Loss] public static Scalar ce(Field p) => Mean(p);\n[Loss] public static Scalar Ce(Field p) => Sum(p);"));
        Assert.Null(run.Result.Exception);
        Assert.Equal(2, run.Sources.Count);
        Assert.Equal(2, run.Sources.Select(s => s.HintName.ToUpperInvariant()).Distinct().Count());
    }

    [Fact]
    public void A_member_named_like_a_generated_nested_class_moves_the_generated_name()
    {
        Compiles(File("private sealed class FTorchState { }\nprivate sealed class FTorchFunction { }\n[Loss] public static Scalar F(Field p) => Mean(p);"));
    }
}
