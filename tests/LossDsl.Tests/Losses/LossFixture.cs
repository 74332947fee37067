using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Text.Json;
using LossDsl.IO;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace LossDsl.Tests.Losses;

/// <summary>One case of Fixtures/losses (see its README): float64 inputs and the PyTorch reference's loss values.</summary>
internal sealed class LossFixture
{
    private static readonly Dictionary<string, LossFixture> Cache = new();

    private LossFixture(string name)
    {
        Name = name;
        var dir = Path.Combine(Directory(), name);
        var probs = Npy.Read(Path.Combine(dir, "probs.npy"));
        Shape = probs.Shape.Select(n => (nint)n).ToArray();
        IntShape = probs.ShapeArray();
        Probs = probs.ToDouble();
        Logits = Npy.Read(Path.Combine(dir, "logits.npy")).ToDouble();
        Target = Npy.Read(Path.Combine(dir, "target.npy")).ToDouble();
        Dist = Npy.Read(Path.Combine(dir, "dist.npy")).ToDouble();
        DistTarget = Npy.Read(Path.Combine(dir, "dt_target.npy")).ToDouble();
        DistPrediction = Npy.Read(Path.Combine(dir, "dt_prediction.npy")).ToDouble();
        Labels = Npy.Read(Path.Combine(dir, "labels.npy")).ToInt32();
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "expected.json")));
        Expected = json.RootElement.EnumerateObject()
            .Where(p => p.Value.ValueKind == JsonValueKind.Number)
            .ToDictionary(p => p.Name, p => p.Value.GetDouble());
        Foreground = json.RootElement.GetProperty("idc_foreground").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        AllClasses = json.RootElement.GetProperty("idc_all").EnumerateArray().Select(e => e.GetInt32()).ToArray();
    }

    public static readonly string[] Cases = { "2d", "3d" };

    public string Name { get; }

    public nint[] Shape { get; }

    public int[] IntShape { get; }

    public double[] Probs { get; }

    public double[] Logits { get; }

    public double[] Target { get; }

    public double[] Dist { get; }

    public double[] DistTarget { get; }

    public double[] DistPrediction { get; }

    public int[] Labels { get; }

    public int[] Foreground { get; }

    public int[] AllClasses { get; }

    public IReadOnlyDictionary<string, double> Expected { get; }

    public static LossFixture Load(string name)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(name, out var f))
            {
                Cache[name] = f = new LossFixture(name);
            }

            return f;
        }
    }

    public CpuInputs<T> Cpu<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
        => new(Shape, Foreground, AllClasses, Convert<T>(Probs), Convert<T>(Logits), Convert<T>(Target), Convert<T>(Dist), Convert<T>(DistTarget), Convert<T>(DistPrediction));

    public TorchInputs Torch(ScalarType dtype) => new(
        Foreground, AllClasses, T(Probs, dtype), T(Logits, dtype), T(Target, dtype), T(Dist, dtype), T(DistTarget, dtype), T(DistPrediction, dtype));

    public Tensor LabelTensor() => tensor(Labels.Select(l => (long)l).ToArray(), new[] { Shape[0] }.Concat(Shape.Skip(2)).Select(n => (long)n).ToArray());

    private Tensor T(double[] data, ScalarType dtype)
    {
        using var t = tensor(data, Shape.Select(n => (long)n).ToArray());
        return t.to_type(dtype);
    }

    private static T[] Convert<T>(double[] data)
        where T : INumberBase<T>
        => data.Select(T.CreateTruncating).ToArray();

    private static string Directory([CallerFilePath] string source = "")
        => Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(source))!, "Fixtures", "losses");
}

/// <summary>The fixture's fields as CPU arrays of one element type.</summary>
internal sealed record CpuInputs<T>(nint[] Shape, int[] Fg, int[] All, T[] Probs, T[] Logits, T[] Target, T[] Dist, T[] DistTarget, T[] DistPrediction)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public ReadOnlyTensorSpan<T> P => new(Probs, Shape);

    public ReadOnlyTensorSpan<T> Z => new(Logits, Shape);

    public ReadOnlyTensorSpan<T> Y => new(Target, Shape);

    public ReadOnlyTensorSpan<T> D => new(Dist, Shape);

    public ReadOnlyTensorSpan<T> DT => new(DistTarget, Shape);

    public ReadOnlyTensorSpan<T> DP => new(DistPrediction, Shape);

    /// <summary>The same inputs with the prediction (probabilities or logits, whichever the loss takes) replaced.</summary>
    public CpuInputs<T> WithPrediction(T[] prediction) => this with { Probs = prediction, Logits = prediction };
}

/// <summary>The fixture's fields as TorchSharp tensors (owned by this object).</summary>
internal sealed record TorchInputs(int[] Fg, int[] All, Tensor P, Tensor Z, Tensor Y, Tensor D, Tensor DT, Tensor DP) : IDisposable
{
    public void Dispose()
    {
        foreach (var t in new[] { P, Z, Y, D, DT, DP })
        {
            t.Dispose();
        }
    }
}
