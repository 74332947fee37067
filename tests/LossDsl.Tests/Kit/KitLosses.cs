using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics.Tensors;
using LossDsl.Testing;

namespace LossDsl.Tests.Kit;

/// <summary>The built-in losses wrapped for the property kit, the way users wrap their own generated losses.</summary>
internal static class KitLosses
{
    /// <summary>The foreground classes 1…C−1 of a field (C read from the span's shape).</summary>
    public static int[] Foreground(ReadOnlyTensorSpan<double> field) => Enumerable.Range(1, (int)field.Lengths[1] - 1).ToArray();

    /// <summary>The foreground classes 1…C−1 of a tensor.</summary>
    public static int[] Foreground(TorchSharp.torch.Tensor field) => Enumerable.Range(1, (int)field.shape[1] - 1).ToArray();

    public static LossUnderTest Boundary { get; } = LossUnderTest.FromSpans(
        "Boundary", FieldRole.Probabilities, FieldRole.SignedDistance,
        (p, d) => SegmentationLosses.BoundaryCpu(p, d, Foreground(p)),
        (p, d, gp, gd) => SegmentationLosses.BoundaryCpuGradient(p, d, gp, gd, Foreground(p)),
        (p, d) => SegmentationLosses.Boundary(p, d, Foreground(p)));

    public static LossUnderTest BoundaryFromLogits { get; } = LossUnderTest.FromSpans(
        "BoundaryFromLogits", FieldRole.Logits, FieldRole.SignedDistance,
        (p, d) => SegmentationLosses.BoundaryFromLogitsCpu(p, d, Foreground(p)),
        (p, d, gp, gd) => SegmentationLosses.BoundaryFromLogitsCpuGradient(p, d, gp, gd, Foreground(p)),
        (p, d) => SegmentationLosses.BoundaryFromLogits(p, d, Foreground(p)));

    public static LossUnderTest CrossEntropy { get; } = LossUnderTest.FromSpans(
        "CrossEntropy", FieldRole.Probabilities, FieldRole.Target,
        (p, y) => SegmentationLosses.CrossEntropyCpu(p, y, Foreground(p)),
        (p, y, gp, gy) => SegmentationLosses.CrossEntropyCpuGradient(p, y, gp, gy, Foreground(p)),
        (p, y) => SegmentationLosses.CrossEntropy(p, y, Foreground(p)));

    public static LossUnderTest CrossEntropyFromLogits { get; } = LossUnderTest.FromSpans(
        "CrossEntropyFromLogits", FieldRole.Logits, FieldRole.Target,
        (p, y) => SegmentationLosses.CrossEntropyFromLogitsCpu(p, y, Foreground(p)),
        (p, y, gp, gy) => SegmentationLosses.CrossEntropyFromLogitsCpuGradient(p, y, gp, gy, Foreground(p)),
        (p, y) => SegmentationLosses.CrossEntropyFromLogits(p, y, Foreground(p)));

    public static LossUnderTest Dice { get; } = LossUnderTest.FromSpans(
        "Dice", FieldRole.Probabilities, FieldRole.Target,
        (p, y) => SegmentationLosses.DiceCpu(p, y, Foreground(p)),
        (p, y, gp, gy) => SegmentationLosses.DiceCpuGradient(p, y, gp, gy, Foreground(p)),
        (p, y) => SegmentationLosses.Dice(p, y, Foreground(p)));

    public static LossUnderTest GeneralizedDice { get; } = LossUnderTest.FromSpans(
        "GeneralizedDice", FieldRole.Probabilities, FieldRole.Target,
        (p, y) => SegmentationLosses.GeneralizedDiceCpu(p, y, Foreground(p)),
        (p, y, gp, gy) => SegmentationLosses.GeneralizedDiceCpuGradient(p, y, gp, gy, Foreground(p)),
        (p, y) => SegmentationLosses.GeneralizedDice(p, y, Foreground(p)));

    public static LossUnderTest Tversky { get; } = LossUnderTest.FromSpans(
        "Tversky", FieldRole.Probabilities, FieldRole.Target,
        (p, y) => SegmentationLosses.TverskyCpu(p, y, Foreground(p), 0.4f, 0.6f),
        (p, y, gp, gy) => SegmentationLosses.TverskyCpuGradient(p, y, gp, gy, Foreground(p), 0.4f, 0.6f),
        (p, y) => SegmentationLosses.Tversky(p, y, Foreground(p), 0.4f, 0.6f));

    public static LossUnderTest Focal { get; } = LossUnderTest.FromSpans(
        "Focal", FieldRole.Probabilities, FieldRole.Target,
        (p, y) => SegmentationLosses.FocalCpu(p, y, Foreground(p), 2),
        (p, y, gp, gy) => SegmentationLosses.FocalCpuGradient(p, y, gp, gy, Foreground(p), 2),
        (p, y) => SegmentationLosses.Focal(p, y, Foreground(p), 2));

    public static LossUnderTest GdlBoundary { get; } = LossUnderTest.FromSpans(
        "GdlBoundary", FieldRole.Probabilities, FieldRole.Target, FieldRole.SignedDistance,
        (p, y, d) => SegmentationLosses.GdlBoundaryCpu(p, y, d, Foreground(p), 0.3f),
        (p, y, d, gp, gy, gd) => SegmentationLosses.GdlBoundaryCpuGradient(p, y, d, gp, gy, gd, Foreground(p), 0.3f),
        (p, y, d) => SegmentationLosses.GdlBoundary(p, y, d, Foreground(p), 0.3f));

    public static IReadOnlyList<LossUnderTest> All { get; } =
        [Boundary, BoundaryFromLogits, CrossEntropy, CrossEntropyFromLogits, Dice, GeneralizedDice, Tversky, Focal, GdlBoundary];

    public static LossUnderTest Named(string name) => All.Single(l => l.Name == name);

    /// <summary>Loss names for xunit theories.</summary>
    public static IEnumerable<object[]> Names() => All.Select(l => new object[] { l.Name });

    /// <summary>Names of the losses with a probabilities field (the minimum at the ground truth applies).</summary>
    public static IEnumerable<object[]> ProbabilityNames() => All.Where(l => l.Roles.Contains(FieldRole.Probabilities)).Select(l => new object[] { l.Name });
}
