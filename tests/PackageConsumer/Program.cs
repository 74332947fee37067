using System;
using System.Numerics.Tensors;
using LossDsl;
using TorchSharp;

namespace PackageConsumer;

/// <summary>Runs the generated CPU and TorchSharp entry points and checks them against numbers computed by hand.</summary>
public static class Program
{
    // One image, two classes, 2×2 pixels, laid out (B, C, H, W).
    private static readonly double[] Probs = { 0.9, 0.2, 0.1, 0.6, /* class 1 */ 0.1, 0.8, 0.9, 0.4 };
    private static readonly double[] Target = { 1, 0, 0, 1, /* class 1 */ 0, 1, 1, 0 };
    private static readonly nint[] Shape = { 1, 2, 2, 2 };

    // By hand, smooth = 1. Class 0: Σp·y = 1.5, Σp = 1.8, Σy = 2: Dice = (3 + 1)/(3.8 + 1) = 5/6.
    // Class 1: Σp·y = 1.7, Σp = 2.2, Σy = 2: Dice = (3.4 + 1)/(4.2 + 1) = 11/13.
    // Loss = ((1 − 5/6) + (1 − 11/13))/2 = (1/6 + 2/13)/2 = 25/156.
    private const double LossSmooth1 = 25.0 / 156.0;

    // smooth = 0: Dice = 3/3.8 = 15/19 and 3.4/4.2 = 17/21; loss = (4/19 + 4/21)/2 = 80/399.
    private const double LossSmooth0 = 80.0 / 399.0;

    // ∂L/∂p = −(1/C)·(2y·S − N)/S² with N = 2Σp·y + s, S = Σp + Σy + s (smooth = 1):
    // class 0 (N = 4, S = 4.8): y = 1 → −35/288, y = 0 → 25/288; class 1 (N = 4.4, S = 5.2): y = 1 → −75/676, y = 0 → 55/676.
    private static readonly double[] GradProbsSmooth1 =
    {
        -35.0 / 288, 25.0 / 288, 25.0 / 288, -35.0 / 288,
        55.0 / 676, -75.0 / 676, -75.0 / 676, 55.0 / 676,
    };

    private static int failures;

    public static int Main()
    {
        // CPU back end (System.Numerics.Tensors), float and double, value and gradient.
        var p = new ReadOnlyTensorSpan<double>(Probs, Shape);
        var y = new ReadOnlyTensorSpan<double>(Target, Shape);
        Check("SmoothDiceCpu<double>(smooth = 1)", ConsumerLosses.SmoothDiceCpu(p, y), LossSmooth1, 1e-12);
        Check("SmoothDiceCpu<double>(smooth = 0)", ConsumerLosses.SmoothDiceCpu(p, y, 0f), LossSmooth0, 1e-12);

        var pf = new ReadOnlyTensorSpan<float>(Array.ConvertAll(Probs, v => (float)v), Shape);
        var yf = new ReadOnlyTensorSpan<float>(Array.ConvertAll(Target, v => (float)v), Shape);
        Check("SmoothDiceCpu<float>(smooth = 1)", ConsumerLosses.SmoothDiceCpu(pf, yf), LossSmooth1, 1e-6);

        var grad = new double[Probs.Length];
        var value = ConsumerLosses.SmoothDiceCpuGradient(p, y, new TensorSpan<double>(grad, Shape), TensorSpan<double>.Empty);
        Check("SmoothDiceCpuGradient<double> value", value, LossSmooth1, 1e-12);
        for (var i = 0; i < grad.Length; i++)
        {
            Check($"SmoothDiceCpuGradient<double> ∂L/∂probs[{i}]", grad[i], GradProbsSmooth1[i], 1e-12);
        }

        // TorchSharp back end: one generated autograd function; value and backward.
        var tp = torch.tensor(Probs, dtype: torch.float64).reshape(1, 2, 2, 2).requires_grad_(true);
        var ty = torch.tensor(Target, dtype: torch.float64).reshape(1, 2, 2, 2);
        using (var loss = ConsumerLosses.SmoothDice(tp, ty))
        {
            Check("SmoothDice(Tensor float64)", loss.item<double>(), LossSmooth1, 1e-12);
            loss.backward();
        }

        var tgrad = tp.grad!.data<double>().ToArray();
        for (var i = 0; i < tgrad.Length; i++)
        {
            Check($"SmoothDice(Tensor) ∂L/∂probs[{i}]", tgrad[i], GradProbsSmooth1[i], 1e-12);
        }

        using (var tpf = torch.tensor(Array.ConvertAll(Probs, v => (float)v)).reshape(1, 2, 2, 2))
        using (var tyf = torch.tensor(Array.ConvertAll(Target, v => (float)v)).reshape(1, 2, 2, 2))
        using (var loss0 = ConsumerLosses.SmoothDice(tpf, tyf, 0f))
        {
            Check("SmoothDice(Tensor float32, smooth = 0)", loss0.item<float>(), LossSmooth0, 1e-6);
        }

        // The generator also registered the loss in the runtime catalogue.
        var listed = LossCatalog.TryGet("PackageConsumer.ConsumerLosses.SmoothDice", out var info);
        Console.WriteLine(listed ? $"catalogue: {info.FullName}: {info.Formula}" : "catalogue: SmoothDice not listed");
        if (!listed)
        {
            failures++;
        }

        Console.WriteLine(failures == 0 ? "package consumer: all checks passed" : $"package consumer: {failures} check(s) FAILED");
        return failures == 0 ? 0 : 1;
    }

    private static void Check(string what, double actual, double expected, double tolerance)
    {
        var ok = Math.Abs(actual - expected) <= tolerance * Math.Max(1, Math.Abs(expected));
        Console.WriteLine($"{(ok ? "ok  " : "FAIL")} {what}: {actual:R} (expected {expected:R})");
        if (!ok)
        {
            failures++;
        }
    }
}
