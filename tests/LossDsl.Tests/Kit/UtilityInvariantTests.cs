using System;
using System.Linq;
using FsCheck;
using FsCheck.Xunit;
using LossDsl.Testing;
using LossDsl.Utilities;
using static TorchSharp.torch;

namespace LossDsl.Tests.Kit;

/// <summary>The simplex and one-hot invariants of the utilities, over the kit's generated samples (extreme predictions,
/// tiny and missing objects included).</summary>
public sealed class UtilityInvariantTests
{
    private static readonly SampleOptions Everything = SampleOptions.Default with
    {
        Probabilities = [ProbabilityKind.Smooth, ProbabilityKind.NearOneHot, ProbabilityKind.Extreme],
        Objects = [ObjectKind.Blobs, ObjectKind.Tiny, ObjectKind.Empty, ObjectKind.Full],
    };

    [Property(MaxTest = 100)]
    public Property Labels_to_one_hot_is_one_hot_and_argmax_gives_the_labels_back()
        => LossProperties.ForAll(Everything, sample =>
        {
            var shape = sample.Shape;
            var oneHot = new double[shape.Count];
            OneHot.FromLabels<double>(sample.Labels, shape.LabelDims, shape.Classes, oneHot);
            OneHot.Check<double>(oneHot, shape.Dims);
            var back = new int[shape.Batch * shape.Plane];
            OneHot.Argmax<double>(oneHot, shape.Dims, back);
            if (!back.SequenceEqual(sample.Labels)) throw new LossPropertyException("argmax(one_hot(labels)) ≠ labels");
            using var scope = NewDisposeScope();
            var torchOneHot = OneHot.FromLabels(tensor(sample.Labels, shape.LabelDims.Select(n => (long)n).ToArray()), shape.Classes, ScalarType.Float64);
            if (!torchOneHot.data<double>().ToArray().SequenceEqual(oneHot)) throw new LossPropertyException("TorchSharp one-hot ≠ span one-hot");
        });

    [Property(MaxTest = 100)]
    public Property Probabilities_to_one_hot_is_one_hot_and_agrees_with_argmax()
        => LossProperties.ForAll(Everything, sample =>
        {
            var shape = sample.Shape;
            var p = sample.Probabilities;
            var hot = new double[shape.Count];
            OneHot.FromProbabilities<double, double>(p, shape.Dims, hot);
            OneHot.Check<double>(hot, shape.Dims);
            var arg = new int[shape.Batch * shape.Plane];
            OneHot.Argmax<double>(p, shape.Dims, arg);
            for (int b = 0; b < shape.Batch; b++)
            {
                for (int x = 0; x < shape.Plane; x++)
                {
                    int k = arg[(b * shape.Plane) + x];
                    if (hot[shape.Index(b, k, x)] != 1) throw new LossPropertyException($"one-hot of the probabilities is not set at the argmax {k} (b={b}, x={x})");
                    for (int c = 0; c < shape.Classes; c++)
                    {
                        if (p[shape.Index(b, c, x)] > p[shape.Index(b, k, x)]) throw new LossPropertyException($"argmax {k} is not a largest class at (b={b}, x={x})");
                        if (c < k && p[shape.Index(b, c, x)] == p[shape.Index(b, k, x)]) throw new LossPropertyException($"argmax {k} is not the first largest class at (b={b}, x={x})");
                    }
                }
            }
        });

    [Property(MaxTest = 100)]
    public Property Softmax_gives_a_simplex()
        => LossProperties.ForAll(Everything, sample =>
        {
            var shape = sample.Shape;
            if (!Simplex.IsSimplex<double>(SegmentationSample.Softmax(shape, sample.Logits), shape.Dims, 1e-12))
                throw new LossPropertyException("the kit's softmax is not a simplex");
            using var scope = NewDisposeScope();
            var logits = tensor(sample.Logits, shape.Dims.Select(n => (long)n).ToArray(), ScalarType.Float64);
            Simplex.Check(softmax(logits, 1), 1e-12);
            Simplex.Check(softmax(logits.to_type(ScalarType.Float32), 1), 1e-5);
        });

    [Property(MaxTest = 100)]
    public Property The_fused_softmax_of_a_loss_is_the_simplex_softmax()
        => LossProperties.ForAll(Everything, sample =>
        {
            var dims = sample.Shape.Dims;
            var idc = Enumerable.Range(1, sample.Shape.Classes - 1).ToArray();
            double fused = SegmentationLosses.BoundaryFromLogitsCpu(LossUnderTest.Span(sample.Logits, dims), LossUnderTest.Span(sample.Distance, dims), idc);
            double separate = SegmentationLosses.BoundaryCpu(LossUnderTest.Span(sample.Probabilities, dims), LossUnderTest.Span(sample.Distance, dims), idc);
            if (!(Math.Abs(fused - separate) <= 1e-12 * Math.Max(1, Math.Abs(separate))))
                throw new LossPropertyException($"BoundaryFromLogits {fused:R} ≠ Boundary(softmax) {separate:R}");
        });

    [Property(MaxTest = 100)]
    public Property Generated_targets_are_one_hot_and_predictions_are_simplices()
        => LossProperties.ForAll(Everything, sample =>
        {
            OneHot.Check<double>(sample.Target, sample.Shape.Dims);
            Simplex.Check<double>(sample.Probabilities, sample.Shape.Dims, 1e-12);
        });
}
