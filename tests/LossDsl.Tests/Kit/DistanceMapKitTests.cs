using System;
using System.Linq;
using FsCheck;
using FsCheck.Xunit;
using LossDsl.Distance;
using LossDsl.Testing;
using static TorchSharp.torch;

namespace LossDsl.Tests.Kit;

/// <summary>Signed distance maps against the labels they come from, over the kit's samples (blobs, tiny objects, empty
/// images, whole-image classes; 2D and 3D; unit spacing).</summary>
public sealed class DistanceMapKitTests
{
    private static readonly SampleOptions Grounds = SampleOptions.Default with
    {
        Objects = [ObjectKind.Blobs, ObjectKind.Blobs, ObjectKind.Tiny, ObjectKind.Empty, ObjectKind.Full],
        Probabilities = [ProbabilityKind.Smooth],
    };

    [Property(MaxTest = 100)]
    public Property Phi_is_positive_outside_non_positive_inside_and_zero_for_empty_or_whole_image_classes()
        => LossProperties.ForAll(Grounds, sample =>
        {
            var shape = sample.Shape;
            for (int b = 0; b < shape.Batch; b++)
            {
                for (int k = 0; k < shape.Classes; k++)
                {
                    int size = sample.ObjectSize(b, k);
                    bool trivial = size == 0 || size == shape.Plane;
                    for (int x = 0; x < shape.Plane; x++)
                    {
                        int i = shape.Index(b, k, x);
                        double phi = sample.Distance[i];
                        bool inside = sample.Target[i] == 1;
                        bool ok = trivial ? phi == 0 : inside ? phi <= 0 : phi >= 1;
                        if (!ok)
                            throw new LossPropertyException($"φ = {phi:R} at {LossProperties.Position(shape, i)} ({(inside ? "inside" : "outside")}, class of {size} px)");
                    }
                }
            }
        });

    [Property(MaxTest = 100)]
    public Property Phi_is_zero_on_the_inner_boundary_and_one_lipschitz_between_face_neighbours()
        => LossProperties.ForAll(Grounds, sample =>
        {
            var shape = sample.Shape;
            var spatial = shape.Spatial;
            var strides = new int[spatial.Length];
            strides[^1] = 1;
            for (int a = spatial.Length - 2; a >= 0; a--) strides[a] = strides[a + 1] * spatial[a + 1];
            for (int b = 0; b < shape.Batch; b++)
            {
                for (int k = 0; k < shape.Classes; k++)
                {
                    for (int x = 0; x < shape.Plane; x++)
                    {
                        int i = shape.Index(b, k, x);
                        for (int a = 0; a < spatial.Length; a++)
                        {
                            if ((x / strides[a]) % spatial[a] == spatial[a] - 1) continue;
                            int j = i + strides[a];
                            double step = Math.Abs(sample.Distance[i] - sample.Distance[j]);
                            if (step > 1 + 1e-12)
                                throw new LossPropertyException($"|φ| jumps by {step:R} between {LossProperties.Position(shape, i)} and its neighbour along axis {a}");
                            if (sample.Target[i] != sample.Target[j])
                            {
                                int inner = sample.Target[i] == 1 ? i : j;
                                if (sample.Distance[inner] != 0)
                                    throw new LossPropertyException($"inner boundary element {LossProperties.Position(shape, inner)} has φ = {sample.Distance[inner]:R}, not 0");
                            }
                        }
                    }
                }
            }
        });

    [Property(MaxTest = 50)]
    public Property TorchSharp_maps_equal_the_span_maps()
        => LossProperties.ForAll(Grounds, sample =>
        {
            var shape = sample.Shape;
            using var scope = NewDisposeScope();
            var labels = tensor(sample.Labels, shape.LabelDims.Select(n => (long)n).ToArray());
            var maps = SignedDistance.FromLabels(labels, shape.Classes, dtype: ScalarType.Float64).data<double>().ToArray();
            int bad = Enumerable.Range(0, maps.Length).FirstOrDefault(i => Math.Abs(maps[i] - sample.Distance[i]) > 1e-9, -1);
            if (bad >= 0)
                throw new LossPropertyException($"TorchSharp φ = {maps[bad]:R} but span φ = {sample.Distance[bad]:R} at {LossProperties.Position(shape, bad)}");
        });
}
