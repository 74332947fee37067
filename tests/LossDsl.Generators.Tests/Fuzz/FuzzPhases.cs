using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Linq;

namespace LossDsl.Generators.Tests.Fuzz;

/// <summary>
/// Where a fuzz run's time goes, by phase (parsing, the validity pass, the generator, diagnostics, emit, loading, the
/// value check), summed over the worker threads: the run prints it so that a slow CI run says which phase to look at
/// (the phases run on every core at once, so their sum is about cores × wall time; on a loaded machine it also counts
/// time a thread waited for a core). Process-wide: fuzz regression tests running alongside add to the sums.
/// </summary>
internal static class FuzzPhases
{
    private static readonly ConcurrentDictionary<string, long> Ticks = new();

    /// <summary>Times <paramref name="work"/> under <paramref name="phase"/>.</summary>
    public static T Time<T>(string phase, Func<T> work)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            return work();
        }
        finally
        {
            var elapsed = Stopwatch.GetTimestamp() - start;
            Ticks.AddOrUpdate(phase, elapsed, (_, sum) => sum + elapsed);
        }
    }

    public static void Reset() => Ticks.Clear();

    /// <summary>One line: each phase's seconds, largest first.</summary>
    public static string Report() =>
        string.Join(", ", Ticks.OrderByDescending(p => p.Value)
            .Select(p => p.Key + " " + ((double)p.Value / Stopwatch.Frequency).ToString("0.0", CultureInfo.InvariantCulture) + " s"));
}
