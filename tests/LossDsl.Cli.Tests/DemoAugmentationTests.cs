using System;
using System.Linq;
using LossDsl.Cli.Demo;
using LossDsl.Distance;
using Xunit;

namespace LossDsl.Cli.Tests;

/// <summary>The demo's batches made on the fly: crops, flips and rotations of the images and labels, and their signed distance maps.</summary>
public sealed class DemoAugmentationTests
{
    private const int Size = 32, Crop = 20, Seed = 5;
    private static readonly DemoSplit Train = SyntheticData.Make(Seed, Size, trainCount: 12, validationCount: 1, new DataSpec(Contrast: 0.3, Noise: 0.05, Blur: 2, Radius: 6)).Train;

    [Fact]
    public void The_maps_computed_on_the_fly_equal_FromOneHot_of_the_same_augmented_labels()
    {
        var augmenter = new BatchAugmenter(Train, Crop, flipsAndRotations: true, SignedDistanceVariant.Reference);
        int withObject = 0;
        for (int batch = 0; batch < 3; batch++)
        {
            int[] indices = Enumerable.Range(batch * 4, 4).ToArray();

            AugmentedBatch made = augmenter.Make(Seed, epoch: 2, batch, indices, withDistances: true);

            float[] expected = SignedDistance.FromOneHot(made.OneHotBytes, [indices.Length, 2, Crop, Crop]);
            Assert.Equal(expected, made.Distances);
            Assert.Equal(made.OneHotBytes.Select(b => (float)b), made.OneHot);
            withObject += Enumerable.Range(0, indices.Length).Count(b => made.OneHotBytes.AsSpan(((2 * b) + 1) * Crop * Crop, Crop * Crop).IndexOf((byte)1) >= 0);
        }
        // The comparison means something only if some crops hold an object (their maps are not all zero).
        Assert.True(withObject >= 3, $"only {withObject} crops with an object");
    }

    [Fact]
    public void Every_augmented_image_and_its_label_are_one_crop_of_the_source_under_one_flip_and_rotation()
    {
        var augmenter = new BatchAugmenter(Train, Crop, flipsAndRotations: true, SignedDistanceVariant.Reference);
        int[] indices = Enumerable.Range(0, Train.Count).ToArray();

        AugmentedBatch made = augmenter.Make(Seed, epoch: 1, batch: 0, indices, withDistances: false);

        int transformed = 0;
        for (int b = 0; b < indices.Length; b++)
        {
            float[] image = made.Images[(b * Crop * Crop)..((b + 1) * Crop * Crop)];
            byte[] label = made.OneHotBytes[(((2 * b) + 1) * Crop * Crop)..(((2 * b) + 2) * Crop * Crop)];
            (int Transform, int X, int Y)? found = FindSource(indices[b], image);
            Assert.True(found is not null, $"image {b} is not a crop of its source under any flip and rotation");
            if (found.Value.Transform != 0)
                transformed++;
            // The label went through the same crop and transform as the image.
            for (int y = 0; y < Crop; y++)
            {
                for (int x = 0; x < Crop; x++)
                {
                    (int sx, int sy) = Apply(found.Value.Transform, x, y);
                    Assert.Equal(Train.Masks[(indices[b] * Size * Size) + ((found.Value.Y + sy) * Size) + found.Value.X + sx], label[(y * Crop) + x]);
                    Assert.Equal(1 - label[(y * Crop) + x], made.OneHotBytes[(2 * b * Crop * Crop) + (y * Crop) + x]);
                }
            }
        }
        Assert.True(transformed >= indices.Length / 2, $"only {transformed} of {indices.Length} images flipped or rotated");
        Assert.Empty(made.Distances);
    }

    [Fact]
    public void Batches_depend_on_the_seed_the_epoch_and_the_batch_only()
    {
        var augmenter = new BatchAugmenter(Train, Crop, flipsAndRotations: true, SignedDistanceVariant.Reference);
        int[] indices = [3, 1, 4, 1];

        AugmentedBatch first = augmenter.Make(Seed, 3, 2, indices, withDistances: true);
        AugmentedBatch again = augmenter.Make(Seed, 3, 2, indices, withDistances: false);
        AugmentedBatch otherEpoch = augmenter.Make(Seed, 4, 2, indices, withDistances: false);

        // With or without maps (GDL alone does not need them), the same images and labels: both losses see the same batches.
        Assert.Equal(first.Images, again.Images);
        Assert.Equal(first.OneHotBytes, again.OneHotBytes);
        Assert.NotEqual(first.Images, otherEpoch.Images);
    }

    /// <summary>Brute force: the crop offset and the transform (of 8) that give this image from its source.</summary>
    private static (int Transform, int X, int Y)? FindSource(int index, float[] image)
    {
        ReadOnlySpan<float> source = Train.Images.AsSpan(index * Size * Size, Size * Size);
        for (int t = 0; t < 8; t++)
        {
            for (int oy = 0; oy <= Size - Crop; oy++)
            {
                for (int ox = 0; ox <= Size - Crop; ox++)
                {
                    bool all = true;
                    for (int y = 0; y < Crop && all; y++)
                    {
                        for (int x = 0; x < Crop && all; x++)
                        {
                            (int sx, int sy) = Apply(t, x, y);
                            all = source[((oy + sy) * Size) + ox + sx] == image[(y * Crop) + x];
                        }
                    }
                    if (all)
                        return (t, ox, oy);
                }
            }
        }
        return null;
    }

    /// <summary>The 8 symmetries of the square: transform t maps output (x, y) to a position in the crop.</summary>
    private static (int X, int Y) Apply(int t, int x, int y)
    {
        int last = Crop - 1;
        if ((t & 4) != 0)
            x = last - x;
        return (t & 3) switch
        {
            1 => (y, last - x),
            2 => (last - x, last - y),
            3 => (last - y, x),
            _ => (x, y),
        };
    }
}
