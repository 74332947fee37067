using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using FsCheck;
using Microsoft.FSharp.Core;

namespace LossDsl.Testing;

/// <summary>
/// Runs the kit's properties outside FsCheck.Xunit (any test framework, or a console): throws on the first failure
/// with FsCheck's report (the shrunk sample, the violation, and the seed to replay it).
/// </summary>
public static class LossCheck
{
    /// <summary>
    /// Checks <paramref name="property"/> on <paramref name="maxTest"/> samples; on failure FsCheck shrinks the sample
    /// and throws with the smallest failing one and the seed, e.g. <c>(123,456)</c>. Pass that string as
    /// <paramref name="replay"/> to rerun exactly that case; with <paramref name="replay"/> null a random seed is used.
    /// </summary>
    /// <exception cref="Exception">The property failed (FsCheck's exception; its message has the report).</exception>
    /// <exception cref="FormatException"><paramref name="replay"/> is not "(seed,gamma)" or "(seed,gamma,size)".</exception>
    public static void Run(Property property, int maxTest = 100, string? replay = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(property);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTest, 1);
        var config = Config.QuickThrowOnFailure.WithMaxTest(maxTest).WithQuietOnSuccess(true);
        if (replay is not null) config = config.WithReplay(FSharpOption<Replay>.Some(ParseReplay(replay)));
        if (name is not null) config = config.WithName(name);
        Check.One(config, property);
    }

    /// <summary>
    /// Runs every property that applies to <paramref name="loss"/> (CPU = TorchSharp when it has a TorchSharp form,
    /// gradient = finite differences when it has a CPU gradient, minimum at the ground truth when it has a
    /// probabilities field, batch-permutation invariance, finite at extreme inputs) and throws one exception listing
    /// every failure.
    /// </summary>
    /// <exception cref="AggregateException">One or more properties failed.</exception>
    public static void All(LossUnderTest loss, int maxTest = 100)
    {
        ArgumentNullException.ThrowIfNull(loss);
        var failures = new List<Exception>();
        foreach (var (name, property) in Applicable(loss))
        {
            try { Run(property, maxTest, name: $"{loss.Name}: {name}"); }
            catch (Exception e) { failures.Add(new LossPropertyException($"{loss.Name} fails {name}:{Environment.NewLine}{e.Message}")); }
        }

        if (failures.Count > 0) throw new AggregateException($"{loss.Name} fails {failures.Count} propert{(failures.Count == 1 ? "y" : "ies")}.", failures);
    }

    /// <summary>The properties that apply to a loss, by name (see <see cref="All"/>).</summary>
    public static IReadOnlyList<(string Name, Property Property)> Applicable(LossUnderTest loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        var list = new List<(string, Property)>();
        if (loss.Torch is not null) list.Add((nameof(LossProperties.CpuMatchesTorch), LossProperties.CpuMatchesTorch(loss)));
        if (loss.Gradient is not null && loss.DifferentiatedFields.Length > 0)
            list.Add((nameof(LossProperties.GradientMatchesFiniteDifferences), LossProperties.GradientMatchesFiniteDifferences(loss)));
        if (loss.Roles.Contains(FieldRole.Probabilities)) list.Add((nameof(LossProperties.MinimumAtGroundTruth), LossProperties.MinimumAtGroundTruth(loss)));
        list.Add((nameof(LossProperties.BatchPermutationInvariant), LossProperties.BatchPermutationInvariant(loss)));
        list.Add((nameof(LossProperties.FiniteForExtremeInputs), LossProperties.FiniteForExtremeInputs(loss)));
        return list;
    }

    /// <summary>Parses FsCheck's "(seed,gamma)" or "(seed,gamma,size)" replay string.</summary>
    /// <exception cref="FormatException">Not in that form.</exception>
    public static Replay ParseReplay(string replay)
    {
        ArgumentNullException.ThrowIfNull(replay);
        var parts = replay.Trim().TrimStart('(').TrimEnd(')').Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length is < 2 or > 3
            || !ulong.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out ulong seed)
            || !ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out ulong gamma))
            throw new FormatException($"Expected FsCheck's replay form \"(seed,gamma)\" or \"(seed,gamma,size)\"; got \"{replay}\".");
        FSharpOption<int> size = FSharpOption<int>.None;
        if (parts.Length == 3)
        {
            if (!int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out int s))
                throw new FormatException($"The size in \"{replay}\" is not an integer.");
            size = FSharpOption<int>.Some(s);
        }

        return new Replay(new Rnd(seed, gamma), size);
    }
}
