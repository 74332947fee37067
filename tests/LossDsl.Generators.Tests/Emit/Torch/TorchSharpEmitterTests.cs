using System;
using System.IO;
using System.Linq;
using LossDsl.Generators.Common;
using LossDsl.Generators.Emit;
using LossDsl.Generators.Emit.Cpu;
using LossDsl.Generators.Model;
using LossDsl.Generators.Passes;
using LossDsl.Generators.Tests.Harness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace LossDsl.Generators.Tests.Emit.Torch;

/// <summary>
/// The TorchSharp emitter on its own: its members compile against TorchSharp for a range of losses, and the emitted
/// text of the Boundary loss matches its checked-in baseline (set <c>LOSSDSL_UPDATE_SNAPSHOTS=1</c> to rewrite it).
/// </summary>
public sealed class TorchSharpEmitterTests
{
    private const string Losses = """
        using LossDsl;
        using static LossDsl.Dsl;

        namespace MyProject;

        public static partial class MyLosses
        {
            /// Tversky loss.
            [Loss]
            public static Scalar Tversky(Field probs, Field target, float alpha = 0.3f, float beta = 0.7f)
            {
                var tp = SumSpatial(probs * target);
                var fp = SumSpatial(probs * (1 - target));
                var fn = SumSpatial((1 - probs) * target);
                return Mean(1 - (tp + 1e-5f) / (tp + alpha * fp + beta * fn + 1e-5f));
            }

            /// Boundary loss: mean of p·φ over the selected classes.
            [Loss]
            public static Scalar Boundary(Field probs, Field dist, int[] idc) => Mean(Select(probs, idc) * Select(dist, idc));

            [Loss]
            public static Scalar Rebalanced(Field probs, Field target, Field dist, int[] idc, float alpha)
                => (1 - alpha) * Tversky(probs, target) + alpha * Boundary(probs, dist, idc);

            [Loss]
            public static Scalar GeneralizedDice(Field probs, Field target)
            {
                var w = 1 / Square(SumSpatial(target) + 1e-10f);
                var intersection = SumClasses(w * SumSpatial(probs * target));
                var union = SumClasses(w * (SumSpatial(probs) + SumSpatial(target)));
                return Mean(1 - 2 * (intersection + 1e-10f) / (union + 1e-10f));
            }

            [Loss]
            public static Scalar SoftmaxCrossEntropy(Field logits, Field target) => -Sum(target * LogSoftmax(logits)) / (Sum(target) + 1e-10f);

            [Loss]
            public static Scalar Focal(Field probs, Field target, double gamma = 2.0) => -Sum(Pow(1 - probs, gamma) * target * Log(probs + 1e-10f)) / (Sum(target) + 1e-10f);

            [Loss]
            public static Scalar Mixed(Field x, Field y, int k = 3)
                => Mean(Max(Sigmoid(x), y) + Min(Abs(x - y), 0.5) + Sqrt(Exp(-Square(x))) + Clamp(x, -1, 1) * k);

            [Loss]
            public static Scalar GdlBoundaryLogits(Field logits, Field target, Field dist, int[] idc, float alpha = 0.01f)
                => GeneralizedDice(Softmax(logits), target) + alpha * Boundary(Softmax(logits), dist, idc);
        }
        """;

    /// <summary>The TorchSharp members alone (they name the CPU program class, which the CPU emitter writes).</summary>
    private static string EmitMembers(LossModel model)
    {
        var writer = new IndentedWriter();
        TorchSharpEmitter.Emit(writer, model, ProgramClass(model));
        return writer.ToString();
    }

    /// <summary>The CPU members, then the TorchSharp members: what compiles on its own.</summary>
    private static string EmitBothBackEnds(LossModel model)
    {
        var writer = new IndentedWriter();
        CpuEmitter.Emit(writer, model);
        writer.Line();
        TorchSharpEmitter.Emit(writer, model, ProgramClass(model));
        return writer.ToString();
    }

    private static string ProgramClass(LossModel model) =>
        new CpuNames(LoopPlanner.Plan(model.Graph, model.Result, model.Gradients.ToList()).Graph, model).ProgramClass;

    private static string InFile(string members) =>
        "#nullable enable\nnamespace MyProject\n{\n    public static partial class MyLosses\n    {\n" + members + "    }\n}\n";

    /// <summary>
    /// Also the nullable check of the generated code: the generated file turns nullable warnings off (the flow analysis
    /// was a third of the user's compile time for it), so the code is compiled here with them on.
    /// </summary>
    [Fact]
    public void Emitted_members_compile_against_TorchSharp_for_every_loss()
    {
        var run = GeneratorHarness.Run(Losses);
        Assert.NotEmpty(run.Models);
        var trees = run.Models.Select(m => CSharpSyntaxTree.ParseText(InFile(EmitBothBackEnds(m)), GeneratorHarness.ParseOptions, m.Name + ".torch.g.cs"));
        var compilation = run.Input.AddSyntaxTrees(trees);
        var errors = compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Id is not ("CS1591" or "CS1701" or "CS1702")).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => e.ToString())));
    }

    [Fact]
    public void Boundary_emitted_code_matches_its_baseline()
    {
        var run = GeneratorHarness.Run(Losses);
        var text = EmitMembers(run.Model("Boundary"));
        var path = Path.Combine(AppContext.BaseDirectory, "Snapshots", "Torch", "Boundary.torch.g.cs");
        var source = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "Snapshots", "Torch", "Boundary.torch.g.cs"));
        if (Environment.GetEnvironmentVariable("LOSSDSL_UPDATE_SNAPSHOTS") == "1")
        {
            File.WriteAllText(source, text);
            return;
        }

        Assert.True(File.Exists(path), "no baseline at " + source + "; run with LOSSDSL_UPDATE_SNAPSHOTS=1 to create it");
        Assert.Equal(File.ReadAllText(path).Replace("\r\n", "\n"), text);
    }

    /// <summary>
    /// Every loss's forward tries the generated CPU passes first; where the hand-written sweeps cover the ATen
    /// composition (spatial sums in one sweep, a gradient in one), the forward says which gradients they cover, so that
    /// a call wanting only those keeps the sweeps, measured faster.
    /// </summary>
    [Theory]
    [InlineData("GdlBoundaryLogits", "new[] { true, true, false }")]
    [InlineData("Tversky", "null")]
    [InlineData("Focal", "null")]
    [InlineData("Boundary", "null")]
    public void The_forward_tries_the_CPU_program_first_unless_the_sweeps_cover_the_call(string name, string swept)
    {
        var model = GeneratorHarness.Run(Losses).Model(name);
        var text = EmitMembers(model);
        Assert.Contains($"global::LossDsl.Torch.CpuPassCall.TryStart(state, sweptGradients: {swept}, ", text);
        Assert.Contains($"new {name}CpuProgram<float>(", text);
    }

    [Fact]
    public void A_loss_without_fields_gets_no_TorchSharp_member()
    {
        var model = GeneratorHarness.Run(Losses).Model("Boundary") with
        {
            Parameters = new[] { new ParameterModel("idc", ParameterKind.ClassList, "") }.ToEquatableArray(),
        };
        Assert.StartsWith("// TorchSharp: not generated", EmitMembers(model));
    }

    [Fact]
    public void Boundary_saves_only_its_inputs_and_folds_the_incoming_gradient_into_the_mean_divisor()
    {
        var text = EmitMembers(GeneratorHarness.Run(Losses).Model("Boundary"));
        Assert.Contains("ctx.save_for_backward(new global::System.Collections.Generic.List<global::TorchSharp.torch.Tensor> { probs, dist });", text);
        Assert.Contains("SumOfProducts(", text);
        Assert.DoesNotContain(".cpu()", text);
    }

    [Fact]
    public void The_forward_sums_of_one_sweep_share_one_SpatialSums_call()
    {
        var text = Forward(EmitMembers(GeneratorHarness.Run(Losses).Model("GdlBoundaryLogits")));
        // Σ_x p·y, Σ_x p, Σ_x y (Dice) and Σ_x p·φ (boundary) read softmax, target and dist: one call, four slots.
        Assert.Equal(1, Count(text, "FusedOps.SpatialSums("));
        Assert.Equal(4, Count(text, " = spatialSums["));
        Assert.Contains("new global::TorchSharp.torch.Tensor?[] { null, target, null, dist }", text);
        Assert.DoesNotContain("SumOfProducts(", text);
    }

    [Fact]
    public void A_softmax_read_by_a_group_of_sums_is_written_by_their_sweep()
    {
        var text = Forward(EmitMembers(GeneratorHarness.Run(Losses).Model("GdlBoundaryLogits")));
        Assert.Contains("var logitsSoftmax = global::TorchSharp.torch.empty_like(logits);", text);
        Assert.Contains("new global::TorchSharp.torch.Tensor?[] { null, target, null, dist },\n", text);
        Assert.Contains(" logits, logitsSoftmax);\n", text);
        Assert.DoesNotContain(".softmax(1)", text);
        // The group moved up to the softmax's place: the call comes right after the softmax's buffer.
        Assert.True(text.IndexOf("empty_like(logits)", StringComparison.Ordinal) < text.IndexOf("SpatialSums(", StringComparison.Ordinal));
    }

    [Fact]
    public void A_single_spatial_sum_stays_a_SumOfProducts()
    {
        var text = Forward(EmitMembers(GeneratorHarness.Run(Losses).Model("Boundary")));
        Assert.DoesNotContain("SpatialSums(", text);
        Assert.Equal(1, Count(text, "SumOfProducts(probs, dist, false, false, true)"));
    }

    [Fact]
    public void An_affine_gradient_through_softmax_is_one_AffineGradient_call_with_the_incoming_gradient()
    {
        var text = Backward(EmitMembers(GeneratorHarness.Run(Losses).Model("GdlBoundaryLogits")));
        // ∂L/∂logits = p·(u − Σ_c u·p), u = φ·a + b − y·c: fields φ and y, the softmax, and gradOutput folded in.
        Assert.Contains("gradLogits = state.RequiresGrad[0]\n", text);
        Assert.Contains("? global::LossDsl.Torch.FusedOps.Expand(global::LossDsl.Torch.FusedOps.AffineGradient(\n", text);
        Assert.Contains("new global::TorchSharp.torch.Tensor[] { dist, target },\n", text);
        Assert.Contains(", logitsSoftmax, gradOutput), shape)\n", text);
        Assert.DoesNotContain("SoftmaxBackward(", text);
        Assert.DoesNotContain("dist.mul(", text);
        Assert.DoesNotContain("addcmul_(target", text);
    }

    [Fact]
    public void A_gradient_that_is_not_affine_keeps_its_element_wise_statements()
    {
        // Focal: ∂L/∂p = −a + b with a and b full-size temporaries (powers and quotients of p): no field times a small
        // coefficient to absorb, so the in-place statements stay.
        var text = Backward(EmitMembers(GeneratorHarness.Run(Losses).Model("Focal")));
        Assert.DoesNotContain("AffineGradient(", text);
        Assert.Contains(".mul_(gradOutput)", text);
    }

    [Fact]
    public void A_field_divided_by_a_small_value_is_a_term_with_a_reciprocal_coefficient()
    {
        // Cross-entropy: ∂L/∂y = −log_softmax(x)/(Σy + ε) + …: the division becomes the coefficient 1/(Σy + ε).
        var text = Backward(EmitMembers(GeneratorHarness.Run(Losses).Model("SoftmaxCrossEntropy")));
        Assert.Contains("AffineGradient(\n", text);
        Assert.Contains("new global::TorchSharp.torch.Tensor[] { logSoftmax },\n", text);
        Assert.Contains("new global::TorchSharp.torch.Tensor[] { plus.reciprocal().neg_() },", text);
    }

    private static string Forward(string members) => members.Substring(0, members.IndexOf("public override global::System.Collections.Generic.List", StringComparison.Ordinal));

    private static string Backward(string members) => members.Substring(members.IndexOf("public override global::System.Collections.Generic.List", StringComparison.Ordinal));

    private static int Count(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
