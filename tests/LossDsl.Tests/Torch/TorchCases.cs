using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics.Tensors;
using TorchSharp;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace LossDsl.Tests.Torch;

/// <summary>What a loss's field stands for, to generate sensible values for it.</summary>
public enum FieldKind
{
    Probs,
    Logits,
    Target,
    Dist,
}

/// <summary>One loss in its three forms: fused TorchSharp, eager TorchSharp, and the CPU back end (double and float).</summary>
public sealed record TorchCase(
    string Name,
    FieldKind[] Fields,
    Func<Tensor[], int[], Tensor> Fused,
    Func<Tensor[], int[], Tensor> Eager,
    Func<double[][], nint[], int[], double> CpuDouble,
    Func<float[][], nint[], int[], float> CpuFloat)
{
    public override string ToString() => Name;

    public static readonly IReadOnlyList<TorchCase> All = new[]
    {
        new TorchCase("Boundary", new[] { FieldKind.Probs, FieldKind.Dist },
            (x, idc) => TorchLosses.Boundary(x[0], x[1], idc), (x, idc) => EagerLosses.Boundary(x[0], x[1], idc),
            (x, s, idc) => TorchLosses.BoundaryCpu(D(x[0], s), D(x[1], s), idc), (x, s, idc) => TorchLosses.BoundaryCpu(F(x[0], s), F(x[1], s), idc)),
        new TorchCase("Tversky", new[] { FieldKind.Probs, FieldKind.Target },
            (x, idc) => TorchLosses.Tversky(x[0], x[1]), (x, idc) => EagerLosses.Tversky(x[0], x[1]),
            (x, s, idc) => TorchLosses.TverskyCpu(D(x[0], s), D(x[1], s)), (x, s, idc) => TorchLosses.TverskyCpu(F(x[0], s), F(x[1], s))),
        new TorchCase("Rebalanced", new[] { FieldKind.Probs, FieldKind.Target, FieldKind.Dist },
            (x, idc) => TorchLosses.Rebalanced(x[0], x[1], x[2], idc, 0.25f), (x, idc) => EagerLosses.Rebalanced(x[0], x[1], x[2], idc, 0.25f),
            (x, s, idc) => TorchLosses.RebalancedCpu(D(x[0], s), D(x[1], s), D(x[2], s), idc, 0.25f), (x, s, idc) => TorchLosses.RebalancedCpu(F(x[0], s), F(x[1], s), F(x[2], s), idc, 0.25f)),
        new TorchCase("SoftmaxCrossEntropy", new[] { FieldKind.Logits, FieldKind.Target },
            (x, idc) => TorchLosses.SoftmaxCrossEntropy(x[0], x[1]), (x, idc) => EagerLosses.SoftmaxCrossEntropy(x[0], x[1]),
            (x, s, idc) => TorchLosses.SoftmaxCrossEntropyCpu(D(x[0], s), D(x[1], s)), (x, s, idc) => TorchLosses.SoftmaxCrossEntropyCpu(F(x[0], s), F(x[1], s))),
        new TorchCase("GeneralizedDice", new[] { FieldKind.Probs, FieldKind.Target },
            (x, idc) => TorchLosses.GeneralizedDice(x[0], x[1]), (x, idc) => EagerLosses.GeneralizedDice(x[0], x[1]),
            (x, s, idc) => TorchLosses.GeneralizedDiceCpu(D(x[0], s), D(x[1], s)), (x, s, idc) => TorchLosses.GeneralizedDiceCpu(F(x[0], s), F(x[1], s))),
        new TorchCase("GdlBoundary", new[] { FieldKind.Logits, FieldKind.Target, FieldKind.Dist },
            (x, idc) => TorchLosses.GdlBoundary(x[0], x[1], x[2], idc), (x, idc) => EagerLosses.GdlBoundary(x[0], x[1], x[2], idc),
            (x, s, idc) => TorchLosses.GdlBoundaryCpu(D(x[0], s), D(x[1], s), D(x[2], s), idc), (x, s, idc) => TorchLosses.GdlBoundaryCpu(F(x[0], s), F(x[1], s), F(x[2], s), idc)),
        new TorchCase("ClampedFocal", new[] { FieldKind.Probs, FieldKind.Target },
            (x, idc) => TorchLosses.ClampedFocal(x[0], x[1]), (x, idc) => EagerLosses.ClampedFocal(x[0], x[1]),
            (x, s, idc) => TorchLosses.ClampedFocalCpu(D(x[0], s), D(x[1], s)), (x, s, idc) => TorchLosses.ClampedFocalCpu(F(x[0], s), F(x[1], s))),
        new TorchCase("WeightedSigmoidSquares", new[] { FieldKind.Logits, FieldKind.Target },
            (x, idc) => TorchLosses.WeightedSigmoidSquares(x[0], x[1]), (x, idc) => EagerLosses.WeightedSigmoidSquares(x[0], x[1]),
            (x, s, idc) => TorchLosses.WeightedSigmoidSquaresCpu(D(x[0], s), D(x[1], s)), (x, s, idc) => TorchLosses.WeightedSigmoidSquaresCpu(F(x[0], s), F(x[1], s))),
    };

    private static ReadOnlyTensorSpan<double> D(double[] data, nint[] shape) => new(data, shape);

    private static ReadOnlyTensorSpan<float> F(float[] data, nint[] shape) => new(data, shape);

    public static TorchCase Named(string name) => All.Single(c => c.Name == name);

    /// <summary>Reproducible inputs of the given shape and dtype (B, C, *spatial).</summary>
    public Tensor[] Inputs(long[] shape, ScalarType dtype, int seed)
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator((ulong)seed);
        var logits = torch.randn(shape, ScalarType.Float64, generator: generator).mul_(2);
        var labelShape = shape.Where((_, i) => i != 1).ToArray();
        var labels = torch.randint(0, shape[1], labelShape, ScalarType.Int64, generator: generator).unsqueeze(1);
        var target = torch.zeros(shape, ScalarType.Float64).scatter_(1, labels, torch.ones(labels.shape, ScalarType.Float64));
        var dist = torch.randn(shape, ScalarType.Float64, generator: generator).mul_(3);
        var inputs = Fields.Select(kind => (kind switch
        {
            FieldKind.Probs => logits.softmax(1),
            FieldKind.Logits => logits,
            FieldKind.Target => target,
            _ => dist,
        }).to_type(dtype).contiguous().detach()).ToArray();
        scope.MoveToOuter(inputs);
        return inputs;
    }

    /// <summary>The CPU back end's value for the same inputs.</summary>
    public double Cpu(Tensor[] inputs, int[] idc)
    {
        var shape = inputs[0].shape.Select(n => (nint)n).ToArray();
        if (inputs[0].dtype == ScalarType.Float64)
        {
            return CpuDouble(inputs.Select(t => t.contiguous().data<double>().ToArray()).ToArray(), shape, idc);
        }

        return CpuFloat(inputs.Select(t => t.contiguous().data<float>().ToArray()).ToArray(), shape, idc);
    }
}
