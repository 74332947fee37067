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

    /// <summary>Median wall-clock milliseconds; also prints the median process CPU time, which is steadier on a busy machine.</summary>
    private static double Median(Action a)
    {
        for (int i = 0; i < 20; i++) a();
        var process = Process.GetCurrentProcess();
        var wall = new double[15];
        var cpu = new double[15];
        for (int i = 0; i < wall.Length; i++)
        {
            process.Refresh();
            var c0 = process.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            a();
            wall[i] = sw.Elapsed.TotalMilliseconds;
            process.Refresh();
            cpu[i] = (process.TotalProcessorTime - c0).TotalMilliseconds;
        }
        Array.Sort(wall);
        Array.Sort(cpu);
        Console.Write($"[cpu {cpu[cpu.Length / 2]:F1} ms] ");
        return wall[wall.Length / 2];
    }
}
