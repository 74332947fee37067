using System;

namespace LossDsl.Cli.Demo;

/// <summary>
/// One split of the demo's data set, as flat C-order arrays: images <c>(N, 1, S, S)</c> normalised to zero mean and
/// unit variance, and foreground masks <c>(N, S, S)</c>. Training batches (crops, flips, rotations), their one-hot
/// targets and signed distance maps are made from these per batch (<see cref="BatchAugmenter"/>).
/// </summary>
internal sealed class DemoSplit
{
    public required string Name { get; init; }
    public required int Count { get; init; }
    public required int Size { get; init; }
    public required float[] Images { get; init; }
    public required byte[] Masks { get; init; }

    /// <summary>The fraction of foreground pixels over the split.</summary>
    public double ForegroundFraction
    {
        get
        {
            long count = 0;
            foreach (byte b in Masks)
                count += b;
            return (double)count / Masks.Length;
        }
    }

    /// <summary>How many images have no foreground at all.</summary>
    public int EmptyImages
    {
        get
        {
            int pixels = Size * Size, empty = 0;
            for (int i = 0; i < Count; i++)
            {
                if (Masks.AsSpan(i * pixels, pixels).IndexOf((byte)1) < 0)
                    empty++;
            }
            return empty;
        }
    }
}

/// <summary>
/// The demo's synthetic, highly unbalanced segmentation task, made deterministically from a seed: small irregular
/// bright objects (≈ 0.5 % of the pixels, a quarter of the images have none) on a textured, noisy background that also
/// holds look-alike distractors with the objects' brightness, not labelled: thin streaks, tiny specks and elongated
/// ellipses of an object's area. A net must use shape, not brightness, to tell them apart; spurious detections far from
/// the object are what the boundary loss penalises and what HD95 measures.
/// </summary>
internal static class SyntheticData
{
    private const ulong TrainStream = 1, ValidationStream = 2;

    /// <summary>At most this many elongated look-alikes per image.</summary>
    private const int MaxEllipses = 2;

    /// <summary>Makes the training and validation splits (no distance maps: those are made per augmented batch).</summary>
    public static (DemoSplit Train, DemoSplit Validation) Make(int seed, int size, int trainCount, int validationCount, DataSpec? spec = null)
    {
        spec ??= DataSpec.Default;
        return (MakeSplit("train", seed, TrainStream, size, trainCount, spec), MakeSplit("validation", seed, ValidationStream, size, validationCount, spec));
    }

    private static DemoSplit MakeSplit(string name, int seed, ulong stream, int size, int count, DataSpec spec)
    {
        int pixels = size * size;
        var images = new float[count * pixels];
        var masks = new byte[count * pixels];
        for (int i = 0; i < count; i++)
        {
            var random = DemoRandom.For(seed, stream, (ulong)i);
            DrawImage(random, spec, size, images.AsSpan(i * pixels, pixels), masks.AsSpan(i * pixels, pixels));
        }

        // Normalise with fixed constants (not the split's own statistics) so that train and validation match.
        for (int i = 0; i < images.Length; i++)
            images[i] = (images[i] - 0.42f) / 0.12f;

        return new DemoSplit { Name = name, Count = count, Size = size, Images = images, Masks = masks };
    }

    /// <summary>One image and its mask. Intensities are roughly in [0, 1].</summary>
    private static void DrawImage(DemoRandom random, DataSpec spec, int size, Span<float> image, Span<byte> mask)
    {
        double scale = size / 64.0;
        double contrastLow = spec.Contrast * 0.85, contrastHigh = spec.Contrast * 1.15;

        // Background: a few oriented waves (texture), a coarse smooth noise field (illumination), white noise.
        var waves = new (double Fx, double Fy, double Phase, double Amplitude)[3];
        for (int k = 0; k < waves.Length; k++)
        {
            double angle = random.Uniform(0, Math.PI);
            double frequency = random.Uniform(2, 9) * 2 * Math.PI / size;
            waves[k] = (frequency * Math.Cos(angle), frequency * Math.Sin(angle), random.Uniform(0, 2 * Math.PI), random.Uniform(0.03, 0.07));
        }
        const int grid = 5;
        var coarse = new double[grid * grid];
        for (int k = 0; k < coarse.Length; k++)
            coarse[k] = random.Gaussian() * 0.06;
        double baseLevel = random.Uniform(0.32, 0.42);
        for (int y = 0; y < size; y++)
        {
            for (int x = 0; x < size; x++)
            {
                double v = baseLevel + Bilinear(coarse, grid, x * (grid - 1.0) / (size - 1), y * (grid - 1.0) / (size - 1));
                foreach (var (fx, fy, phase, amplitude) in waves)
                    v += amplitude * Math.Sin((fx * x) + (fy * y) + phase);
                image[(y * size) + x] = (float)v;
            }
        }

        // Objects: none in a quarter of the images, otherwise one (sometimes two) irregular blobs.
        double roll = random.NextDouble();
        int objects = roll < 0.25 ? 0 : roll < 0.85 ? 1 : 2;
        for (int o = 0; o < objects; o++)
        {
            double radius = random.Uniform(0.8 * spec.Radius, 1.2 * spec.Radius) * scale;
            double cx = random.Uniform(radius + 2, size - radius - 2);
            double cy = random.Uniform(radius + 2, size - radius - 2);
            var harmonics = new (double Amplitude, double Phase)[4];
            for (int k = 0; k < harmonics.Length; k++)
                harmonics[k] = (random.Uniform(0, 0.22), random.Uniform(0, 2 * Math.PI));
            double contrast = random.Uniform(contrastLow, contrastHigh);
            // A fuzzy border: the added brightness ramps linearly from full to none over spec.Blur pixels across the
            // labelled border (half of it at the border itself), so the edge is not visible to the pixel.
            double halfRamp = spec.Blur / 2;
            int reach = (int)Math.Ceiling((radius * 1.9) + halfRamp) + 1;
            for (int y = Math.Max(0, (int)cy - reach); y <= Math.Min(size - 1, (int)cy + reach); y++)
            {
                for (int x = Math.Max(0, (int)cx - reach); x <= Math.Min(size - 1, (int)cx + reach); x++)
                {
                    double dx = x - cx, dy = y - cy;
                    double theta = Math.Atan2(dy, dx);
                    double r = radius;
                    for (int k = 0; k < harmonics.Length; k++)
                        r += radius * harmonics[k].Amplitude * Math.Cos(((k + 2) * theta) + harmonics[k].Phase);
                    double d = Math.Sqrt((dx * dx) + (dy * dy));
                    if (d <= r)
                        mask[(y * size) + x] = 1;
                    double weight = halfRamp > 0 ? Math.Clamp(0.5 + ((r - d) / spec.Blur), 0, 1) : d <= r ? 1 : 0;
                    image[(y * size) + x] += (float)(contrast * weight);
                }
            }
        }

        // Distractors, not labelled: thin streaks (1 px wide segments) and specks (1–3 px) as bright as the objects.
        int streaks = random.Next(1, 4);
        for (int s = 0; s < streaks; s++)
        {
            double length = random.Uniform(6, 14) * scale;
            double angle = random.Uniform(0, Math.PI);
            double x0 = random.Uniform(0, size), y0 = random.Uniform(0, size);
            double contrast = random.Uniform(contrastLow, contrastHigh);
            int steps = (int)Math.Ceiling(length * 2);
            int previous = -1;
            for (int t = 0; t <= steps; t++)
            {
                int x = (int)Math.Round(x0 + (Math.Cos(angle) * length * t / steps));
                int y = (int)Math.Round(y0 + (Math.Sin(angle) * length * t / steps));
                int at = (y * size) + x;
                if (x < 0 || y < 0 || x >= size || y >= size || at == previous || mask[at] != 0)
                    continue;
                image[at] += (float)contrast;
                previous = at;
            }
        }
        int specks = random.Next(1, 4);
        for (int s = 0; s < specks; s++)
        {
            int x = random.Next(0, size - 1), y = random.Next(0, size - 1);
            double contrast = random.Uniform(contrastLow, contrastHigh);
            int width = random.Next(1, 3), height = random.Next(1, 3);
            for (int yy = y; yy < Math.Min(size, y + height); yy++)
            {
                for (int xx = x; xx < Math.Min(size, x + width); xx++)
                {
                    if (mask[(yy * size) + xx] == 0)
                        image[(yy * size) + xx] += (float)contrast;
                }
            }
        }

        // Elongated look-alikes: ellipses with the objects' area and brightness but 3–4× longer than wide.
        int ellipses = random.Next(0, MaxEllipses + 1);
        for (int e = 0; e < ellipses; e++)
        {
            double radius = random.Uniform(0.8 * spec.Radius, 1.2 * spec.Radius) * scale;
            double aspect = random.Uniform(3, 4);
            double a = radius * Math.Sqrt(aspect), b = radius / Math.Sqrt(aspect);
            double angle = random.Uniform(0, Math.PI);
            double cx = random.Uniform(a, size - a), cy = random.Uniform(a, size - a);
            double contrast = random.Uniform(contrastLow, contrastHigh);
            int reach = (int)Math.Ceiling(a) + 1;
            for (int y = Math.Max(0, (int)cy - reach); y <= Math.Min(size - 1, (int)cy + reach); y++)
            {
                for (int x = Math.Max(0, (int)cx - reach); x <= Math.Min(size - 1, (int)cx + reach); x++)
                {
                    double u = ((x - cx) * Math.Cos(angle)) + ((y - cy) * Math.Sin(angle));
                    double v = (-(x - cx) * Math.Sin(angle)) + ((y - cy) * Math.Cos(angle));
                    if (((u * u) / (a * a)) + ((v * v) / (b * b)) <= 1 && mask[(y * size) + x] == 0)
                        image[(y * size) + x] += (float)contrast;
                }
            }
        }

        // Sensor noise last, over everything.
        for (int p = 0; p < image.Length; p++)
            image[p] += (float)(random.Gaussian() * spec.Noise);
    }

    private static double Bilinear(double[] grid, int n, double gx, double gy)
    {
        int x0 = Math.Min((int)gx, n - 2), y0 = Math.Min((int)gy, n - 2);
        double fx = gx - x0, fy = gy - y0;
        double top = (grid[(y0 * n) + x0] * (1 - fx)) + (grid[(y0 * n) + x0 + 1] * fx);
        double bottom = (grid[((y0 + 1) * n) + x0] * (1 - fx)) + (grid[((y0 + 1) * n) + x0 + 1] * fx);
        return (top * (1 - fy)) + (bottom * fy);
    }
}
