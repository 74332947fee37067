using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using LossDsl.Generators.Model;
using LossDsl.Generators.Tests.Differential;
using LossDsl.Generators.Tests.Harness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit.Sdk;

namespace LossDsl.Generators.Tests.Fuzz;

/// <summary>One fuzz input: a whole C# file whose namespace starts with <c>F{Index}</c>, and how it was made.</summary>
internal sealed record FuzzInput(int Index, string Description, string Source);

/// <summary>What went wrong with one input.</summary>
internal sealed record FuzzFailure(FuzzInput Input, string Problem)
{
    /// <summary>
    /// The kind of failure, for the shrinker (a smaller input must fail the same way): the generator threw, an
    /// internal error, a wrong value, or the first compiler diagnostic's id.
    /// </summary>
    public string Kind => Problem.StartsWith("the generator threw", StringComparison.Ordinal) ? "threw"
        : Problem.StartsWith("value:", StringComparison.Ordinal) ? "value"
        : Regex.Match(Problem, @"\b(LD\d{4}|CS\d{4})\b") is { Success: true } m ? m.Value : "other";
}

/// <summary>How many losses of valid inputs were run and compared with the interpreter.</summary>
/// <param name="Checked">Checked on at least one draw of inputs.</param>
/// <param name="IllConditioned">Every draw was too ill-conditioned for the tolerance (see <see cref="IllConditionedException"/>).</param>
/// <param name="NotCallable">Generated but not callable by reflection (a generic containing type).</param>
internal sealed record ValueCounts(int Checked, int IllConditioned, int NotCallable)
{
    public static readonly ValueCounts None = new(0, 0, 0);

    public static ValueCounts operator +(ValueCounts a, ValueCounts b) =>
        new(a.Checked + b.Checked, a.IllConditioned + b.IllConditioned, a.NotCallable + b.NotCallable);
}

/// <summary>The failures of a batch, which of its inputs got generated code (so a run can show it tested something), and the value checks.</summary>
internal sealed record FuzzOutcome(IReadOnlyList<FuzzFailure> Failures, IReadOnlyCollection<int> Generated, ValueCounts Values)
{
    public static FuzzOutcome Merge(IEnumerable<FuzzOutcome> outcomes)
    {
        var list = outcomes.ToList();
        return new FuzzOutcome(
            list.SelectMany(o => o.Failures).ToList(),
            list.SelectMany(o => o.Generated).ToList(),
            list.Aggregate(ValueCounts.None, (sum, o) => sum + o.Values));
    }
}

/// <summary>
/// Runs the generator on many inputs at once (one compilation, one file per input, each in its own namespace, so
/// inputs cannot meet) and judges each: the generator must not throw or report an internal error (LD0011), and an
/// input that compiles on its own must compile together with its generated code without any new error or warning
/// (a loss the generator rejects has LD diagnostics and no generated source, so it adds nothing to compile). The
/// batch with its generated code is emitted (the emitter reports every diagnostic <c>GetDiagnostics</c> does, so
/// the verdict is the same and the compilation is bound once); when it emits, the losses of the inputs chosen by
/// <c>valueCheck</c> are loaded and run against the IR interpreter and finite differences (<see cref="LossCheck"/>,
/// guarded: see <see cref="ValueCheckOptions"/>).
/// </summary>
internal static class FuzzCheck
{
    private static readonly Regex InputOfHint = new(@"^F(\d+)\.", RegexOptions.Compiled);
    private static readonly Regex InputOfNamespace = new(@"^F(\d+)(\.|$)", RegexOptions.Compiled);

    /// <summary>
    /// As the user's build compiles, but without the compiler's own parallelism: batches already run one per core,
    /// and nested parallel binding only starves the thread pool (which then injects hundreds of threads). The
    /// diagnostics do not depend on it.
    /// </summary>
    private static readonly CSharpCompilationOptions Options =
        new(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, concurrentBuild: false);

    /// <summary>
    /// An empty compilation over the references, bound once: every batch is made from it with
    /// <c>AddSyntaxTrees</c>, so batches share its reference manager (the referenced assemblies' symbols, TorchSharp's
    /// large types among them, are read once per run, not once per batch).
    /// </summary>
    private static readonly Lazy<CSharpCompilation> Empty = new(() =>
    {
        var empty = CSharpCompilation.Create("Fuzz", Array.Empty<SyntaxTree>(), GeneratorHarness.References, Options);
        _ = empty.GetDiagnostics();
        return empty;
    });

    /// <summary>
    /// The value check's inputs and rules: each loss of a chosen, valid input is checked in double and float on up
    /// to three draws of inputs (half of the seeds draw in [−1, 1], half in [0.1, 1.1], where log, sqrt and fractional
    /// powers of a field are finite); a draw where the loss is ill-conditioned does not count.
    /// </summary>
    public static LossCheckOptions ValueCheckOptions(int seed) =>
        seed % 2 == 0
            ? new LossCheckOptions(Float: true, Threads: false, Low: -1, High: 1, Guarded: true)
            : new LossCheckOptions(Float: true, Threads: false, Low: 0.1, High: 1.1, Guarded: true);

    public static IReadOnlyList<FuzzFailure> Run(IReadOnlyList<FuzzInput> batch, bool valueCheck = true) =>
        Check(batch, valueCheck ? _ => true : _ => false).Failures;

    /// <summary>Parses the inputs (the trees can be reused by <see cref="Check(IReadOnlyList{ParsedInput}, Func{FuzzInput, bool}, int)"/>).</summary>
    public static IReadOnlyList<ParsedInput> Parse(IEnumerable<FuzzInput> inputs) =>
        inputs.Select(i => new ParsedInput(i, CSharpSyntaxTree.ParseText(i.Source, GeneratorHarness.ParseOptions, PathOf(i)))).ToList();

    /// <summary>
    /// The inputs that do not compile by themselves (their own errors, before the generator): judged in batches of
    /// their own so that the valid ones' batches emit and can be value-checked.
    /// </summary>
    public static HashSet<int> Invalid(IReadOnlyList<ParsedInput> inputs)
    {
        var compilation = Empty.Value.AddSyntaxTrees(inputs.Select(i => i.Tree));
        var byPath = inputs.ToDictionary(i => i.Tree.FilePath, i => i.Input.Index);
        return FuzzPhases.Time("validity", () => compilation.GetDiagnostics())
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => d.Location.SourceTree?.FilePath ?? "")
            .Where(byPath.ContainsKey)
            .Select(p => byPath[p])
            .ToHashSet();
    }

    public static FuzzOutcome Check(IReadOnlyList<FuzzInput> batch, Func<FuzzInput, bool> valueCheck, int seed = 0) =>
        Check(Parse(batch), valueCheck, seed);

    public static FuzzOutcome Check(IReadOnlyList<ParsedInput> parsed, Func<FuzzInput, bool> valueCheck, int seed)
    {
        var batch = parsed.Select(p => p.Input).ToList();
        FuzzOutcome EachAlone() => FuzzOutcome.Merge(parsed.Select(p => Check(new[] { p }, valueCheck, seed)));

        var compilation = Empty.Value.AddSyntaxTrees(parsed.Select(p => p.Tree));
        Compilation output = compilation;
        var generatorDiagnostics = System.Collections.Immutable.ImmutableArray<Diagnostic>.Empty;
        var driver = FuzzPhases.Time("generator", () => GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out output, out generatorDiagnostics));
        var result = driver.GetRunResult().Results.Single();
        if (result.Exception is not null)
        {
            if (batch.Count == 1)
            {
                return new FuzzOutcome(new[] { new FuzzFailure(batch[0], "the generator threw: " + result.Exception) }, Array.Empty<int>(), ValueCounts.None);
            }

            return EachAlone();
        }

        var byPath = batch.ToDictionary(PathOf);
        var byIndex = batch.ToDictionary(i => i.Index);
        var failures = new List<FuzzFailure>();
        foreach (var internalError in generatorDiagnostics.Where(d => d.Id == "LD0011"))
        {
            var path = internalError.Location.SourceTree?.FilePath ?? "";
            failures.Add(new FuzzFailure(byPath.TryGetValue(path, out var input) ? input : batch[0], internalError.ToString()));
        }

        static bool Counts(Diagnostic d) => d.Severity >= DiagnosticSeverity.Warning && d.Id is not ("CS1701" or "CS1702");
        var before = FuzzPhases.Time("diagnostics before", () => compilation.GetDiagnostics()).Where(Counts).ToList();
        var invalid = new HashSet<string>(before.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Location.SourceTree?.FilePath ?? ""));
        var seen = new HashSet<string>(before.Select(d => d.ToString()));
        var generated = result.GeneratedSources.ToDictionary(s => s.SyntaxTree.FilePath, s => s.HintName);
        using var image = new MemoryStream();
        var emitted = FuzzPhases.Time("emit", () => output.Emit(image));
        var added = emitted.Diagnostics.Where(Counts).Where(d => !seen.Contains(d.ToString())).ToList();
        if (batch.Count > 1 && added.Any(d => d.Location.SourceTree is null))
        {
            // A diagnostic without a location (a follow-on of broken generated code) names no input: judge each alone.
            return EachAlone();
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

            var path = tree.FilePath;
            FuzzInput? input = null;
            if (byPath.TryGetValue(path, out var user))
            {
                input = user;
            }
            else if (generated.TryGetValue(path, out var hint) && InputOfHint.Match(hint) is { Success: true } match)
            {
                byIndex.TryGetValue(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), out input);
            }

            input ??= batch[0];
            if (invalid.Contains(PathOf(input)))
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
            .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).Distinct().ToList();

        var values = ValueCounts.None;
        if (emitted.Success)
        {
            var wanted = batch.Where(i => !invalid.Contains(PathOf(i)) && failures.All(f => f.Input != i) && valueCheck(i)).ToDictionary(i => i.Index);
            var models = GeneratorRun.ModelsOf(result).Select(m => (Model: m, Input: InputOf(m, batch.Count == 1 ? batch[0] : null, wanted)))
                .Where(m => m.Input is not null)
                .ToList();
            if (models.Count > 0)
            {
                image.Position = 0;
                var losses = FuzzPhases.Time("load", () => CompiledLosses.Load(image, models.Select(m => m.Model), "fuzz"));
                foreach (var (model, input) in models)
                {
                    var (counts, failure) = FuzzPhases.Time("value check", () => ValueCheck(losses, model, input!, seed));
                    values += counts;
                    if (failure is not null)
                    {
                        failures.Add(failure);
                    }
                }
            }
        }

        return new FuzzOutcome(failures, withCode, values);
    }

    /// <summary>Runs <see cref="LossCheck"/> on one loss, up to three draws until one is well-conditioned.</summary>
    /// <remarks>
    /// The draws depend only on the run's seed, the input's index and the loss's name (not on the batch), so a replay
    /// by index, and every candidate of the shrinker, draws the same inputs.
    /// </remarks>
    private static (ValueCounts Counts, FuzzFailure? Failure) ValueCheck(CompiledLosses losses, LossModel model, FuzzInput input, int seed)
    {
        var name = 17;
        foreach (var c in model.Name)
        {
            name = unchecked((name * 31) + c);
        }

        var loss = losses.Loss(model);
        if (loss is null)
        {
            return (new ValueCounts(0, 0, 1), null);
        }

        var illConditioned = "";
        for (var draw = 0; draw < 3; draw++)
        {
            var checkSeed = unchecked((seed * 1_000_003) + (input.Index * 101) + (name * 7) + draw);
            try
            {
                new LossCheck(loss, checkSeed, ValueCheckOptions(checkSeed)).Run();
                return (new ValueCounts(1, 0, 0), null);
            }
            catch (IllConditionedException e)
            {
                illConditioned = e.Message;
            }
            catch (Exception e) when (e is XunitException or ArgumentException or InvalidOperationException or IndexOutOfRangeException or NullReferenceException or DivideByZeroException or OverflowException)
            {
                return (new ValueCounts(1, 0, 0), new FuzzFailure(input, $"value: loss {model.TypeFullName}.{model.Name}, check seed {checkSeed}: {e.GetType().Name}: {e.Message}"));
            }
        }

        _ = illConditioned;
        return (new ValueCounts(0, 1, 0), null);
    }

    /// <summary>The input a model was declared in (namespace <c>F{index}…</c>), if it is one to value-check.</summary>
    private static FuzzInput? InputOf(LossModel model, FuzzInput? only, Dictionary<int, FuzzInput> wanted)
    {
        if (only is not null)
        {
            return wanted.ContainsKey(only.Index) ? only : null;
        }

        var match = InputOfNamespace.Match(model.Namespace);
        return match.Success && wanted.TryGetValue(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), out var input) ? input : null;
    }

    private static string PathOf(FuzzInput input) => "input" + input.Index.ToString(CultureInfo.InvariantCulture) + ".cs";

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

/// <summary>An input and its syntax tree, parsed once for the validity pass and the batch.</summary>
internal sealed record ParsedInput(FuzzInput Input, SyntaxTree Tree);
