using System;
using System.IO;
using System.Linq;
using Xunit;

namespace LossDsl.Generators.Tests.Emit;

/// <summary>
/// <c>docs/generated-code.md</c> shows one generated CPU program whole (the Boundary design example's driver and pass):
/// it must be what the generator prints today, line for line (indentation aside), or the page explains code that no
/// longer exists.
/// </summary>
public sealed class DocumentedPassTests
{
    [Fact]
    public void The_program_shown_in_the_docs_is_the_generated_one()
    {
        var root = RepositoryRoot();
        var page = File.ReadAllText(Path.Combine(root, "docs", "generated-code.md")).Replace("\r\n", "\n");
        var snapshot = File.ReadAllText(Path.Combine(root, "tests", "LossDsl.Generators.Tests", "Snapshots", "Files", "MyLosses.Boundary.g.cs")).Replace("\r\n", "\n");
        const string start = "protected override T Execute()";
        var shown = Lines(page.Substring(page.IndexOf(start, StringComparison.Ordinal)).Split("```")[0]);
        var generated = Lines(snapshot.Substring(snapshot.IndexOf(start, StringComparison.Ordinal))).Take(shown.Length).ToArray();
        for (var i = 0; i < shown.Length; i++)
        {
            Assert.True(shown[i] == generated[i], $"docs/generated-code.md, line {i + 1} of the shown program:\n  page:      {shown[i]}\n  generated: {generated[i]}");
        }
    }

    private static string[] Lines(string text) => text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "LossDsl.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("no LossDsl.sln above " + AppContext.BaseDirectory);
    }
}
