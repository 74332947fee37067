using System;
using System.IO;
using System.Linq;
using Xunit;

namespace LossDsl.Generators.Tests.Differential;

/// <summary>
/// The random losses that <c>tests/LossDsl.Tests/Torch/RandomLosses.cs</c> declares for the TorchSharp half of the
/// differential test (that project has libtorch; this one does not): the same grammar as
/// <see cref="DifferentialTests"/>, seeds 1–<see cref="Count"/>. The checked-in file must be what the grammar writes
/// today; <c>LOSSDSL_UPDATE_SNAPSHOTS=1</c> rewrites it.
/// </summary>
public sealed class TorchRandomLossesFileTests
{
    /// <summary>How many random losses the TorchSharp differential test runs (each on two paths, two shapes).</summary>
    public const int Count = 120;

    [Fact]
    public void The_TorchSharp_differential_test_declares_the_random_losses_of_the_grammar()
    {
        var losses = Enumerable.Range(1, Count).Select(RandomLossSource.Make).ToList();
        var expected = "// Written by LossDsl.Generators.Tests (TorchRandomLossesFileTests) from RandomLossSource, seeds 1–" + Count + ":\n"
            + "// the random losses of the differential test, for its TorchSharp half. Regenerate with LOSSDSL_UPDATE_SNAPSHOTS=1.\n"
            + "using LossDsl;\nusing static LossDsl.Dsl;\n\nnamespace LossDsl.Tests.Differential;\n\npublic static partial class RandomLosses\n{\n"
            + RandomLossSource.Helper + "\n\n" + string.Join("\n", losses.Select(l => l.Declaration)) + "}\n";
        var path = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "LossDsl.Tests", "Torch", "RandomLosses.cs"));
        if (Environment.GetEnvironmentVariable("LOSSDSL_UPDATE_SNAPSHOTS") == "1")
        {
            File.WriteAllText(path, expected);
            return;
        }

        Assert.True(File.Exists(path), $"no {path}; run this test with LOSSDSL_UPDATE_SNAPSHOTS=1 to write it");
        Assert.True(File.ReadAllText(path).Replace("\r\n", "\n") == expected,
            $"{path} is not what the random-loss grammar writes today; run this test with LOSSDSL_UPDATE_SNAPSHOTS=1 to rewrite it");
    }
}
