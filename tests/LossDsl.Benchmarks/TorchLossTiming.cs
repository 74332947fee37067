using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Runtime.InteropServices;
using TorchSharp;

namespace LossDsl.Benchmarks;

/// <summary>
/// The <see cref="TorchLossBenchmarks"/> workload timed by hand, for a busy shared machine:
/// <c>dotnet run -c Release --project tests/LossDsl.Benchmarks -- torch [reps]</c>. Eager and fused calls alternate
/// (so both see the same load), after a warm-up long enough for tiered compilation; prints the median and minimum
/// wall time and, on Linux, the calling thread's CPU time (libtorch runs on the calling thread with one intra-op
/// thread, forward and backward), which other processes disturb much less than wall time.
/// </summary>
internal static class TorchLossTiming
{
    private const int ClockThreadCpuTime = 3;

    public static void Run(int reps)
    {
        var bench = new TorchLossBenchmarks();
        bench.Setup();
        var variants = new (string Name, Func<double> Run)[]
        {
            ("TorchSharp eager", bench.EagerTorchSharp),
            ("fused generated", bench.FusedGenerated),
            ("fused, passes forced", bench.FusedPasses),
            ("fused, ATen only", bench.FusedAtenPath),
        };
        var wall = variants.Select(_ => new List<double>()).ToArray();
        var cpu = variants.Select(_ => new List<double>()).ToArray();
        var faults = variants.Select(_ => new List<double>()).ToArray();
        var system = variants.Select(_ => new List<double>()).ToArray();
        var ratios = new List<double>();
        for (var r = -30; r < reps; r++)
        {
            var thisRound = new double[variants.Length];
            for (var k = 0; k < variants.Length; k++)
            {
                bench.ClearGradient();
                var u0 = ThreadUsage();
                var c0 = ThreadCpuMs();
                var sw = Stopwatch.StartNew();
                variants[k].Run();
                var elapsed = sw.Elapsed.TotalMilliseconds;
                var used = ThreadCpuMs() - c0;
                var u1 = ThreadUsage();
                thisRound[k] = used;
                if (r >= 0)
                {
                    wall[k].Add(elapsed);
                    cpu[k].Add(used);
                    faults[k].Add(u1.MinorFaults - u0.MinorFaults);
                    system[k].Add(u1.SystemMs - u0.SystemMs);
                }
            }

            if (r >= 0)
            {
                ratios.Add(thisRound[0] / thisRound[1]);
            }
        }

        bench.Cleanup();
        Console.WriteLine($"GDL + boundary on softmax(logits), (8, 4, 256, 256) float32, 1 thread, {reps} alternating rounds after 30 warm-up rounds");
        for (var k = 0; k < variants.Length; k++)
        {
            Console.WriteLine($"{variants[k].Name,-18} wall median {Median(wall[k]),7:F2} ms (min {wall[k].Min(),6:F2})   thread CPU median {Median(cpu[k]),7:F2} ms (min {cpu[k].Min(),6:F2}), of which system {Median(system[k]),5:F2} ms; minor page faults per call: median {Median(faults[k]):F0}");
        }

        Console.WriteLine($"eager/fused: ratio of CPU medians {Median(cpu[0]) / Median(cpu[1]):F2}, median of per-round CPU ratios {Median(ratios):F2}, ratio of wall medians {Median(wall[0]) / Median(wall[1]):F2}");
        Console.WriteLine($"eager/(fused, ATen only): ratio of CPU medians {Median(cpu[0]) / Median(cpu[2]):F2}");
    }

    /// <summary>
    /// One variant (<c>eager</c>, <c>fused</c>, <c>passes</c>, <c>aten</c>) <paramref name="calls"/> times and nothing
    /// else, for a sampling profiler (<c>perf record … torch-repeat passes 200</c>), or to time a variant the way a
    /// training loop runs it, without the other variants' allocations in between.
    /// </summary>
    public static void Repeat(string variant, int calls)
    {
        var bench = new TorchLossBenchmarks();
        bench.Setup();
        Func<double> run = variant switch
        {
            "eager" => bench.EagerTorchSharp,
            "fused" => bench.FusedGenerated,
            "passes" => bench.FusedPasses,
            "aten" => bench.FusedAtenPath,
            _ => throw new ArgumentException($"unknown variant '{variant}' (eager, fused, passes, aten)", nameof(variant)),
        };
        var summary = TimeAlone(() => run(), calls, before: bench.ClearGradient);
        bench.Cleanup();
        Console.WriteLine($"{variant}: {summary}");
    }

    /// <summary>
    /// Calls <paramref name="step"/> <paramref name="calls"/> times (<paramref name="before"/>, untimed, ahead of each)
    /// and summarises the calls after the first fifth, the warm-up: the calling thread's CPU time and minor page faults
    /// per call. A fault is a fresh 4 KiB page, so the faults are the fresh memory a call touches.
    /// </summary>
    internal static string TimeAlone(Action step, int calls, Action? before = null)
    {
        var cpu = new List<double>();
        var faults = new List<double>();
        for (var i = 0; i < calls; i++)
        {
            before?.Invoke();
            var u0 = ThreadUsage();
            var c0 = ThreadCpuMs();
            step();
            var c1 = ThreadCpuMs();
            var u1 = ThreadUsage();
            if (i >= calls / 5)
            {
                cpu.Add(c1 - c0);
                faults.Add(u1.MinorFaults - u0.MinorFaults);
            }
        }

        var pages = Median(faults);
        return $"thread CPU median {Median(cpu):F2} ms (min {cpu.DefaultIfEmpty().Min():F2}); minor faults per call median {pages:F0} (≈ {pages * 4 / 1024:F1} MiB fresh)";
    }

    private static double Median(List<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[sorted.Length / 2];
    }

    /// <summary>The calling thread's CPU time (CLOCK_THREAD_CPUTIME_ID); NaN off Linux.</summary>
    private static double ThreadCpuMs()
    {
        if (!OperatingSystem.IsLinux())
        {
            return double.NaN;
        }

        clock_gettime(ClockThreadCpuTime, out var t);
        return t.Seconds * 1e3 + t.Nanoseconds / 1e6;
    }

    /// <summary>The calling thread's minor page faults and system CPU time (getrusage(RUSAGE_THREAD)); zeros off Linux.</summary>
    private static (double MinorFaults, double SystemMs) ThreadUsage()
    {
        if (!OperatingSystem.IsLinux())
        {
            return (0, 0);
        }

        var usage = new long[18];
        getrusage(1, usage);

        // struct rusage: ru_utime, ru_stime (timeval: seconds, microseconds), then ru_maxrss … with ru_minflt 5th.
        return (usage[8], usage[2] * 1e3 + usage[3] / 1e3);
    }

    [DllImport("libc", SetLastError = false)]
    private static extern int getrusage(int who, [Out] long[] usage);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", SetLastError = false)]
    private static extern int clock_gettime(int clock, out TimeSpec time);
}
