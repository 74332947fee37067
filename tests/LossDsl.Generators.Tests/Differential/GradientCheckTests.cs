using System;
using System.IO;
using System.Linq;
using LossDsl.Generators.Tests.Harness;
using Microsoft.CodeAnalysis;
using Xunit;
using Xunit.Sdk;

namespace LossDsl.Generators.Tests.Differential;

/// <summary>
/// The value check as the fuzzer runs it (guarded: ill-conditioned draws do not count, float round-off of a
/// cancelling gradient is allowed) still fails on wrong gradients: planted next to correct losses, a gradient scaled
/// by 1 % in both precisions, one scaled in float only, and an offset in float on a gradient that is exactly 0 in
/// theory (a loss constant in a field, whose float gradient is only round-off) are each caught on every draw, while the
/// correct losses pass.
/// </summary>
public sealed class GradientCheckTests
{
    private const string Source = """
        using System.Numerics;
        using LossDsl;
        using static LossDsl.Dsl;
        namespace Planted;
        public static partial class L
        {
            [Loss] public static Scalar Product(Field p, Field q) => Mean(p * p * q) + Sum(Exp(q)) / 7;

            // Σ_c softmax(q) = 1: constant in q, so ∂L/∂q = 0 and the float gradient is round-off only.
            [Loss] public static Scalar Constant(Field p, Field q) => Mean(Square(p)) + Sum(SumClasses(Softmax(q * 3)));
        }

        public static class Wrong
        {
            public static T Scaled<T>(FieldArray<T> p, FieldArray<T> q, FieldArray<T>? gp, FieldArray<T>? gq)
                where T : unmanaged, IFloatingPointIeee754<T>
            {
                var value = L.ProductCpuGradient(p, q, gp, gq);
                Scale(gp, T.CreateChecked(1.01));
                return value;
            }

            public static T ScaledInFloat<T>(FieldArray<T> p, FieldArray<T> q, FieldArray<T>? gp, FieldArray<T>? gq)
                where T : unmanaged, IFloatingPointIeee754<T>
            {
                var value = L.ProductCpuGradient(p, q, gp, gq);
                if (typeof(T) == typeof(float))
                {
                    Scale(gq, T.CreateChecked(1.01));
                }

                return value;
            }

            public static T Offset<T>(FieldArray<T> p, FieldArray<T> q, FieldArray<T>? gp, FieldArray<T>? gq)
                where T : unmanaged, IFloatingPointIeee754<T>
            {
                var value = L.ConstantCpuGradient(p, q, gp, gq);
                if (gq is not null && typeof(T) == typeof(float))
                {
                    gq.Data[gq.Data.Length / 2] += T.CreateChecked(1e-3);
                }

                return value;
            }

            private static void Scale<T>(FieldArray<T>? gradient, T factor)
                where T : unmanaged, IFloatingPointIeee754<T>
            {
                for (var i = 0; gradient is not null && i < gradient.Data.Length; i++)
                {
                    gradient.Data[i] *= factor;
                }
            }
        }
        """;

    private static readonly Lazy<CompiledLosses> Compiled = new(() =>
    {
        var run = GeneratorHarness.Run(Source);
        using var image = new MemoryStream();
        var emitted = run.Output.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        image.Position = 0;
        return CompiledLosses.Load(image, run.Models, "planted");
    });

    private static readonly int[] Seeds = Enumerable.Range(1, 12).ToArray();

    [Theory]
    [InlineData("Product")]
    [InlineData("Constant")]
    public void Correct_losses_pass_the_guarded_check(string name)
    {
        var loss = Compiled.Value.Loss(name);
        foreach (var seed in Seeds)
        {
            Check(loss, seed);
        }
    }

    [Theory]
    [InlineData("Product", "Scaled", "(double)")]
    [InlineData("Product", "ScaledInFloat", "∂L/∂q (float)")]
    [InlineData("Constant", "Offset", "∂L/∂q (float)")]
    public void A_wrong_gradient_is_caught_on_every_draw(string name, string wrong, string where)
    {
        var loss = Compiled.Value.Loss(name).WithGradient(Compiled.Value.Method("Planted.Wrong", wrong));
        foreach (var seed in Seeds)
        {
            var failure = Assert.Throws<XunitException>(() => Check(loss, seed));
            Assert.Contains(where, failure.Message, StringComparison.Ordinal);
        }
    }

    /// <summary>The fuzzer's options (both input ranges, by the seed's parity), so the guard is what the fuzzer has.</summary>
    private static void Check(CompiledLoss loss, int seed) =>
        new LossCheck(loss, seed, Fuzz.FuzzCheck.ValueCheckOptions(seed)).Run();
}
