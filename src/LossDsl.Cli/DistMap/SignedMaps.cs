using System;
using LossDsl.Cli.IO;
using LossDsl.Distance;

namespace LossDsl.Cli.DistMap;

/// <summary>Label image → the float32 signed distance maps of all K classes, laid out (K, *spatial).</summary>
internal static class SignedMaps
{
    /// <summary>Checks the shape, the labels against K and the size of the result, then computes one map per class.</summary>
    /// <exception cref="CliException">
    /// A zero-length axis; a label is negative or ≥ K (the message gives the first one and its position); the spacing
    /// does not fit; or K maps would not fit in one array.
    /// </exception>
    public static float[] Compute(LabelImage image, int classes, double[] spacing, SignedDistanceVariant variant)
    {
        // An empty image would "succeed" with empty maps, hiding a broken export; say so instead.
        if (Array.IndexOf(image.Shape, 0) >= 0)
            throw new CliException($"shape {Describe(image.Shape)} has a zero-length axis; there are no pixels to compute distances for.");
        CheckLabels(image, classes);
        if (spacing.Length != image.Shape.Length)
            throw new CliException($"--spacing has {spacing.Length} values but the image has {image.Shape.Length} spatial axes (shape {Describe(image.Shape)}).");

        int n = image.Labels.Length;
        // Both factors are ints, so the long product cannot overflow; an array cannot hold more than Array.MaxLength.
        long total = (long)classes * n;
        if (total > Array.MaxLength)
            throw new CliException($"--classes {classes} maps of shape {Describe(image.Shape)} are {total} values, more than one array holds ({Array.MaxLength}); use fewer classes or smaller images.");
        var maps = new float[total];
        var mask = new byte[n];
        for (int k = 0; k < classes; k++)
        {
            for (int i = 0; i < n; i++)
                mask[i] = image.Labels[i] == k ? (byte)1 : (byte)0;
            SignedDistance.FromMask(mask, image.Shape, spacing, maps.AsSpan(k * n, n), variant);
        }
        return maps;
    }

    private static void CheckLabels(LabelImage image, int classes)
    {
        long[] labels = image.Labels;
        for (int i = 0; i < labels.Length; i++)
        {
            if ((ulong)labels[i] >= (ulong)classes)
            {
                string why = labels[i] < 0 ? "is negative" : $"is ≥ --classes {classes}";
                throw new CliException($"label {labels[i]} at position {Position(i, image.Shape)} {why}; labels must lie in 0..{classes - 1}.");
            }
        }
    }

    private static string Position(int flat, int[] shape)
    {
        var coordinate = new int[shape.Length];
        for (int axis = shape.Length - 1; axis >= 0; axis--)
        {
            coordinate[axis] = flat % shape[axis];
            flat /= shape[axis];
        }
        return Describe(coordinate);
    }

    private static string Describe(int[] values) => "(" + string.Join(", ", values) + ")";
}
