using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;
using Xunit.Sdk;

namespace LossDsl.Generators.Tests.Differential;

/// <summary>
/// The differential test of the compiler: random losses (<see cref="RandomLossSource"/>) compiled by the generator,
/// their generated CPU code run in float and double on 2-D and 3-D fields of odd sizes, and compared with the IR
/// interpreter (value and gradients, in double) and with central finite differences (smooth losses). Every loss is
/// also run with only its first gradient wanted and value-only (the same program must give the same bits), and
/// one loss in eight on a field large enough for two threads (the bits must not depend on the thread count).
/// 500 losses per run; <c>LOSSDSL_DIFFERENTIAL_LOSSES</c> asks for more, <c>LOSSDSL_DIFFERENTIAL_SEED</c> moves the
/// range. A failure prints the loss's source and seed.
/// </summary>
/// <remarks>The checks and their tolerances are <see cref="LossCheck"/>'s (shared with the fuzzer).</remarks>
public sealed class DifferentialTests
{
    private const int BatchSize = 50;

    private static int LossCount => int.TryParse(Environment.GetEnvironmentVariable("LOSSDSL_DIFFERENTIAL_LOSSES"), out var n) ? n : 500;

    private static int FirstSeed => int.TryParse(Environment.GetEnvironmentVariable("LOSSDSL_DIFFERENTIAL_SEED"), out var s) ? s : 1;

    [Fact]
    public void Random_losses_compute_what_the_interpreter_computes() =>
        Check(Enumerable.Range(FirstSeed, LossCount).ToList());

    /// <summary>
    /// Seeds that once failed outside the CI range, replayed on every run. 400177: <c>Sum(MaxBatch(MaxClasses(h·f0) /
    /// (1 + Square(MaxBatch(f1)))))</c> — a mask saved by pass 3 for pass 4 was written only when ∂L/∂f1 was wanted,
    /// though pass 4 ran (and read it) for ∂L/∂f0 too: a call wanting only ∂L/∂f0 got a wrong gradient.
    /// </summary>
    [Fact]
    public void Random_losses_that_once_failed_compute_what_the_interpreter_computes() =>
        Check(new List<int> { 400177 });

    private static void Check(List<int> seeds)
    {
        var failures = new List<string>();
        for (var start = 0; start < seeds.Count; start += BatchSize)
        {
            var losses = seeds.Skip(start).Take(BatchSize).Select(RandomLossSource.Make).ToList();
            CompiledLosses compiled;
            try
            {
                compiled = CompiledLosses.Compile(losses);
            }
            catch (XunitException e)
            {
                failures.Add($"seeds {losses[0].Seed}–{losses[^1].Seed}: {e.Message}");
                continue;
            }

            foreach (var loss in losses)
            {
                try
                {
                    new LossCheck(compiled.Loss(loss.Name), loss.Seed, new LossCheckOptions(Float: true, Threads: loss.Seed % 8 == 0, Smooth: loss.Smooth)).Run();
                }
                catch (Exception e) when (e is XunitException or ArgumentException or InvalidOperationException or IndexOutOfRangeException or NullReferenceException)
                {
                    failures.Add($"seed {loss.Seed}: {e.GetType().Name}: {e.Message}\n{RandomLossSource.Helper}\n{loss.Declaration}");
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {seeds.Count} random losses failed; the first ones:\n\n" + string.Join("\n\n", failures.Take(5)));
    }
}
