using System;
using System.Linq;
using LossDsl;
using TorchSharp;
using static TorchSharp.torch;

namespace LossDsl.Benchmarks.Suite;

/// <summary>
/// The suite's inputs, seeded: the network output (logits in [−2, 2], or probabilities over the classes), a one-hot
/// target, a signed-distance-like field in [−10, 10] and classes 1..C−1; the same arrays as tensors for TorchSharp.
/// </summary>
internal sealed class SuiteInputs : IDisposable
{
    /// <summary>The suite's losses (<see cref="SuiteLosses"/>), as the benchmarks' <c>Loss</c> parameter names them.</summary>
    public static readonly string[] Losses = { "GdlBoundarySelect", "GdlBoundarySoftmax", "FocalSoftmax", "Tversky", "LogCoshDice", "CrossEntropyBoundary", "ClampAbsMax", "SigmoidBce" };

    /// <summary>The suite's shapes, as the benchmarks' <c>Shape</c> parameter spells them.</summary>
    public static readonly string[] Shapes = { "8x4x256x256", "2x3x64x64x64" };

    /// <summary>
    /// The inputs of suite loss <paramref name="loss"/> at <paramref name="shape"/> ("8x4x256x256"): probabilities for
    /// the losses declared on probabilities, logits for the others.
    /// </summary>
    public static SuiteInputs For(string loss, string shape) =>
        new(Array.ConvertAll(shape.Split('x'), int.Parse), probabilities: loss is "GdlBoundarySelect" or "Tversky" or "LogCoshDice" or "ClampAbsMax");

    public SuiteInputs(int[] shape, bool probabilities)
    {
        var count = shape.Aggregate(1, (x, y) => x * y);
        var (batches, classes) = (shape[0], shape[1]);
        var positions = count / (batches * classes);
        var random = new Random(0);
        var a = new float[count];
        var target = new float[count];
        var dist = new float[count];
        for (var i = 0; i < count; i++)
        {
            a[i] = (float)((random.NextDouble() * 4) - 2);
            dist[i] = (float)((random.NextDouble() * 20) - 10);
        }

        for (var b = 0; b < batches; b++)
        {
            for (var s = 0; s < positions; s++)
            {
                target[(((b * classes) + random.Next(classes)) * positions) + s] = 1;
                if (probabilities)
                {
                    var total = 0f;
                    for (var c = 0; c < classes; c++)
                    {
                        total += a[(((b * classes) + c) * positions) + s] = MathF.Exp(a[(((b * classes) + c) * positions) + s]);
                    }

                    for (var c = 0; c < classes; c++)
                    {
                        a[(((b * classes) + c) * positions) + s] /= total;
                    }
                }
            }
        }

        A = new FieldArray<float>(a, shape);
        Target = new FieldArray<float>(target, shape);
        Dist = new FieldArray<float>(dist, shape);
        GradientA = A.ZerosLike();
        Idc = Enumerable.Range(1, classes - 1).ToArray();
        var dims = shape.Select(d => (long)d).ToArray();
        TorchA = torch.tensor(a, dims);
        TorchTarget = torch.tensor(target, dims);
        TorchDist = torch.tensor(dist, dims);
        TorchIdc = torch.tensor(Idc.Select(i => (long)i).ToArray());
    }

    public FieldArray<float> A { get; }

    public FieldArray<float> Target { get; }

    public FieldArray<float> Dist { get; }

    public FieldArray<float> GradientA { get; }

    public int[] Idc { get; }

    public Tensor TorchA { get; }

    public Tensor TorchTarget { get; }

    public Tensor TorchDist { get; }

    public Tensor TorchIdc { get; }

    public void Dispose()
    {
        TorchA.Dispose();
        TorchTarget.Dispose();
        TorchDist.Dispose();
        TorchIdc.Dispose();
    }
}
