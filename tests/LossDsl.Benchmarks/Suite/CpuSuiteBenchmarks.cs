using System;
using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using LossDsl.Benchmarks.Baseline;
using LossDsl.Cpu;
using TorchSharp;
using static TorchSharp.torch;

namespace LossDsl.Benchmarks.Suite;

/// <summary>
/// Value and gradient of the first field (what training needs) of each suite loss, one thread, side by side in one
/// run: the generated CPU back end (<see cref="SuiteLosses"/>), the same losses as the generator compiled them before
/// the fusing compiler (<see cref="BaselineSuiteLosses"/>), and TorchSharp eager with autograd
/// (<see cref="EagerSuiteLosses"/>). Run with <c>dotnet run -c Release -- --filter *CpuSuite* --inProcess
/// --warmupCount 2 --iterationCount 5 --iterationTime 150</c>; figures in docs/performance.md.
/// </summary>
[MemoryDiagnoser]
public class CpuSuiteBenchmarks : SuiteBenchmark
{
    [Benchmark(Baseline = true)]
    public float Fused()
    {
        var (a, y, d, g) = (Inputs.A, Inputs.Target, Inputs.Dist, Inputs.GradientA);
        var idc = Inputs.Idc;
        return Loss switch
        {
            "GdlBoundarySelect" => SuiteLosses.GdlBoundarySelectCpuGradient<float>(a, y, d, g, null, null, idc),
            "GdlBoundarySoftmax" => SuiteLosses.GdlBoundarySoftmaxCpuGradient<float>(a, y, d, g, null, null, idc),
            "FocalSoftmax" => SuiteLosses.FocalSoftmaxCpuGradient<float>(a, y, g, null),
            "Tversky" => SuiteLosses.TverskyCpuGradient<float>(a, y, g, null),
            "LogCoshDice" => SuiteLosses.LogCoshDiceCpuGradient<float>(a, y, g, null),
            "CrossEntropyBoundary" => SuiteLosses.CrossEntropyBoundaryCpuGradient<float>(a, y, d, g, null, null, idc),
            "ClampAbsMax" => SuiteLosses.ClampAbsMaxCpuGradient<float>(a, y, g, null),
            _ => SuiteLosses.SigmoidBceCpuGradient<float>(a, y, g, null),
        };
    }

    [Benchmark]
    public float BeforeFusion()
    {
        var (a, y, d, g) = (Inputs.A, Inputs.Target, Inputs.Dist, Inputs.GradientA);
        var idc = Inputs.Idc;
        return Loss switch
        {
            "GdlBoundarySelect" => BaselineSuiteLosses.GdlBoundarySelectCpuGradient<float>(a, y, d, g, null, null, idc),
            "GdlBoundarySoftmax" => BaselineSuiteLosses.GdlBoundarySoftmaxCpuGradient<float>(a, y, d, g, null, null, idc),
            "FocalSoftmax" => BaselineSuiteLosses.FocalSoftmaxCpuGradient<float>(a, y, g, null),
            "Tversky" => BaselineSuiteLosses.TverskyCpuGradient<float>(a, y, g, null),
            "LogCoshDice" => BaselineSuiteLosses.LogCoshDiceCpuGradient<float>(a, y, g, null),
            "CrossEntropyBoundary" => BaselineSuiteLosses.CrossEntropyBoundaryCpuGradient<float>(a, y, d, g, null, null, idc),
            "ClampAbsMax" => BaselineSuiteLosses.ClampAbsMaxCpuGradient<float>(a, y, g, null),
            _ => BaselineSuiteLosses.SigmoidBceCpuGradient<float>(a, y, g, null),
        };
    }

    [Benchmark]
    public float TorchSharpEager()
    {
        using var scope = torch.NewDisposeScope();
        var a = Inputs.TorchA.detach().requires_grad_(true);
        var (y, d, idc) = (Inputs.TorchTarget, Inputs.TorchDist, Inputs.TorchIdc);
        var loss = Loss switch
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
        loss.backward();
        return loss.ToSingle();
    }
}
