using System;
using System.Linq;
using BenchmarkDotNet.Attributes;
using LossDsl;
using TorchSharp;
using static LossDsl.Dsl;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace LossDsl.Benchmarks;

/// <summary>The benchmark's loss: generalized Dice plus α·boundary, both on softmax(logits).</summary>
public static partial class BenchLosses
{
    /// <summary>Generalized Dice of probabilities (weights 1/(Σy + ε)²).</summary>
    [Loss]
    public static Scalar GeneralizedDice(Field probs, Field target, int[] idc)
    {
        var p = Select(probs, idc);
        var y = Select(target, idc);
        var w = 1 / Square(SumSpatial(y) + 1e-10);
        var intersection = SumClasses(w * SumSpatial(p * y));
        var union = SumClasses(w * (SumSpatial(p) + SumSpatial(y)));
        return Mean(1 - 2 * (intersection + 1e-10) / (union + 1e-10));
    }

    /// <summary>Boundary loss: mean of p·φ over the selected classes.</summary>
    [Loss]
    public static Scalar Boundary(Field probs, Field dist, int[] idc) => Mean(Select(probs, idc) * Select(dist, idc));

    /// <summary>(1 − α)·GDL + α·boundary on softmax(logits), both over the classes idc (as anchors.py): one fused autograd node.</summary>
    [Loss]
    public static Scalar GdlBoundary(Field logits, Field target, Field dist, int[] idc, float alpha = 0.01f)
        => (1 - alpha) * GeneralizedDice(Softmax(logits), target, idc) + alpha * Boundary(Softmax(logits), dist, idc);

    /// <summary>The same formula in TorchSharp eager mode, recorded by autograd op by op.</summary>
    public static Tensor GdlBoundaryEager(Tensor logits, Tensor y, Tensor dist, Tensor index, float alpha = 0.01f)
    {
        var spatial = new long[] { 2, 3 };
        var p = logits.softmax(1).index_select(1, index);
        var yc = y.index_select(1, index);
        var w = 1 / (yc.sum(spatial) + 1e-10).square();
        var intersection = (w * (p * yc).sum(spatial)).sum(1);
        var union = (w * (p.sum(spatial) + yc.sum(spatial))).sum(1);
        var gdl = (1 - 2 * (intersection + 1e-10) / (union + 1e-10)).mean();
        return (1 - (double)alpha) * gdl + (double)alpha * (p * dist.index_select(1, index)).mean();
    }
}

/// <summary>
/// Forward + backward of GDL + boundary on (8, 4, 256, 256) float32, one thread: the fused generated function
/// against the eager TorchSharp composition of the same formula. See docs/performance.md.
/// </summary>
[MemoryDiagnoser]
public class TorchLossBenchmarks
{
    private static readonly int[] Idc = { 1, 2, 3 };
    private Tensor logits = null!;
    private Tensor target = null!;
    private Tensor dist = null!;
    private Tensor index = null!;

    [GlobalSetup]
    public void Setup()
    {
        torch.set_num_threads(1);
        torch.manual_seed(0);
        logits = torch.randn(8, 4, 256, 256).requires_grad_(true);
        var labels = torch.randint(0, 4, new long[] { 8, 1, 256, 256 });
        target = torch.zeros(8, 4, 256, 256).scatter_(1, labels, torch.ones(8, 1, 256, 256));
        dist = torch.randn(8, 4, 256, 256) * 10;
        index = torch.tensor(Idc.Select(i => (long)i).ToArray());
    }

    [Benchmark(Baseline = true)]
    public double EagerTorchSharp()
    {
        using var scope = torch.NewDisposeScope();
        var loss = BenchLosses.GdlBoundaryEager(logits, target, dist, index);
        loss.backward();
        return loss.ToDouble();
    }

    /// <summary>The generated function as a user gets it (for this loss on CPU: the ATen composition in two hand-written sweeps).</summary>
    [Benchmark]
    public double FusedGenerated()
    {
        using var scope = torch.NewDisposeScope();
        var loss = BenchLosses.GdlBoundary(logits, target, dist, Idc);
        loss.backward();
        return loss.ToDouble();
    }

    /// <summary>
    /// The same generated function forced onto its generated CPU passes. For this loss the generator keeps the
    /// hand-written sweeps of its ATen composition by default (FusedGenerated), measured faster.
    /// </summary>
    [Benchmark]
    public double FusedPasses()
    {
        LossDsl.Torch.CpuPassCall.Choice = LossDsl.Torch.CpuPassChoice.Always;
        try
        {
            return FusedGenerated();
        }
        finally
        {
            LossDsl.Torch.CpuPassCall.Choice = LossDsl.Torch.CpuPassChoice.Measured;
        }
    }

    /// <summary>
    /// The same generated function with its pass path and CPU sweeps off: only ATen operations, the path a CUDA device
    /// takes.
    /// </summary>
    [Benchmark]
    public double FusedAtenPath()
    {
        LossDsl.Torch.CpuPassCall.Choice = LossDsl.Torch.CpuPassChoice.Never;
        LossDsl.Torch.FusedOps.SweepsDisabled = true;
        try
        {
            return FusedGenerated();
        }
        finally
        {
            LossDsl.Torch.FusedOps.SweepsDisabled = false;
            LossDsl.Torch.CpuPassCall.Choice = LossDsl.Torch.CpuPassChoice.Measured;
        }
    }

    [IterationCleanup]
    public void ClearGradient()
    {
        using var grad = logits.grad;
        grad?.zero_().Dispose();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var t in new[] { logits, target, dist, index })
        {
            t.Dispose();
        }
    }
}
