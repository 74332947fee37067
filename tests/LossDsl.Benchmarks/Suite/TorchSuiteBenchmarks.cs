using System;
using BenchmarkDotNet.Attributes;
using TorchSharp;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace LossDsl.Benchmarks.Suite;

/// <summary>
/// Forward and backward of each suite loss through its generated TorchSharp function, gradient of the first field,
/// one thread, side by side in one run: forced onto the generated CPU passes, with the pass path off (the ATen
/// composition and the hand-written sweeps its calls may take), and TorchSharp eager with autograd. What a user gets
/// by default is one of the first two: the passes, unless the generator found the loss covered by the sweeps. Run with <c>dotnet run -c Release -- --filter *TorchSuite* --inProcess --warmupCount 2 --iterationCount 5
/// --iterationTime 150</c>; figures in docs/performance.md.
/// </summary>
[MemoryDiagnoser]
public class TorchSuiteBenchmarks : SuiteBenchmark
{
    [Benchmark(Baseline = true)]
    public float TorchSharpEager() => Step(eager: true);

    [Benchmark]
    public float FusedPasses() => FusedStep(LossDsl.Torch.CpuPassChoice.Always);

    [Benchmark]
    public float FusedWithoutPasses() => FusedStep(LossDsl.Torch.CpuPassChoice.Never);

    /// <summary>The generated function as a user gets it: the passes, or the sweeps where the generator prefers them.</summary>
    public float FusedAsGenerated() => FusedStep(LossDsl.Torch.CpuPassChoice.Measured);

    /// <summary>One step of the generated function with the pass path forced on or off.</summary>
    private float FusedStep(LossDsl.Torch.CpuPassChoice choice)
    {
        LossDsl.Torch.CpuPassCall.Choice = choice;
        try
        {
            return Step(eager: false);
        }
        finally
        {
            LossDsl.Torch.CpuPassCall.Choice = LossDsl.Torch.CpuPassChoice.Measured;
        }
    }

    private float Step(bool eager)
    {
        using var scope = torch.NewDisposeScope();
        var a = Inputs.TorchA.detach().requires_grad_(true);
        var (y, d) = (Inputs.TorchTarget, Inputs.TorchDist);
        var loss = eager ? Eager(a, y, d) : Fused(a, y, d);
        loss.backward();
        return loss.ToSingle();
    }

    private Tensor Fused(Tensor a, Tensor y, Tensor d)
    {
        var idc = Inputs.Idc;
        return Loss switch
        {
            "GdlBoundarySelect" => SuiteLosses.GdlBoundarySelect(a, y, d, idc),
            "GdlBoundarySoftmax" => SuiteLosses.GdlBoundarySoftmax(a, y, d, idc),
            "FocalSoftmax" => SuiteLosses.FocalSoftmax(a, y),
            "Tversky" => SuiteLosses.Tversky(a, y),
            "LogCoshDice" => SuiteLosses.LogCoshDice(a, y),
            "CrossEntropyBoundary" => SuiteLosses.CrossEntropyBoundary(a, y, d, idc),
            "ClampAbsMax" => SuiteLosses.ClampAbsMax(a, y),
            _ => SuiteLosses.SigmoidBce(a, y),
        };
    }

    private Tensor Eager(Tensor a, Tensor y, Tensor d)
    {
        var idc = Inputs.TorchIdc;
        return Loss switch
        {
            "GdlBoundarySelect" => EagerSuiteLosses.GdlBoundarySelect(a, y, d, idc),
            "GdlBoundarySoftmax" => EagerSuiteLosses.GdlBoundarySoftmax(a, y, d, idc),
            "FocalSoftmax" => EagerSuiteLosses.FocalSoftmax(a, y),
            "Tversky" => EagerSuiteLosses.Tversky(a, y),
            "LogCoshDice" => EagerSuiteLosses.LogCoshDice(a, y),
            "CrossEntropyBoundary" => EagerSuiteLosses.CrossEntropyBoundary(a, y, d, idc),
            "ClampAbsMax" => EagerSuiteLosses.ClampAbsMax(a, y),
            _ => EagerSuiteLosses.SigmoidBce(a, y),
        };
    }
}
