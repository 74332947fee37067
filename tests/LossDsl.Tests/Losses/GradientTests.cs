using System;
using System.Linq;
using System.Numerics.Tensors;
using LossDsl.Tests.Torch;
using Xunit;
using static TorchSharp.torch;

namespace LossDsl.Tests.Losses;

/// <summary>The generated gradients of every built-in: CPU against central finite differences in float64, and TorchSharp's fused backward against the CPU gradient.</summary>
[Collection(TorchCollection.Name)]
public sealed class GradientTests
{
    public static TheoryData<string, string> Matrix() => ReferenceFixtureTests.Matrix();

    private static double[] Prediction(LossFixture f, string key) => Builtins.Keys[key].Logits ? f.Logits : f.Probs;

    private static double[] CpuGradient(LossFixture f, string key)
    {
        var x = f.Cpu<double>();
        var g = new double[f.Probs.Length];
        Builtins.CpuGradient(key, x, new TensorSpan<double>(g, f.Shape));
        return g;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Cpu_gradient_equals_finite_differences(string fixture, string key)
    {
        var f = LossFixture.Load(fixture);
        var g = CpuGradient(f, key);
        var x = f.Cpu<double>();
        var prediction = Prediction(f, key);
        double scale = g.Max(Math.Abs);
        // A spread of coordinates over batch items, classes and positions (deterministic).
        foreach (int i in Enumerable.Range(0, 16).Select(k => (int)((k * 7919L) % prediction.Length)))
        {
            var moved = (double[])prediction.Clone();
            double h = 1e-6 * Math.Max(1, Math.Abs(prediction[i]));
            moved[i] = prediction[i] + h;
            double up = Builtins.Cpu(key, x.WithPrediction(moved));
            moved[i] = prediction[i] - h;
            double down = Builtins.Cpu(key, x.WithPrediction(moved));
            double fd = (up - down) / (2 * h);
            Assert.True(Math.Abs(fd - g[i]) <= (1e-5 * scale) + 1e-9, $"{key} on {fixture}, element {i}: analytic {g[i]:R}, finite difference {fd:R}");
        }
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void TorchSharp_gradient_equals_the_cpu_gradient(string fixture, string key)
    {
        var f = LossFixture.Load(fixture);
        var expected = CpuGradient(f, key);
        using var x = f.Torch(ScalarType.Float64);
        var leaf = Builtins.Keys[key].Logits ? x.Z : x.P;
        leaf.requires_grad_(true);
        using (var loss = Builtins.Torch(key, x))
        {
            loss.backward();
        }

        using var grad = leaf.grad!;
        var actual = grad.data<double>().ToArray();
        double scale = expected.Max(Math.Abs);
        for (int i = 0; i < actual.Length; i++)
        {
            Assert.True(Math.Abs(actual[i] - expected[i]) <= (1e-10 * scale) + 1e-14, $"{key} on {fixture}, element {i}: TorchSharp {actual[i]:R}, CPU {expected[i]:R}");
        }
    }
}
