using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Xunit;
using Xunit.Abstractions;

namespace LossDsl.Generators.Tests.Fuzz;

/// <summary>
/// The generator fuzzer (issue 14): a sweep of names in every role, random losses from <see cref="LossGrammar"/> and
/// mutated declarations (<see cref="Mutations"/>), at least 2,000 inputs per CI run with a fixed seed. Set
/// <c>LOSSDSL_FUZZ_INPUTS</c> for a longer run and <c>LOSSDSL_FUZZ_SEED</c> for another seed; a failing input is
/// printed whole with its seed and index, and <c>LOSSDSL_FUZZ_REPLAY=path/to/file.cs</c> runs
/// <see cref="Replay_one_input_from_a_file"/> on it alone.
/// </summary>
public sealed class GeneratorFuzzTests
{
    private const int CiInputs = 2000;
    private const int DefaultSeed = 14;
    private const int BatchSize = 40;

    private readonly ITestOutputHelper output;

    public GeneratorFuzzTests(ITestOutputHelper output) => this.output = output;

    [Fact]
    public void Every_input_gets_LD_diagnostics_or_generated_code_that_compiles_cleanly()
    {
        var total = EnvironmentInt("LOSSDSL_FUZZ_INPUTS") ?? CiInputs;
        var seed = EnvironmentInt("LOSSDSL_FUZZ_SEED") ?? DefaultSeed;
        var inputs = Inputs(total, seed);
        var clock = Stopwatch.StartNew();
        // Batches are independent compilations: run them on every core (results are collected in input order).
        var batches = Enumerable.Range(0, (inputs.Count + BatchSize - 1) / BatchSize)
            .Select(b => inputs.Skip(b * BatchSize).Take(BatchSize).ToList())
            .ToList();
        var results = new FuzzOutcome[batches.Count];
        System.Threading.Tasks.Parallel.For(0, batches.Count, b => results[b] = FuzzCheck.Check(batches[b]));
        var failures = results.SelectMany(r => r.Failures).ToList();
        var generated = new HashSet<int>(results.SelectMany(r => r.Generated));

        var sweep = inputs.Where(i => i.Description.StartsWith("name ", StringComparison.Ordinal)).ToList();
        output.WriteLine($"{inputs.Count} inputs ({generated.Count} with generated code; name sweep {sweep.Count(i => generated.Contains(i.Index))} of {sweep.Count}), seed {seed}, {clock.Elapsed.TotalSeconds:0.0} s; {failures.Count} failures");
        Assert.True(failures.Count == 0, Describe(failures, seed));

        // A run that generates nothing tests nothing: most names are legal in most roles, and most random losses valid.
        Assert.True(sweep.Count(i => generated.Contains(i.Index)) * 2 > sweep.Count, "most of the name sweep should generate code");
        Assert.True(generated.Count * 2 > inputs.Count, "most inputs should generate code");
    }

    [Fact]
    public void Replay_one_input_from_a_file()
    {
        var path = Environment.GetEnvironmentVariable("LOSSDSL_FUZZ_REPLAY");
        if (string.IsNullOrEmpty(path))
        {
            return; // Only on demand: nothing to replay.
        }

        var source = File.ReadAllText(path);
        var failures = FuzzCheck.Run(new[] { new FuzzInput(0, "replayed " + path, source) });
        foreach (var failure in failures)
        {
            output.WriteLine("FAILURE: " + failure.Problem);
        }

        Assert.Empty(failures);
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
    }

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

    private static string Describe(IReadOnlyList<FuzzFailure> failures, int seed)
    {
        var text = new StringBuilder();
        text.AppendLine($"{failures.Count} failures in {failures.Select(f => f.Input.Index).Distinct().Count()} inputs (seed {seed}). Save an input below to a file and run with LOSSDSL_FUZZ_REPLAY=<file>:");
        foreach (var group in failures.GroupBy(f => f.Input.Index).Take(5))
        {
            var input = group.First().Input;
            text.AppendLine($"---- input {input.Index} (seed {seed}): {input.Description}");
            foreach (var failure in group.Take(5))
            {
                text.AppendLine("  " + failure.Problem);
            }

            text.AppendLine(input.Source);
        }

        return text.ToString();
    }

    private static int? EnvironmentInt(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
}
