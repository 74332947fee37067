using System;
using System.Collections.Generic;
using System.Linq;

namespace LossDsl.Benchmarks.Suite;

/// <summary>
/// One suite loss through TorchSharp, one variant alone, as a training loop runs it
/// (<c>dotnet run -c Release -- torch-suite LOSS SHAPE VARIANT CALLS</c>; <c>scripts/torch-suite.sh</c> runs them all,
/// one process each, with the default allocator and without page faults): thread CPU time and minor page faults per
/// forward + backward, after a fifth of the calls as warm-up. A fault is a fresh 4 KiB page, so the faults per call
/// are the fresh memory a call touches (issue 13).
/// </summary>
internal static class TorchSuiteTiming
{
    public static void Run(string loss, string shape, string variant, int calls)
    {
        var suite = new TorchSuiteBenchmarks { Loss = loss, Shape = shape };
        suite.Setup();
        Func<float> step = variant switch
        {
            "eager" => suite.TorchSharpEager,
            "generated" => suite.FusedAsGenerated,
            "passes" => suite.FusedPasses,
            "aten" => suite.FusedWithoutPasses,
            _ => throw new ArgumentException($"unknown variant '{variant}' (eager, generated, passes, aten)", nameof(variant)),
        };
        var cpu = new List<double>();
        var faults = new List<double>();
        for (var i = 0; i < calls; i++)
        {
            var u0 = TorchLossTiming.ThreadUsage();
            var c0 = TorchLossTiming.ThreadCpuMs();
            step();
            var c1 = TorchLossTiming.ThreadCpuMs();
            var u1 = TorchLossTiming.ThreadUsage();
            if (i >= calls / 5)
            {
                cpu.Add(c1 - c0);
                faults.Add(u1.MinorFaults - u0.MinorFaults);
            }
        }

        suite.Cleanup();
        var pages = TorchLossTiming.Median(faults);
        Console.WriteLine($"{loss} {shape} {variant}: thread CPU median {TorchLossTiming.Median(cpu):F2} ms (min {cpu.Min():F2}); minor faults per call median {pages:F0} (≈ {pages * 4 / 1024:F1} MiB fresh)");
    }
}
