using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Numerics.Tensors;
using LossDsl.Distance;

namespace LossDsl.Cli.Sample;

/// <summary>
/// The <c>sample</c> command: the README's first run. It evaluates losses declared in <see cref="SampleLosses"/>
/// on the worked example of the boundary-loss paper (a 4×7 image with a 2×2 object) and prints each value, the
/// norm of its gradient and the formula the generator derived.
/// </summary>
internal static class SampleCommand
{
    public static Command Create(TextWriter output)
    {
        var command = new Command("sample", "Evaluates a loss declared in the DSL on the paper's worked example: value, gradient norm, generated formula.");
        command.SetAction(_ =>
        {
            Run(output);
            return 0;
        });
        return command;
    }

    public static void Run(TextWriter output)
    {
        // Ground truth: ones at rows 1–2, cols 1–2; prediction: the one-hot mask of the paper's blog example.
        const int height = 4, width = 7, classes = 2;
        var truth = new byte[height * width];
        foreach (var (r, c) in new[] { (1, 1), (1, 2), (2, 1), (2, 2) })
        {
            truth[(r * width) + c] = 1;
        }

        var predicted = new byte[height * width];
        foreach (var (r, c) in new[] { (1, 1), (1, 2), (1, 3), (1, 4), (1, 5), (2, 1), (2, 2) })
        {
            predicted[(r * width) + c] = 1;
        }

        var shape = new nint[] { 1, classes, height, width };
        var target = OneHotOf(truth);
        var probs = OneHotOf(predicted);
        var dist = new double[target.Length];
        var oneHot = target.Select(v => (byte)v).ToArray();
        SignedDistance.FromOneHot(oneHot, new[] { 1, classes, height, width }, new[] { 1.0, 1.0 }, dist);
        var idc = new[] { 1 };

        output.WriteLine("LossDsl sample: the worked example of Kervadec et al. (ground truth 4×7 with a 2×2 object, idc = [1])");
        output.WriteLine();

        var gradProbs = new double[probs.Length];
        var gradDist = new double[probs.Length];
        var boundary = SampleLosses.BoundaryCpuGradient<double>(
            new ReadOnlyTensorSpan<double>(probs, shape), new ReadOnlyTensorSpan<double>(dist, shape),
            new TensorSpan<double>(gradProbs, shape), new TensorSpan<double>(gradDist, shape), idc);
        Report(output, SampleLosses.BoundaryInfo, boundary, gradProbs, "expected 3/14 = " + (3.0 / 14).ToString("R", CultureInfo.InvariantCulture));

        var gradTarget = new double[probs.Length];
        Array.Clear(gradProbs);
        Array.Clear(gradDist);
        var combined = SampleLosses.GdlBoundaryCpuGradient<double>(
            new ReadOnlyTensorSpan<double>(probs, shape), new ReadOnlyTensorSpan<double>(target, shape), new ReadOnlyTensorSpan<double>(dist, shape),
            new TensorSpan<double>(gradProbs, shape), new TensorSpan<double>(gradTarget, shape), new TensorSpan<double>(gradDist, shape), idc);
        Report(output, SampleLosses.GdlBoundaryInfo, combined, gradProbs, "α = 0.01");

        double[] OneHotOf(byte[] mask)
        {
            var values = new double[classes * mask.Length];
            for (var i = 0; i < mask.Length; i++)
            {
                values[(mask[i] * mask.Length) + i] = 1;
            }

            return values;
        }
    }

    private static void Report(TextWriter output, LossInfo info, double value, double[] gradient, string note)
    {
        var norm = Math.Sqrt(gradient.Sum(g => g * g));
        output.WriteLine($"{info.Name}  ({note})");
        output.WriteLine($"  value          {value.ToString("R", CultureInfo.InvariantCulture)}");
        output.WriteLine($"  ‖∂L/∂probs‖₂   {norm.ToString("R", CultureInfo.InvariantCulture)}");
        output.WriteLine("  formula        " + info.Formula.Replace("\n", "\n                 ", StringComparison.Ordinal));
        output.WriteLine("  ∂L/∂probs      " + info.Gradients["probs"]);
        output.WriteLine();
    }
}
