using System;
using System.IO;
using Xunit;

namespace LossDsl.Generators.Tests.Harness;

/// <summary>
/// Compares generated text with a checked-in baseline under <c>Snapshots/</c>, so that a change in the generated code
/// (and in its readability) shows up in review. Set <c>LOSSDSL_UPDATE_SNAPSHOTS=1</c> to rewrite the baselines.
/// </summary>
internal static class Snapshot
{
    public static void Matches(string relativePath, string actual)
    {
        actual = actual.Replace("\r\n", "\n");
        var source = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "Snapshots", relativePath));
        if (Environment.GetEnvironmentVariable("LOSSDSL_UPDATE_SNAPSHOTS") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(source)!);
            File.WriteAllText(source, actual);
            return;
        }

        var copied = Path.Combine(AppContext.BaseDirectory, "Snapshots", relativePath);
        Assert.True(File.Exists(copied), $"no baseline at {source}; run the tests with LOSSDSL_UPDATE_SNAPSHOTS=1 to create it");
        var expected = File.ReadAllText(copied).Replace("\r\n", "\n");
        if (expected != actual)
        {
            // Show the first differing line rather than two whole files.
            var e = expected.Split('\n');
            var a = actual.Split('\n');
            for (var i = 0; i < Math.Max(e.Length, a.Length); i++)
            {
                var el = i < e.Length ? e[i] : "<end of file>";
                var al = i < a.Length ? a[i] : "<end of file>";
                Assert.True(el == al, $"{relativePath} differs from its baseline at line {i + 1}:\n  baseline: {el}\n  actual:   {al}\n(set LOSSDSL_UPDATE_SNAPSHOTS=1 to accept the new output)");
            }
        }
    }
}
