using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using LossDsl.IO;

namespace LossDsl.Benchmarks;

/// <summary>
/// The masks that <c>anchors.py edt</c> times (three random discs/balls from <c>numpy.random.default_rng(0)</c>):
/// <c>anchors.py masks</c> draws them from the same seeded sequence, so we ask it to write them once and load them.
/// Without Python/scipy we fall back to masks of the same kind from a seeded <see cref="Random"/> (say so in reports).
/// </summary>
internal static class AnchorMasks
{
    public static string Anchors => Environment.GetEnvironmentVariable("LOSSDSL_ANCHORS") ?? "/work/shared/bench/anchors.py";

    public static byte[] Load(int[] shape, int count, out bool fromAnchors)
    {
        string dir = Path.Combine(Path.GetTempPath(), "lossdsl-anchor-masks", string.Join("x", shape) + "_" + count);
        if (!File.Exists(Path.Combine(dir, $"mask_{count - 1}.npy")) && File.Exists(Anchors) && File.Exists("/usr/bin/python3"))
        {
            using var p = Process.Start(new ProcessStartInfo("/usr/bin/python3", [Anchors, "masks", "--shape", string.Join(",", shape), "--count", count.ToString(), "--out", dir]) { RedirectStandardOutput = true });
            p!.WaitForExit();
        }
        int n = shape.Aggregate(1, (a, b) => a * b);
        var all = new byte[n * count];
        fromAnchors = File.Exists(Path.Combine(dir, $"mask_{count - 1}.npy"));
        var rng = new Random(0);
        for (int i = 0; i < count; i++)
        {
            var mask = fromAnchors ? Npy.Read(Path.Combine(dir, $"mask_{i}.npy")).ToByte() : Balls(shape, rng);
            mask.CopyTo(all, i * n);
        }
        return all;
    }

    /// <summary>anchors.py's <c>random_mask</c> with a .NET random source.</summary>
    private static byte[] Balls(int[] shape, Random rng)
    {
        int n = shape.Aggregate(1, (a, b) => a * b);
        var mask = new byte[n];
        for (int blob = 0; blob < 3; blob++)
        {
            var c = shape.Select(s => rng.NextDouble() * s).ToArray();
            double r = 3 + rng.NextDouble() * (shape.Min() / 6.0 - 3);
            for (int i = 0; i < n; i++)
            {
                long rest = i;
                double d2 = 0;
                for (int a = shape.Length - 1; a >= 0; a--)
                {
                    double d = rest % shape[a] - c[a];
                    d2 += d * d;
                    rest /= shape[a];
                }
                if (d2 < r * r) mask[i] = 1;
            }
        }
        return mask;
    }
}
