using System;
using System.Collections.Generic;
using System.Linq;

namespace LossDsl.Tests.Cpu;

/// <summary>
/// One example loss seen uniformly by the tests: which fields it takes, its generated value (float and double)
/// and gradient (double), and the naive reference.
/// </summary>
internal sealed record LossCase(
    string Name,
    Func<TestFields, double[][]> Inputs,
    Func<TestFields, double[][], double> Naive,
    Func<TestFields, double[][], float> GeneratedFloat,
    Func<TestFields, double[][], double> GeneratedDouble,
    Func<TestFields, double[][], double[][], double> GeneratedGradient)
{
    public override string ToString() => Name;

    public static IReadOnlyList<LossCase> All { get; } = new[]
    {
        new LossCase(
            "Tversky",
            f => new[] { f.Probs, f.Target },
            (f, x) => NaiveLosses.Tversky(f, x[0], x[1]),
            (f, x) => ExampleLosses.TverskyCpu(f.SpanF(x[0]), f.SpanF(x[1])),
            (f, x) => ExampleLosses.TverskyCpu(f.Span(x[0]), f.Span(x[1])),
            (f, x, g) => ExampleLosses.TverskyCpuGradient(f.Span(x[0]), f.Span(x[1]), new(g[0], f.Shape), new(g[1], f.Shape))),
        new LossCase(
            "Boundary",
            f => new[] { f.Probs, f.Dist },
            (f, x) => NaiveLosses.Boundary(f, x[0], x[1], f.Idc),
            (f, x) => ExampleLosses.BoundaryCpu(f.SpanF(x[0]), f.SpanF(x[1]), f.Idc),
            (f, x) => ExampleLosses.BoundaryCpu(f.Span(x[0]), f.Span(x[1]), f.Idc),
            (f, x, g) => ExampleLosses.BoundaryCpuGradient(f.Span(x[0]), f.Span(x[1]), new(g[0], f.Shape), new(g[1], f.Shape), f.Idc)),
        new LossCase(
            "Rebalanced",
            f => new[] { f.Probs, f.Target, f.Dist },
            (f, x) => NaiveLosses.Rebalanced(f, x[0], x[1], x[2], f.Idc, 0.25f),
            (f, x) => ExampleLosses.RebalancedCpu(f.SpanF(x[0]), f.SpanF(x[1]), f.SpanF(x[2]), f.Idc, 0.25f),
            (f, x) => ExampleLosses.RebalancedCpu(f.Span(x[0]), f.Span(x[1]), f.Span(x[2]), f.Idc, 0.25f),
            (f, x, g) => ExampleLosses.RebalancedCpuGradient(f.Span(x[0]), f.Span(x[1]), f.Span(x[2]), new(g[0], f.Shape), new(g[1], f.Shape), new(g[2], f.Shape), f.Idc, 0.25f)),
        new LossCase(
            "SoftmaxCrossEntropy",
            f => new[] { f.Logits, f.Target },
            (f, x) => NaiveLosses.SoftmaxCrossEntropy(f, x[0], x[1]),
            (f, x) => ExampleLosses.SoftmaxCrossEntropyCpu(f.SpanF(x[0]), f.SpanF(x[1])),
            (f, x) => ExampleLosses.SoftmaxCrossEntropyCpu(f.Span(x[0]), f.Span(x[1])),
            (f, x, g) => ExampleLosses.SoftmaxCrossEntropyCpuGradient(f.Span(x[0]), f.Span(x[1]), new(g[0], f.Shape), new(g[1], f.Shape))),
        new LossCase(
            "GeneralizedDiceOfLogits",
            f => new[] { f.Logits, f.Target },
            (f, x) => NaiveLosses.GeneralizedDiceOfLogits(f, x[0], x[1], f.Idc),
            (f, x) => ExampleLosses.GeneralizedDiceOfLogitsCpu(f.SpanF(x[0]), f.SpanF(x[1]), f.Idc),
            (f, x) => ExampleLosses.GeneralizedDiceOfLogitsCpu(f.Span(x[0]), f.Span(x[1]), f.Idc),
            (f, x, g) => ExampleLosses.GeneralizedDiceOfLogitsCpuGradient(f.Span(x[0]), f.Span(x[1]), new(g[0], f.Shape), new(g[1], f.Shape), f.Idc)),
        new LossCase(
            "ClampedFocal",
            f => new[] { f.Probs.Select(p => 0.1 + (0.8 * p)).ToArray(), f.Target },
            (f, x) => NaiveLosses.ClampedFocal(f, x[0], x[1], 2.5),
            (f, x) => ExampleLosses.ClampedFocalCpu(f.SpanF(x[0]), f.SpanF(x[1]), 2.5),
            (f, x) => ExampleLosses.ClampedFocalCpu(f.Span(x[0]), f.Span(x[1]), 2.5),
            (f, x, g) => ExampleLosses.ClampedFocalCpuGradient(f.Span(x[0]), f.Span(x[1]), new(g[0], f.Shape), new(g[1], f.Shape), 2.5)),
        new LossCase(
            "PeakPenalty",
            f => new[] { f.Probs, f.Target, f.Dist },
            (f, x) => NaiveLosses.PeakPenalty(f, x[0], x[1], x[2]),
            (f, x) => ExampleLosses.PeakPenaltyCpu(f.SpanF(x[0]), f.SpanF(x[1]), f.SpanF(x[2])),
            (f, x) => ExampleLosses.PeakPenaltyCpu(f.Span(x[0]), f.Span(x[1]), f.Span(x[2])),
            (f, x, g) => ExampleLosses.PeakPenaltyCpuGradient(f.Span(x[0]), f.Span(x[1]), f.Span(x[2]), new(g[0], f.Shape), new(g[1], f.Shape), new(g[2], f.Shape))),
        new LossCase(
            "WeightedSigmoidSquares",
            f => new[] { f.Logits, f.Target },
            (f, x) => NaiveLosses.WeightedSigmoidSquares(f, x[0], x[1]),
            (f, x) => ExampleLosses.WeightedSigmoidSquaresCpu(f.SpanF(x[0]), f.SpanF(x[1])),
            (f, x) => ExampleLosses.WeightedSigmoidSquaresCpu(f.Span(x[0]), f.Span(x[1])),
            (f, x, g) => ExampleLosses.WeightedSigmoidSquaresCpuGradient(f.Span(x[0]), f.Span(x[1]), new(g[0], f.Shape), new(g[1], f.Shape))),
    };
}
