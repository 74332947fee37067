using LossDsl.Generators.Tests.Harness;
using Xunit;

namespace LossDsl.Generators.Tests.Parsing;

/// <summary>The generator never throws, whatever it is given; the compiler reports what does not compile.</summary>
public sealed class RobustnessTests
{
    [Theory]
    [InlineData("[Loss] public static Scalar F(Field p) => Mean(p +;")]
    [InlineData("[Loss] public static Scalar F(Field p) { var x = ; return }")]
    [InlineData("[Loss] public static Scalar F(Field p) { var x = Undefined(p); return Mean(x); }")]
    [InlineData("[Loss] public static Scalar F(Field p) => Mean(q);")]
    [InlineData("[Loss] public static Scalar F(Field p, int[] idc) => Mean(Select(p, idc, 3));")]
    [InlineData("[Loss] public static Scalar F(Field p) { }")]
    [InlineData("[Loss] public static partial Scalar F(Field p);")]
    [InlineData("[Loss] public static extern Scalar F(Field p);")]
    [InlineData("[Loss] public static Scalar F(Field p) { return Mean(p); return Sum(p); }")]
    [InlineData("[Loss] public static Scalar F(Field p) => Mean(p) * \"text\";")]
    [InlineData("[Loss] public static Scalar F(Field p, int[] idc) => Mean(p) * idc;")]
    [InlineData("[Loss] [Loss] public static Scalar F(Field p) => Mean(p);")]
    [InlineData("[Loss] public static Scalar F(Field p) => F;")]
    [InlineData("[Loss] public static Scalar F(Field p) => Mean(Select(p, null!));")]
    public void Garbage_input_never_throws(string members)
    {
        var run = GeneratorHarness.Run(Sources.InClass(members));
        Assert.Null(run.Result.Exception);
        Assert.DoesNotContain(run.Diagnostics, d => d.Id == "LD0011" || d.Id.StartsWith("CS8785"));
    }

    [Fact]
    public void A_loss_with_a_syntax_error_produces_no_model_and_no_extra_diagnostic()
    {
        var run = GeneratorHarness.Run(Sources.InClass("[Loss] public static Scalar F(Field p) => Mean(p +;"));
        Assert.Empty(run.Models);
        Assert.Empty(run.Diagnostics);
    }

    [Fact]
    public void An_ambiguous_Scalar_is_left_to_the_compiler()
    {
        // `using TorchSharp;` makes `Scalar` ambiguous (CS0104); the generator must not add confusing errors.
        var run = GeneratorHarness.Run("using TorchSharp;\n" + Sources.Design);
        Assert.Contains(GeneratorHarness.CompilerErrors(run.Input), d => d.Id == "CS0104");
        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.Models);
    }
}
