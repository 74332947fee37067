using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;

namespace LossDsl.Benchmarks;

/// <summary>
/// The fastest of many single calls, round-robin over the benchmark loss, the streaming floor and the suite's fused
/// losses (<c>dotnet run -c Release -- cpu-min SHAPE ROUNDS [eager]</c>; with <c>eager</c>, each suite loss's TorchSharp
/// eager version too): on a shared machine other tenants only ever add time,
/// so the minimum of interleaved calls compares two builds better than a mean does. For A/B checks while working on
/// the compiler; the figures in docs/performance.md come from BenchmarkDotNet.
/// </summary>
internal static class MinTiming
{
    public static void Run(string shape, int rounds, bool withEager)
    {
        var loss = new CpuLossBenchmarks { Threads = 1 };
        loss.Setup();
        var work = new List<(string Name, Action Call)>
        {
            ("floor", loss.StreamingFloor),
            ("benchmark value", () => loss.ValueOnly()),
            ("benchmark value+grad", () => loss.ValueAndGradient()),
        };
        var suites = new List<Suite.CpuSuiteBenchmarks>();
        foreach (var name in Suite.SuiteInputs.Losses)
        {
            var suite = new Suite.CpuSuiteBenchmarks { Loss = name, Shape = shape };
            suite.Setup();
            suites.Add(suite);
            work.Add((name, () => suite.Fused()));
            if (withEager)
            {
                work.Add((name + " eager", () => suite.TorchSharpEager()));
            }
        }

        var times = work.Select(_ => new List<double>()).ToArray();
        for (var round = 0; round < rounds + 3; round++)
        {
            for (var i = 0; i < work.Count; i++)
            {
                var start = Stopwatch.GetTimestamp();
                work[i].Call();
                if (round >= 3)
                {
                    times[i].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
            }
        }

        for (var i = 0; i < work.Count; i++)
        {
            var sorted = times[i].OrderBy(t => t).ToList();
            Console.WriteLine($"{work[i].Name,-22} min {sorted[0],7:F2} ms  p20 {sorted[sorted.Count / 5],7:F2} ms");
        }

        suites.ForEach(s => s.Cleanup());
        loss.Cleanup();
    }
}
