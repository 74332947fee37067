using System;
using System.Linq;
using System.Numerics.Tensors;
using LossDsl.Distance;
using LossDsl.Utilities;

namespace LossDsl.Tests.Losses;

/// <summary>
/// A random segmentation problem derived from one integer seed (so FsCheck's counterexample replays with
/// <see cref="From"/>): softmax probabilities, a one-hot target from blocky labels, its signed maps and its
/// Hausdorff maps, in 2D or 3D, with B 1–3 and C 2–4.
/// </summary>
internal sealed record RandomSegmentation(int Seed, int[] Shape, double[] Probs, double[] Target, double[] Dist, double[] DistTarget, double[] DistPrediction, int[] Idc)
{
    public nint[] NShape => Shape.Select(n => (nint)n).ToArray();

    public int B => Shape[0];

    public int Plane => Shape.Skip(1).Aggregate(1, (a, b) => a * b);

    public ReadOnlyTensorSpan<double> Span(double[] data) => new(data, NShape);

    public static RandomSegmentation From(int seed)
    {
        var rng = new Random(seed);
        int b = rng.Next(1, 4), c = rng.Next(2, 5);
        int[] spatial = rng.Next(2) == 0 ? new[] { rng.Next(3, 9), rng.Next(3, 9) } : new[] { rng.Next(2, 5), rng.Next(2, 6), rng.Next(2, 6) };
        int[] shape = [b, c, .. spatial];
        int s = spatial.Aggregate(1, (x, y) => x * y);
        // Blocky labels: a coarse random grid upsampled, so that classes form regions with boundaries.
        var labels = new int[b * s];
        int cell = rng.Next(1, 3);
        var coarse = Enumerable.Range(0, b * s).Select(_ => rng.Next(c)).ToArray();
        for (int i = 0; i < b; i++)
        {
            for (int p = 0; p < s; p++)
            {
                int rest = p, key = 0;
                for (int a = spatial.Length - 1; a >= 0; a--)
                {
                    key = (key * 31) + ((rest % spatial[a]) / cell);
                    rest /= spatial[a];
                }

                labels[(i * s) + p] = coarse[(i * s) + (Math.Abs(key) % s)];
            }
        }

        int[] labelShape = [b, .. spatial];
        var target = new double[b * c * s];
        OneHot.FromLabels<double>(labels, labelShape, c, target);
        double scale = rng.NextDouble() * 4;
        var logits = Enumerable.Range(0, target.Length).Select(_ => (rng.NextDouble() * 2 - 1) * scale).ToArray();
        var probs = Softmax(logits, b, c, s);
        var dist = new double[target.Length];
        SignedDistance.FromLabels(labels, labelShape, c, default, dist);
        var (dt, dp) = HausdorffDistanceMaps.Compute(probs, target, shape);
        var idc = Enumerable.Range(0, c).Where(_ => rng.Next(2) == 0).ToArray();
        if (idc.Length == 0) idc = new[] { rng.Next(c) };
        return new RandomSegmentation(seed, shape, probs, target, dist, dt, dp, idc);
    }

    public static double[] Softmax(double[] logits, int b, int c, int s)
    {
        var probs = new double[logits.Length];
        for (int i = 0; i < b; i++)
        {
            for (int p = 0; p < s; p++)
            {
                double max = double.NegativeInfinity;
                for (int k = 0; k < c; k++) max = Math.Max(max, logits[(((i * c) + k) * s) + p]);
                double total = 0;
                for (int k = 0; k < c; k++) total += Math.Exp(logits[(((i * c) + k) * s) + p] - max);
                for (int k = 0; k < c; k++) probs[(((i * c) + k) * s) + p] = Math.Exp(logits[(((i * c) + k) * s) + p] - max) / total;
            }
        }

        return probs;
    }

    /// <summary>The batch items of <paramref name="data"/> reordered by <paramref name="order"/>.</summary>
    public double[] Permute(double[] data, int[] order)
    {
        var result = new double[data.Length];
        for (int i = 0; i < order.Length; i++) Array.Copy(data, order[i] * Plane, result, i * Plane, Plane);
        return result;
    }

    public override string ToString() => $"seed {Seed}: shape ({string.Join(", ", Shape)}), idc [{string.Join(", ", Idc)}] (replay with RandomSegmentation.From({Seed}))";
}
