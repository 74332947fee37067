using System;
using System.Diagnostics;
using System.Linq;
using LossDsl.Distance;

namespace LossDsl.Benchmarks;

/// <summary>A Stopwatch median (after warm-up), for quick checks: <c>dotnet run -c Release -- quick</c>.</summary>
internal static class QuickTiming
{
    public static void Run()
    {
        var vol = AnchorMasks.Load([128, 128, 128], 1, out _);
        var img = AnchorMasks.Load([256, 256], 16, out _);
        var vo = new float[vol.Length];
        var io = new float[img.Length];
        foreach (int t in new[] { 1, 2 })
        {
            Console.WriteLine($"threads {t}: volume {Median(() => SignedDistance.FromMask(vol, [128, 128, 128], [1, 1, 2.5], vo, SignedDistanceVariant.Reference, t)):F2} ms, " +
                $"16x256² {Median(() => SignedDistance.FromMasks(img, 16, [256, 256], default, io, SignedDistanceVariant.Reference, t)):F2} ms");
        }
    }

    private static double Median(Action a)
    {
        for (int i = 0; i < 20; i++) a();
        var times = Enumerable.Range(0, 15).Select(_ => { var sw = Stopwatch.StartNew(); a(); return sw.Elapsed.TotalMilliseconds; }).OrderBy(x => x).ToArray();
        return times[times.Length / 2];
    }
}
