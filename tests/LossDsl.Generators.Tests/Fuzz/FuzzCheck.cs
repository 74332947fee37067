using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using LossDsl.Generators.Tests.Harness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace LossDsl.Generators.Tests.Fuzz;

/// <summary>One fuzz input: a whole C# file whose namespace starts with <c>F{Index}</c>, and how it was made.</summary>
internal sealed record FuzzInput(int Index, string Description, string Source);

/// <summary>What went wrong with one input.</summary>
internal sealed record FuzzFailure(FuzzInput Input, string Problem);

/// <summary>The failures of a batch, and which of its inputs got generated code (so a run can show it tested something).</summary>
internal sealed record FuzzOutcome(IReadOnlyList<FuzzFailure> Failures, IReadOnlyCollection<int> Generated);

/// <summary>
/// Runs the generator on many inputs at once (one compilation, one file per input, each in its own namespace, so
/// inputs cannot meet) and judges each: the generator must not throw or report an internal error (LD0011), and an
/// input that compiles on its own must compile together with its generated code without any new error or warning
/// (a loss the generator rejects has LD diagnostics and no generated source, so it adds nothing to compile).
/// </summary>
internal static class FuzzCheck
{
    private static readonly Regex InputOfHint = new(@"^F(\d+)\.", RegexOptions.Compiled);

    public static IReadOnlyList<FuzzFailure> Run(IReadOnlyList<FuzzInput> batch) => Check(batch).Failures;

    public static FuzzOutcome Check(IReadOnlyList<FuzzInput> batch)
    {
        var trees = batch.Select(i => CSharpSyntaxTree.ParseText(i.Source, GeneratorHarness.ParseOptions, "input" + i.Index + ".cs")).ToList();
        var compilation = CSharpCompilation.Create(
            "Fuzz",
            trees,
            GeneratorHarness.References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var driver = GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        var result = driver.GetRunResult().Results.Single();
        if (result.Exception is not null)
        {
            if (batch.Count == 1)
            {
                return new FuzzOutcome(new[] { new FuzzFailure(batch[0], "the generator threw: " + result.Exception) }, Array.Empty<int>());
            }

            var single = batch.Select(i => Check(new[] { i })).ToList();
            return new FuzzOutcome(single.SelectMany(o => o.Failures).ToList(), single.SelectMany(o => o.Generated).ToList());
        }

        var byPath = batch.ToDictionary(i => "input" + i.Index + ".cs");
        var byIndex = batch.ToDictionary(i => i.Index);
        var failures = new List<FuzzFailure>();
        foreach (var internalError in generatorDiagnostics.Where(d => d.Id == "LD0011"))
        {
            var path = internalError.Location.SourceTree?.FilePath ?? "";
            failures.Add(new FuzzFailure(byPath.TryGetValue(path, out var input) ? input : batch[0], internalError.ToString()));
        }

        static bool Counts(Diagnostic d) => d.Severity >= DiagnosticSeverity.Warning && d.Id is not ("CS1701" or "CS1702");
        var before = compilation.GetDiagnostics().Where(Counts).ToList();
        var invalid = new HashSet<string>(before.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Location.SourceTree?.FilePath ?? ""));
        var seen = new HashSet<string>(before.Select(d => d.ToString()));
        var generated = result.GeneratedSources.ToDictionary(s => s.SyntaxTree.FilePath, s => s.HintName);
        var added = output.GetDiagnostics().Where(Counts).Where(d => !seen.Contains(d.ToString())).ToList();
        if (batch.Count > 1 && added.Any(d => d.Location.SourceTree is null))
        {
            // A diagnostic without a location (a follow-on of broken generated code) names no input: judge each alone.
            var single = batch.Select(i => Check(new[] { i })).ToList();
            return new FuzzOutcome(single.SelectMany(o => o.Failures).ToList(), single.SelectMany(o => o.Generated).ToList());
        }

        var unlocated = new List<Diagnostic>();
        foreach (var diagnostic in added)
        {
            var tree = diagnostic.Location.SourceTree;
            if (tree is null)
            {
                unlocated.Add(diagnostic);
                continue;
            }

            var path = tree?.FilePath ?? "";
            FuzzInput? input = null;
            if (byPath.TryGetValue(path, out var user))
            {
                input = user;
            }
            else if (generated.TryGetValue(path, out var hint) && InputOfHint.Match(hint) is { Success: true } match)
            {
                byIndex.TryGetValue(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), out input);
            }

            input ??= batch[0];
            if (invalid.Contains("input" + input.Index + ".cs"))
            {
                continue; // The input does not compile by itself: only a crash or an internal error counts.
            }

            if (failures.Count(f => f.Input == input) >= 3)
            {
                continue; // Broken generated code gives dozens of follow-on errors; a few say what it is.
            }

            failures.Add(new FuzzFailure(input, diagnostic + "\n    at: " + Line(tree, diagnostic)));
        }

        // Alone, a diagnostic without a location is this input's.
        failures.AddRange(unlocated.Select(d => new FuzzFailure(batch[0], d.ToString())));
        var withCode = generated.Values.Select(h => InputOfHint.Match(h)).Where(m => m.Success)
            .Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).Distinct().ToList();
        return new FuzzOutcome(failures, withCode);
    }

    private static string Line(SyntaxTree? tree, Diagnostic diagnostic)
    {
        if (tree is null)
        {
            return "";
        }

        var line = diagnostic.Location.GetLineSpan().StartLinePosition.Line;
        return tree.GetText().Lines[line].ToString().Trim();
    }
}
