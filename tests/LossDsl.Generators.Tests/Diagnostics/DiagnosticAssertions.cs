using System.Linq;
using LossDsl.Generators.Tests.Harness;
using Microsoft.CodeAnalysis;
using Xunit;

namespace LossDsl.Generators.Tests.Diagnostics;

/// <summary>Runs the generator on class members and finds its diagnostics.</summary>
internal static class DiagnosticAssertions
{
    public static GeneratorRun RunMembers(string members) => GeneratorHarness.Run(Sources.InClass(members));

    /// <summary>Asserts that the generator reported <paramref name="id"/> exactly at <paramref name="spanText"/>.</summary>
    public static Diagnostic AssertReported(GeneratorRun run, string id, string spanText)
    {
        var matching = run.Diagnostics.Where(d => d.Id == id).ToList();
        Assert.True(matching.Count > 0, $"expected {id}; the generator reported: {string.Join(" | ", run.Diagnostics)}");
        var at = matching.FirstOrDefault(d => run.SpanText(d) == spanText);
        Assert.True(at is not null, $"expected {id} at '{spanText}', got it at: {string.Join(", ", matching.Select(d => "'" + run.SpanText(d) + "'"))}");
        Assert.Equal(DiagnosticSeverity.Error, at!.Severity);
        Assert.Equal(GeneratorHarness.FilePath, at.Location.GetLineSpan().Path);
        return at;
    }
}
