using System;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LossDsl.Distance;
using LossDsl.Testing;
using Xunit;

namespace LossDsl.Tests.Kit;

/// <summary>The kit's generators keep their promises: ranges, tiny and missing objects, consistency, replay, shrinking.</summary>
public sealed class GeneratorTests
{
    [Property(MaxTest = 100)]
    public Property Shapes_stay_within_the_options()
    {
        var options = SampleOptions.Default;
        return Prop.ForAll(LossGen.Shapes(options).ToArbitrary(), shape =>
            shape.Batch >= options.MinBatch && shape.Batch <= options.MaxBatch
            && shape.Classes >= options.MinClasses && shape.Classes <= options.MaxClasses
            && options.Ranks.Contains(shape.Rank)
            && shape.Spatial.All(n => n >= options.MinSide && n <= (shape.Rank == 3 ? options.MaxSide3D : options.MaxSide2D)));
    }

    [Property(MaxTest = 100)]
    public Property Tiny_objects_are_one_connected_class_of_at_most_half_a_percent_of_the_pixels()
        => LossProperties.ForAll(SampleOptions.Extreme.WithObjects(ObjectKind.Tiny), sample =>
        {
            for (int b = 0; b < sample.Shape.Batch; b++)
            {
                var classes = Enumerable.Range(1, sample.Shape.Classes - 1).Where(k => sample.ObjectSize(b, k) > 0).ToArray();
                int pixels = classes.Sum(k => sample.ObjectSize(b, k));
                if (classes.Length != 1 || pixels < 1 || pixels > 0.005 * sample.Shape.Plane)
                    throw new LossPropertyException($"image {b}: {pixels} object pixels in {classes.Length} classes on {sample.Shape.Plane}");
            }
        });

    [Property(MaxTest = 50)]
    public Property Images_without_objects_are_all_background_with_zero_distance_maps()
        => LossProperties.ForAll(SampleOptions.Default.WithObjects(ObjectKind.Empty), sample =>
        {
            if (sample.Labels.Any(k => k != 0) || sample.Distance.Any(v => v != 0))
                throw new LossPropertyException("an empty image has a foreground pixel or a non-zero distance");
        });

    [Property(MaxTest = 50)]
    public Property Targets_and_distance_maps_follow_the_labels()
        => LossProperties.ForAll(SampleOptions.Default, sample =>
        {
            var shape = sample.Shape;
            if (!LossGen.OneHot(shape, sample.Labels).SequenceEqual(sample.Target)) throw new LossPropertyException("target ≠ one_hot(labels)");
            var maps = new double[shape.Count];
            SignedDistance.FromLabels(sample.Labels, shape.LabelDims, shape.Classes, default, maps);
            if (!maps.SequenceEqual(sample.Distance)) throw new LossPropertyException("distance ≠ SignedDistance.FromLabels(labels)");
        });

    [Property(MaxTest = 30)]
    public Property Shrinking_gives_smaller_consistent_samples()
        => LossProperties.ForAll(SampleOptions.Default, sample =>
        {
            foreach (var smaller in sample.Shrink(minBatch: 1, minClasses: 2))
            {
                bool smallerOrSimpler = smaller.Shape.Count < sample.Shape.Count || (smaller.Shape.Equals(sample.Shape) && !smaller.Logits.SequenceEqual(sample.Logits));
                if (!smallerOrSimpler) throw new LossPropertyException($"shrink candidate {smaller.Shape} is not smaller than {sample.Shape}");
                if (smaller.Shape.Classes < 2) throw new LossPropertyException("shrinking went below the smallest class count");
                if (!LossGen.OneHot(smaller.Shape, smaller.Labels).SequenceEqual(smaller.Target)) throw new LossPropertyException("shrunk target ≠ one_hot(labels)");
            }
        });

    [Fact]
    public void A_seed_and_size_replay_the_same_sample()
    {
        var first = LossGen.Sample(SampleOptions.Default, 12345, 60);
        var again = LossGen.Sample(SampleOptions.Default, 12345, 60);
        Assert.Equal(first.Shape, again.Shape);
        Assert.Equal(first.Labels, again.Labels);
        Assert.Equal(first.Logits, again.Logits);
        Assert.Contains("seed 12345, size 60", first.ToString());
    }

    [Fact]
    public void Inconsistent_options_are_rejected_with_the_values()
    {
        var error = Assert.Throws<ArgumentException>(() => LossGen.Samples(SampleOptions.Default.WithBatch(3, 2)));
        Assert.Contains("min 3, max 2", error.Message);
    }
}
