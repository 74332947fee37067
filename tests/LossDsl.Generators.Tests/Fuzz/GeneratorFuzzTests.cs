using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace LossDsl.Generators.Tests.Fuzz;

/// <summary>
/// The generator fuzzer (issue 14): a sweep of names in every role, random losses from <see cref="LossGrammar"/> and
/// mutated declarations (<see cref="Mutations"/>), at least 2,000 inputs per CI run with a fixed seed. Each input
/// gets LD diagnostics or generated code that compiles without error or warning (<see cref="FuzzCheck"/>), and the
/// losses of valid inputs are run against the IR interpreter and finite differences (<see cref="FuzzCheck.ValueCheckOptions"/>).
/// Set <c>LOSSDSL_FUZZ_INPUTS</c> for a longer run and <c>LOSSDSL_FUZZ_SEED</c> for another seed; a failing input is
/// shrunk (<see cref="Shrinker"/>) and printed with its seed and index, and can be replayed from a file
/// (<c>LOSSDSL_FUZZ_REPLAY=path/to/file.cs</c>) or by its index (<c>LOSSDSL_FUZZ_SEED=s LOSSDSL_FUZZ_INDEX=i</c>),
/// both through <see cref="Replay_one_input"/>.
/// The CI run takes about 85 s wall, 145 s of CPU on 2 idle cores (80 % of it Roslyn compiling the generated code); it prints its time by
/// phase (<see cref="FuzzPhases"/>). Sizes, measured times and the long run: docs/testing.md, "The generator fuzzer".
/// </summary>
public sealed class GeneratorFuzzTests
{
    private const int CiInputs = 2000;
    private const int DefaultSeed = 14;
    private const int BatchSize = 40;

    /// <summary>How many failing inputs a run shrinks and prints (each shrink compiles up to a few hundred candidates).</summary>
    private const int Shrunk = 3;

    private readonly ITestOutputHelper output;

    public GeneratorFuzzTests(ITestOutputHelper output) => this.output = output;

    [Fact]
    public void Every_input_gets_LD_diagnostics_or_generated_code_that_compiles_cleanly_and_computes_the_right_values()
    {
        var total = EnvironmentInt("LOSSDSL_FUZZ_INPUTS") ?? CiInputs;
        var seed = EnvironmentInt("LOSSDSL_FUZZ_SEED") ?? DefaultSeed;
        var inputs = Inputs(total, seed);
        var clock = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        FuzzPhases.Reset();
        var outcome = Run(inputs, seed, Environment.GetEnvironmentVariable("LOSSDSL_FUZZ_PROGRESS"));
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var failures = outcome.Failures;
        var generated = new HashSet<int>(outcome.Generated);

        var sweep = inputs.Where(i => i.Description.StartsWith("name ", StringComparison.Ordinal)).ToList();
        var values = outcome.Values;
        output.WriteLine($"{inputs.Count} inputs ({generated.Count} with generated code; name sweep {sweep.Count(i => generated.Contains(i.Index))} of {sweep.Count}), seed {seed}, "
            + $"{clock.Elapsed.TotalSeconds:0.0} s ({cpu.TotalSeconds:0} s of CPU); losses value-checked {values.Checked} (ill-conditioned on every draw {values.IllConditioned}, not callable {values.NotCallable}); {failures.Count} failures");
        output.WriteLine("time by phase, summed over threads: " + FuzzPhases.Report()
            + $"; whole process: GC pauses {GC.GetTotalPauseDuration().TotalSeconds:0.0} s, JIT {System.Runtime.JitInfo.GetCompilationTime().TotalSeconds:0.0} s");
        Assert.True(failures.Count == 0, Describe(failures, seed));

        // A run that generates nothing tests nothing: most names are legal in most roles, and most random losses valid.
        Assert.True(sweep.Count(i => generated.Contains(i.Index)) * 2 > sweep.Count, "most of the name sweep should generate code");
        Assert.True(generated.Count * 2 > inputs.Count, "most inputs should generate code");
        Assert.True(values.Checked * 2 > inputs.Count(i => generated.Contains(i.Index) && ValueChecked(i)), "most losses chosen for the value check should be checked");
    }

    /// <summary>
    /// Replays one input: the file named by <c>LOSSDSL_FUZZ_REPLAY</c>, or input <c>LOSSDSL_FUZZ_INDEX</c> of seed
    /// <c>LOSSDSL_FUZZ_SEED</c> (value-checked whatever its kind). Nothing to do without them.
    /// </summary>
    [Fact]
    public void Replay_one_input()
    {
        var path = Environment.GetEnvironmentVariable("LOSSDSL_FUZZ_REPLAY");
        var index = EnvironmentInt("LOSSDSL_FUZZ_INDEX");
        var seed = EnvironmentInt("LOSSDSL_FUZZ_SEED") ?? DefaultSeed;
        FuzzInput input;
        if (!string.IsNullOrEmpty(path))
        {
            // With LOSSDSL_FUZZ_INDEX too, the value check draws the inputs it drew for that index.
            input = new FuzzInput(index ?? 0, "replayed " + path, File.ReadAllText(path));
        }
        else if (index is { } i)
        {
            input = Inputs(i + 1, seed)[i];
        }
        else
        {
            return; // Only on demand: nothing to replay.
        }

        output.WriteLine($"input {input.Index} ({input.Description}):\n{input.Source}");
        var outcome = FuzzCheck.Check(new[] { input }, _ => true, seed);
        foreach (var failure in outcome.Failures)
        {
            output.WriteLine("FAILURE: " + failure.Problem);
        }

        output.WriteLine($"value-checked {outcome.Values.Checked}, ill-conditioned {outcome.Values.IllConditioned}, not callable {outcome.Values.NotCallable}");
        Assert.True(outcome.Failures.Count == 0, Describe(outcome.Failures, seed));
    }

    [Fact]
    public void The_CI_run_has_at_least_2000_inputs_of_every_kind()
    {
        var inputs = Inputs(CiInputs, DefaultSeed);
        Assert.True(inputs.Count >= 2000, $"{inputs.Count} inputs");
        Assert.Contains(inputs, i => i.Description.StartsWith("name ", StringComparison.Ordinal));
        Assert.Contains(inputs, i => i.Description.StartsWith("random", StringComparison.Ordinal));
        Assert.Contains(inputs, i => i.Description.StartsWith("mutated", StringComparison.Ordinal));
        Assert.Contains(inputs, i => i.Description == "name @class as ContainingClass");
        Assert.Contains(inputs, i => ValueChecked(i) && i.Description.StartsWith("name ", StringComparison.Ordinal));
        Assert.Contains(inputs, i => ValueChecked(i) && i.Description.StartsWith("mutated", StringComparison.Ordinal));
    }

    /// <summary>
    /// Which valid inputs have their losses run: every random loss of the grammar, and every fourth other input
    /// (indices 0 and 1 modulo 8, so mutated inputs, which have odd indices, are among them): the name sweep repeats
    /// one loss under many names and the mutations mostly repeat a random loss, so a quarter of them runs each name
    /// in some role while keeping the value check's share of the run small.
    /// </summary>
    internal static bool ValueChecked(FuzzInput input) =>
        input.Description.StartsWith("random", StringComparison.Ordinal) || input.Index % 8 is 0 or 1;

    /// <summary>
    /// Judges all inputs: parsed once, split into those that compile by themselves and those that do not (so that
    /// the valid ones' batches emit, for the value check), in batches of <see cref="BatchSize"/> on every core.
    /// </summary>
    /// <param name="progress">A file to append one line per judged batch to (for long runs), or null.</param>
    internal static FuzzOutcome Run(IReadOnlyList<FuzzInput> inputs, int seed, string? progress = null)
    {
        var parsed = FuzzPhases.Time("parse", () => FuzzCheck.Parse(inputs));
        var chunks = Chunks(parsed, 200);
        var invalidSets = new HashSet<int>[chunks.Count];
        // One batch per core at a time: more in flight only holds more compilations in memory.
        var cores = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount };
        Parallel.For(0, chunks.Count, cores, c => invalidSets[c] = FuzzCheck.Invalid(chunks[c]));
        var invalid = invalidSets.SelectMany(s => s).ToHashSet();
        var batches = Chunks(parsed.Where(p => !invalid.Contains(p.Input.Index)).ToList(), BatchSize)
            .Concat(Chunks(parsed.Where(p => invalid.Contains(p.Input.Index)).ToList(), BatchSize))
            .ToList();
        var results = new FuzzOutcome[batches.Count];
        var clock = Stopwatch.StartNew();
        var done = 0;
        Parallel.For(0, batches.Count, cores, b =>
        {
            results[b] = FuzzCheck.Check(batches[b], ValueChecked, seed);
            if (!string.IsNullOrEmpty(progress))
            {
                lock (results)
                {
                    done += batches[b].Count;
                    var failing = results.Where(r => r is not null).SelectMany(r => r.Failures).Select(f => f.Input.Index).Distinct().OrderBy(i => i);
                    File.AppendAllText(progress, $"{clock.Elapsed.TotalSeconds:0} s: {done} of {inputs.Count} inputs judged (seed {seed}); failing inputs: {string.Join(", ", failing)}\n");
                }
            }
        });
        return FuzzOutcome.Merge(results);
    }

    private static List<List<T>> Chunks<T>(IReadOnlyList<T> items, int size) =>
        Enumerable.Range(0, (items.Count + size - 1) / size).Select(b => items.Skip(b * size).Take(size).ToList()).ToList();

    /// <summary>The name sweep first (fixed), then random and mutated losses alternately until <paramref name="total"/>.</summary>
    internal static List<FuzzInput> Inputs(int total, int seed)
    {
        var inputs = new List<FuzzInput>();
        foreach (var (description, source) in NameSweep.Inputs(i => "F" + i.ToString(CultureInfo.InvariantCulture)))
        {
            inputs.Add(new FuzzInput(inputs.Count, description, source));
        }

        var random = new Random(seed);
        while (inputs.Count < total)
        {
            var index = inputs.Count;
            var grammar = new LossGrammar(random);
            var file = grammar.File("F" + index.ToString(CultureInfo.InvariantCulture));
            if (index % 2 == 0)
            {
                inputs.Add(new FuzzInput(index, "random loss", file));
            }
            else
            {
                var (kind, mutated) = Mutations.Apply(file, random);
                inputs.Add(new FuzzInput(index, "mutated: " + kind, mutated));
            }
        }

        return inputs;
    }

    /// <summary>
    /// The failures, each failing input (the first <see cref="Shrunk"/>) shrunk to a smaller source that fails the same
    /// way, printed whole with how to replay it.
    /// </summary>
    private static string Describe(IReadOnlyList<FuzzFailure> failures, int seed)
    {
        var text = new StringBuilder();
        text.AppendLine($"{failures.Count} failures in {failures.Select(f => f.Input.Index).Distinct().Count()} inputs (seed {seed}). "
            + "Save a source below to a file and run with LOSSDSL_FUZZ_REPLAY=<file>, or replay the original with LOSSDSL_FUZZ_SEED=<seed> LOSSDSL_FUZZ_INDEX=<index>:");
        foreach (var (group, n) in failures.GroupBy(f => f.Input.Index).Take(5).Select((g, n) => (g, n)))
        {
            var input = group.First().Input;
            text.AppendLine($"---- input {input.Index} (seed {seed}; LOSSDSL_FUZZ_SEED={seed} LOSSDSL_FUZZ_INDEX={input.Index}): {input.Description}");
            foreach (var failure in group.Take(5))
            {
                text.AppendLine("  " + failure.Problem);
            }

            if (n < Shrunk)
            {
                var kind = group.First().Kind;
                var (shrunk, calls) = Shrinker.Shrink(input.Source, candidate =>
                    FuzzCheck.Check(new[] { input with { Source = candidate } }, _ => true, seed).Failures.Any(f => f.Kind == kind));
                text.AppendLine($"  shrunk ({input.Source.Length} → {shrunk.Length} characters, {calls} candidates tried), still failing with {kind}:");
                text.AppendLine(shrunk);
                text.AppendLine("  original:");
            }

            text.AppendLine(input.Source);
        }

        return text.ToString();
    }

    private static int? EnvironmentInt(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
}
