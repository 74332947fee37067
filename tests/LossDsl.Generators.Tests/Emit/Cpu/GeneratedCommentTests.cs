using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using LossDsl.Generators.Tests.Differential;
using LossDsl.Generators.Tests.Harness;
using Xunit;

namespace LossDsl.Generators.Tests.Emit.Cpu;

/// <summary>
/// The generated code names every value once: each <c>// name = formula</c> comment stands directly above the
/// statement that assigns that very variable, in the CPU part and in the TorchSharp part alike.
/// </summary>
public sealed class GeneratedCommentTests
{
    private static readonly Regex Definition = new(@"^\s*// (?<name>[A-Za-z_][A-Za-z0-9_]*) = ", RegexOptions.Compiled);

    public static TheoryData<int> Seeds => new() { 3, 17, 81, 204, 1009 };

    [Fact]
    public void Every_definition_comment_documents_the_variable_below_it_in_the_design_examples() =>
        AssertCommentsMatch(CpuPart(GeneratorHarness.Run(Sources.Design)));

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Every_definition_comment_documents_the_variable_below_it_in_random_losses(int seed) =>
        AssertCommentsMatch(CpuPart(GeneratorHarness.Run(CompiledLosses.Source(new[] { RandomLossSource.Make(seed) }))));

    [Fact]
    public void Every_definition_comment_of_the_TorchSharp_code_documents_the_variable_below_it_in_the_design_examples() =>
        AssertCommentsMatch(TorchPart(GeneratorHarness.Run(Sources.Design)));

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Every_definition_comment_of_the_TorchSharp_code_documents_the_variable_below_it_in_random_losses(int seed) =>
        AssertCommentsMatch(TorchPart(GeneratorHarness.Run(CompiledLosses.Source(new[] { RandomLossSource.Make(seed) }))));

    [Fact]
    public void Generated_CPU_members_carry_the_GeneratedCode_attribute()
    {
        var lines = CpuPart(GeneratorHarness.Run(Sources.Design)).Select(l => l.Trim()).ToList();
        var members = lines.Select((line, index) => (line, index))
            .Where(p => p.line.StartsWith("public static T ", System.StringComparison.Ordinal) || p.line.StartsWith("private sealed class ", System.StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(members);
        foreach (var (line, index) in members)
        {
            Assert.True(lines[index - 1].StartsWith("[global::System.CodeDom.Compiler.GeneratedCode(", System.StringComparison.Ordinal), $"{line} has no [GeneratedCode]");
        }
    }

    private const string TorchStart = "TorchSharp: the forward";
    private const string InfoStart = "What LossDsl generated for";

    /// <summary>The CPU members of every generated file (up to the TorchSharp part).</summary>
    private static List<string> CpuPart(GeneratorRun run) => Part(run, null, TorchStart);

    /// <summary>The TorchSharp members of every generated file (up to the loss's info).</summary>
    private static List<string> TorchPart(GeneratorRun run) => Part(run, TorchStart, InfoStart);

    /// <summary>The lines of every generated file from <paramref name="from"/> (or its start) up to <paramref name="to"/> (or its end).</summary>
    private static List<string> Part(GeneratorRun run, string? from, string to) =>
        run.Sources.Select(s => s.SourceText.ToString())
            .SelectMany(text =>
            {
                var start = from is null ? 0 : At(text, from, 0);
                return text.Substring(start, At(text, to, start) - start).Split('\n');
            })
            .ToList();

    /// <summary>Where <paramref name="marker"/> first stands at or after <paramref name="start"/>, or the end of the text.</summary>
    private static int At(string text, string marker, int start)
    {
        var at = text.IndexOf(marker, start, System.StringComparison.Ordinal);
        return at < 0 ? text.Length : at;
    }

    private static void AssertCommentsMatch(List<string> lines)
    {
        var checkedCount = 0;
        for (var i = 0; i < lines.Count - 1; i++)
        {
            var match = Definition.Match(lines[i]);
            if (!match.Success)
            {
                continue;
            }

            var name = match.Groups["name"].Value;
            var next = lines[i + 1].Trim();
            var assigns = new Regex($@"^(var\s+|double\s+)?@?{Regex.Escape(name)}!?\s*=[^=]").IsMatch(next);
            Assert.True(assigns, $"the comment '{lines[i].Trim()}' is followed by '{next}', which does not assign {name}");
            checkedCount++;
        }

        Assert.True(checkedCount > 0, "no definition comment found");
    }
}
