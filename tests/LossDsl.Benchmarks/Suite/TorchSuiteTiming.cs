using System;

namespace LossDsl.Benchmarks.Suite;

/// <summary>
/// One suite loss through TorchSharp, one variant alone, as a training loop runs it
/// (<c>dotnet run -c Release -- torch-suite LOSS SHAPE VARIANT CALLS</c>; <c>scripts/torch-suite.sh</c> runs them all,
/// one process each, with the default allocator and without page faults): thread CPU time and fresh memory per
/// forward + backward (<see cref="TorchLossTiming.TimeAlone"/>; issue 13).
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
        var summary = TorchLossTiming.TimeAlone(() => step(), calls);
        suite.Cleanup();
        Console.WriteLine($"{loss} {shape} {variant}: {summary}");
    }
}
