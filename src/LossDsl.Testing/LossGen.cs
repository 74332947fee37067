using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;

namespace LossDsl.Testing;

/// <summary>
/// FsCheck generators for segmentation losses: shapes, labels with blobs, tiny and missing objects, predictions on the
/// simplex (smooth, near one-hot, extreme), and whole <see cref="SegmentationSample"/>s with consistent one-hot targets
/// and signed distance maps. The <see cref="Gen{T}"/> values work from C# (LINQ) and F# (<c>gen { … }</c>).
/// </summary>
/// <remarks>
/// Every sample is built from one integer seed and FsCheck's size: <see cref="Sample"/> rebuilds it exactly, and its
/// <see cref="SegmentationSample.Description"/> says which seed and size. Sizes grow with FsCheck's size parameter.
/// </remarks>
public static class LossGen
{
    /// <summary>Shapes <c>(B, C, *spatial)</c> within the options' ranges.</summary>
    public static Gen<SegmentationShape> Shapes(SampleOptions? options = null)
    {
        var o = Checked(options);
        return Gen.Sized(size => Gen.Choose(0, int.MaxValue).Select(seed => Shape(o, new Random(seed), size)));
    }

    /// <summary>Class-index labels <c>(B, *spatial)</c> for a shape: one ground-truth kind per image (blobs, a tiny object,
    /// nothing, a whole-image class), drawn from the options.</summary>
    public static Gen<int[]> Labels(SegmentationShape shape, SampleOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var o = Checked(options);
        return Gen.Choose(0, int.MaxValue).Select(seed => Labels(shape, o, new Random(seed), new List<string>()));
    }

    /// <summary>Logits <c>(B, C, *spatial)</c> for a shape and its labels: one prediction kind per image, drawn from the options.</summary>
    public static Gen<double[]> Logits(SegmentationShape shape, int[] labels, SampleOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(labels);
        var o = Checked(options);
        return Gen.Choose(0, int.MaxValue).Select(seed => Logits(shape, labels, o, new Random(seed), new List<string>()));
    }

    /// <summary>Probability maps on the simplex along C (softmax of <see cref="Logits(SegmentationShape, int[], SampleOptions?)"/> against random labels).</summary>
    public static Gen<double[]> Probabilities(SegmentationShape shape, SampleOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var o = Checked(options);
        return Gen.Choose(0, int.MaxValue).Select(seed =>
        {
            var random = new Random(seed);
            var labels = Labels(shape, o, random, new List<string>());
            return SegmentationSample.Softmax(shape, Logits(shape, labels, o, random, new List<string>()));
        });
    }

    /// <summary>Whole samples: shape, labels, one-hot target, signed distance maps and a prediction.</summary>
    public static Gen<SegmentationSample> Samples(SampleOptions? options = null)
    {
        var o = Checked(options);
        return Gen.Sized(size => Gen.Choose(0, int.MaxValue).Select(seed => Sample(o, seed, size)));
    }

    /// <summary>
    /// <see cref="Samples"/> with the shrinker of <see cref="SegmentationSample.Shrink"/> (respecting the options'
    /// smallest batch and class count): what the kit's properties quantify over.
    /// </summary>
    public static Arbitrary<SegmentationSample> SampleArbitrary(SampleOptions? options = null)
    {
        var o = Checked(options);
        return Arb.From(Samples(o), s => s.Shrink(o.MinBatch, o.MinClasses));
    }

    /// <summary>The sample that <see cref="Samples"/> draws for a seed and size: replays a reported case exactly.</summary>
    public static SegmentationSample Sample(SampleOptions? options, int seed, int size)
    {
        var o = Checked(options);
        var random = new Random(seed);
        var shape = Shape(o, random, size);
        var notes = new List<string>();
        var labels = Labels(shape, o, random, notes);
        var logits = Logits(shape, labels, o, random, notes);
        var description = string.Create(CultureInfo.InvariantCulture, $"seed {seed}, size {size}; ") + string.Join("; ", notes);
        return new SegmentationSample(shape, labels, logits, description);
    }

    /// <summary>The one-hot encoding <c>(B, C, *spatial)</c> of labels <c>(B, *spatial)</c>, in double.</summary>
    public static double[] OneHot(SegmentationShape shape, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(labels);
        var output = new double[shape.Count];
        Utilities.OneHot.FromLabels<double>(labels, shape.LabelDims, shape.Classes, output);
        return output;
    }

    private static SampleOptions Checked(SampleOptions? options)
    {
        var o = options ?? SampleOptions.Default;
        o.Validate();
        return o;
    }

    private static int Grow(int min, int max, int size, Random random)
        => random.Next(min, Math.Max(min, min + (int)Math.Round((max - min) * Math.Clamp(size, 0, 100) / 100.0)) + 1);

    private static SegmentationShape Shape(SampleOptions o, Random random, int size)
    {
        int rank = o.Ranks[random.Next(o.Ranks.Length)];
        int batch = Grow(o.MinBatch, o.MaxBatch, size, random);
        int classes = Grow(o.MinClasses, o.MaxClasses, size, random);
        var spatial = Enumerable.Range(0, rank).Select(_ => Grow(o.SideMin(rank), o.SideMax(rank), size, random)).ToArray();
        return new SegmentationShape(batch, classes, spatial);
    }

    private static int[] Labels(SegmentationShape shape, SampleOptions o, Random random, List<string> notes)
    {
        int plane = shape.Plane;
        var labels = new int[shape.Batch * plane];
        var spatial = shape.Spatial;
        for (int b = 0; b < shape.Batch; b++)
        {
            var kind = shape.Classes < 2 ? ObjectKind.Empty : o.Objects[random.Next(o.Objects.Length)];
            var image = labels.AsSpan(b * plane, plane);
            switch (kind)
            {
                case ObjectKind.Blobs:
                    int count = random.Next(1, 4);
                    for (int i = 0; i < count; i++) Blob(image, spatial, random.Next(1, shape.Classes), random);
                    notes.Add($"image {b}: {count} blob(s)");
                    break;
                case ObjectKind.Tiny:
                    int k = random.Next(1, shape.Classes);
                    int pixels = Tiny(image, spatial, k, random);
                    notes.Add(string.Create(CultureInfo.InvariantCulture, $"image {b}: tiny object of class {k}, {pixels} px ({100.0 * pixels / plane:G3}%)"));
                    break;
                case ObjectKind.Full:
                    int full = random.Next(1, shape.Classes);
                    image.Fill(full);
                    notes.Add($"image {b}: class {full} everywhere");
                    break;
                default:
                    notes.Add($"image {b}: no object");
                    break;
            }
        }

        return labels;
    }

    /// <summary>An axis-aligned ellipsoid with a random centre and radii from half a pixel to half the side.</summary>
    private static void Blob(Span<int> image, int[] spatial, int k, Random random)
    {
        int rank = spatial.Length;
        var centre = spatial.Select(n => random.NextDouble() * n).ToArray();
        var radius = spatial.Select(n => 0.5 + (random.NextDouble() * Math.Max(0.5, (n / 2.0) - 0.5))).ToArray();
        var index = new int[rank];
        for (int s = 0; s < image.Length; s++)
        {
            int rest = s;
            for (int a = rank - 1; a >= 0; a--) { index[a] = rest % spatial[a]; rest /= spatial[a]; }
            double r = 0;
            for (int a = 0; a < rank; a++)
            {
                double d = (index[a] + 0.5 - centre[a]) / radius[a];
                r += d * d;
            }

            if (r <= 1) image[s] = k;
        }
    }

    /// <summary>A connected object of 1 … ⌊0.5% · |Ω|⌋ pixels grown by a random walk over face neighbours.</summary>
    private static int Tiny(Span<int> image, int[] spatial, int k, Random random)
    {
        int budget = Math.Max(1, (int)Math.Floor(0.005 * image.Length));
        int target = random.Next(1, budget + 1);
        int rank = spatial.Length;
        var strides = new int[rank];
        strides[rank - 1] = 1;
        for (int a = rank - 2; a >= 0; a--) strides[a] = strides[a + 1] * spatial[a + 1];
        var chosen = new HashSet<int> { random.Next(image.Length) };
        var order = new List<int>(chosen);
        for (int attempt = 0; chosen.Count < target && attempt < 50 * target; attempt++)
        {
            int from = order[random.Next(order.Count)];
            int axis = random.Next(rank);
            int step = random.Next(2) == 0 ? -1 : 1;
            int coordinate = (from / strides[axis]) % spatial[axis];
            if (coordinate + step < 0 || coordinate + step >= spatial[axis]) continue;
            int next = from + (step * strides[axis]);
            if (chosen.Add(next)) order.Add(next);
        }

        foreach (int s in chosen) image[s] = k;
        return chosen.Count;
    }

    private static double[] Logits(SegmentationShape shape, int[] labels, SampleOptions o, Random random, List<string> notes)
    {
        int plane = shape.Plane, classes = shape.Classes;
        var logits = new double[shape.Count];
        for (int b = 0; b < shape.Batch; b++)
        {
            var kind = o.Probabilities[random.Next(o.Probabilities.Length)];
            notes.Add($"image {b}: {kind} prediction");
            for (int s = 0; s < plane; s++)
            {
                int truth = labels[(b * plane) + s];
                switch (kind)
                {
                    case ProbabilityKind.NearOneHot:
                    {
                        int winner = random.Next(5) == 0 ? random.Next(classes) : truth;
                        for (int k = 0; k < classes; k++)
                            logits[shape.Index(b, k, s)] = (random.NextDouble() * 2) - 1 + (k == winner ? 12 : 0);
                        break;
                    }

                    case ProbabilityKind.Extreme:
                    {
                        int winner = random.Next(2) == 0 ? truth : random.Next(classes);
                        int mode = random.Next(4);
                        double gap = mode switch { 0 => 800, 1 => 40, _ => 0 };
                        for (int k = 0; k < classes; k++)
                        {
                            double noise = mode == 3 ? (random.NextDouble() * 6) - 3 : 0;
                            logits[shape.Index(b, k, s)] = noise + (k == winner ? gap : 0);
                        }

                        break;
                    }

                    default:
                        for (int k = 0; k < classes; k++) logits[shape.Index(b, k, s)] = (random.NextDouble() * 6) - 3;
                        break;
                }
            }
        }

        return logits;
    }
}
