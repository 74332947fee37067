using System;
using System.Diagnostics;
using LossDsl.Distance;

namespace LossDsl.Cli.Demo;

/// <summary>One augmented training batch, as flat C-order arrays.</summary>
/// <param name="Count">Images in the batch.</param>
/// <param name="Side">Side of the (square) crops.</param>
/// <param name="Images">Crops of the images, <c>(B, 1, C, C)</c>.</param>
/// <param name="OneHotBytes">One-hot labels of the crops, <c>(B, 2, C, C)</c>, as bytes (what the distance transform reads).</param>
/// <param name="OneHot">The same as floats (the loss's target).</param>
/// <param name="Distances">Signed distance maps of the one-hot labels, <c>(B, 2, C, C)</c>; empty when not asked for.</param>
/// <param name="MapTicks">Stopwatch ticks the distance maps took.</param>
internal sealed record AugmentedBatch(int Count, int Side, float[] Images, byte[] OneHotBytes, float[] OneHot, float[] Distances, long MapTicks);

/// <summary>
/// Makes training batches on the fly: for every image of a batch a random crop, then (with augmentation) a random
/// horizontal and vertical flip and a rotation by a multiple of 90°, all drawn from the seed, the epoch and the batch
/// (so both losses of a seed see the same batches); then the signed distance maps of the augmented labels with the
/// library's transform (<see cref="SignedDistance.FromOneHot(ReadOnlySpan{byte}, ReadOnlySpan{int}, ReadOnlySpan{double}, Span{float}, SignedDistanceVariant, int)"/>,
/// one thread), per batch, as a training pipeline with augmentation must.
/// </summary>
internal sealed class BatchAugmenter(DemoSplit train, int crop, bool flipsAndRotations, SignedDistanceVariant variant)
{
    private const ulong AugmentStream = 300;

    /// <summary>The batch of the given images (indices into the split) for (seed, epoch, batch); maps computed when <paramref name="withDistances"/>.</summary>
    public AugmentedBatch Make(int seed, int epoch, int batch, ReadOnlySpan<int> indices, bool withDistances)
    {
        int size = train.Size, pixels = size * size, side = crop, cropPixels = side * side, count = indices.Length;
        var images = new float[count * cropPixels];
        var oneHotBytes = new byte[count * 2 * cropPixels];
        var random = DemoRandom.For(seed, AugmentStream, ((ulong)epoch << 20) | (uint)batch);
        for (int b = 0; b < count; b++)
        {
            int image = indices[b];
            int ox = random.Next(0, size - side + 1), oy = random.Next(0, size - side + 1);
            bool flipX = false, flipY = false;
            int quarterTurns = 0;
            if (flipsAndRotations)
            {
                flipX = random.Next(0, 2) == 1;
                flipY = random.Next(0, 2) == 1;
                quarterTurns = random.Next(0, 4);
            }
            ReadOnlySpan<float> source = train.Images.AsSpan(image * pixels, pixels);
            ReadOnlySpan<byte> mask = train.Masks.AsSpan(image * pixels, pixels);
            Span<float> target = images.AsSpan(b * cropPixels, cropPixels);
            Span<byte> background = oneHotBytes.AsSpan(b * 2 * cropPixels, cropPixels);
            Span<byte> foreground = oneHotBytes.AsSpan(((b * 2) + 1) * cropPixels, cropPixels);
            for (int y = 0; y < side; y++)
            {
                for (int x = 0; x < side; x++)
                {
                    (int sx, int sy) = SourceOf(x, y, side, flipX, flipY, quarterTurns);
                    int from = ((oy + sy) * size) + ox + sx, to = (y * side) + x;
                    target[to] = source[from];
                    byte label = mask[from];
                    foreground[to] = label;
                    background[to] = (byte)(1 - label);
                }
            }
        }

        var oneHot = new float[oneHotBytes.Length];
        for (int i = 0; i < oneHot.Length; i++)
            oneHot[i] = oneHotBytes[i];

        float[] distances = [];
        long ticks = 0;
        if (withDistances)
        {
            long start = Stopwatch.GetTimestamp();
            distances = new float[oneHotBytes.Length];
            SignedDistance.FromOneHot(oneHotBytes, [count, 2, side, side], default, distances, variant, maxDegreeOfParallelism: 1);
            ticks = Stopwatch.GetTimestamp() - start;
        }
        return new AugmentedBatch(count, side, images, oneHotBytes, oneHot, distances, ticks);
    }

    /// <summary>Where output pixel (x, y) of a crop comes from within the crop: rotate by quarter turns, then flip.</summary>
    private static (int X, int Y) SourceOf(int x, int y, int side, bool flipX, bool flipY, int quarterTurns)
    {
        int last = side - 1;
        if (flipX)
            x = last - x;
        if (flipY)
            y = last - y;
        return quarterTurns switch
        {
            1 => (y, last - x),
            2 => (last - x, last - y),
            3 => (last - y, x),
            _ => (x, y),
        };
    }
}
