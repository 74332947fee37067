using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using LossDsl.Generators.Emit;
using LossDsl.Generators.Model;
using LossDsl.Generators.Tests.Harness;
using Microsoft.CodeAnalysis;
using Xunit;

namespace LossDsl.Generators.Tests.Emit;

/// <summary>
/// Generated files keep no copy of their code; tools regenerate it from what <c>NameInfo</c> stores
/// (<see cref="LossSources.Generate"/>). These tests compile the generated files, load them, and check that the code
/// regenerated from the loaded <c>LossInfo</c> is exactly the code in the file.
/// </summary>
public sealed class RegenerationTests
{
    private const string KeywordsAndReservedNames = """
        using LossDsl;
        using static LossDsl.Dsl;

        namespace Tests.Odd;

        internal static partial class Names
        {
            // User members the generated names must avoid: they are stored with the loss, or regeneration would
            // name the CPU program and the TorchSharp function as if they were not there.
            internal static int WeirdCpuProgram() => 0;
            internal static int WeirdTorchFunction() => 0;

            /// <summary>Keyword-named parameters, a double hyper-parameter with a default, an internal loss.</summary>
            [Loss]
            internal static Scalar Weird(Field @default, Field @class, int[] @in, double @double = 0.5) =>
                Mean(Select(@default, @in) * Select(@class, @in)) * @double;
        }
        """;

    public static TheoryData<string> DesignLosses => new() { "Tversky", "Boundary", "Rebalanced" };

    [Theory]
    [MemberData(nameof(DesignLosses))]
    public void Code_regenerated_from_a_design_example_info_is_the_code_in_its_file(string name) =>
        AssertRegeneratesItsFile(Sources.Design, "MyProject.MyLosses", name);

    [Fact]
    public void Keyword_names_defaults_accessibility_and_reserved_names_survive_the_round_trip()
    {
        var file = AssertRegeneratesItsFile(KeywordsAndReservedNames, "Tests.Odd.Names", "Weird");
        // The generated classes went around the user's members (so the stored names mattered).
        Assert.DoesNotContain("class WeirdCpuProgram<", file, StringComparison.Ordinal);
        Assert.DoesNotContain("class WeirdTorchFunction ", file, StringComparison.Ordinal);
        Assert.Contains("class WeirdCpuProgram2<", file, StringComparison.Ordinal);
    }

    [Fact]
    public void Parameter_declarations_parse_back_to_the_model()
    {
        foreach (var parameter in new[]
        {
            new ParameterModel("probs", ParameterKind.Field, ""),
            new ParameterModel("default", ParameterKind.Field, ""),
            new ParameterModel("alpha", ParameterKind.Float, "0.3f"),
            new ParameterModel("double", ParameterKind.Double, "-1E-05"),
            new ParameterModel("n", ParameterKind.Int, "2"),
            new ParameterModel("idc", ParameterKind.ClassList, ""),
        })
        {
            Assert.Equal(parameter, ParameterText.Parse(ParameterText.Describe(parameter)));
        }

        Assert.Throws<FormatException>(() => ParameterText.Parse("string s"));
        Assert.Throws<FormatException>(() => ParameterText.Parse("Field"));
    }

    [Fact]
    public void A_graph_that_is_not_one_is_a_format_error() =>
        Assert.Throws<FormatException>(() => LossSources.Generate("not a graph", "L", "T", Array.Empty<string>(), "public", "", Array.Empty<string>()));

    /// <summary>Checks the round trip for loss <paramref name="name"/>; returns its generated file.</summary>
    private static string AssertRegeneratesItsFile(string source, string typeName, string name)
    {
        var run = GeneratorHarness.Run(source);
        Assert.Empty(run.Result.Diagnostics);
        var file = run.Sources.Single(s => s.HintName.Contains("." + name + ".", StringComparison.Ordinal)).SourceText.ToString();

        var context = new AssemblyLoadContext("regeneration", isCollectible: true);
        try
        {
            var type = Load(run, context).GetType(typeName) ?? throw new InvalidOperationException("no " + typeName);
            var property = type.GetProperty(name + "Info", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)!;
            var info = (LossInfo)property.GetValue(null)!;
            Assert.Equal(info.Graph, property.GetCustomAttribute<LossGraphAttribute>()!.Graph);

            var code = LossSources.Generate(info.Graph, info.Name, info.DeclaringType, info.Parameters, info.Accessibility, info.Summary, info.ReservedNames);

            Assert.Equal(ClassBodyCode(file), Indented(code, depth: 2));
        }
        finally
        {
            context.Unload();
        }

        return file;
    }

    private static Assembly Load(GeneratorRun run, AssemblyLoadContext context)
    {
        using var image = new MemoryStream();
        var emitted = run.Output.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        image.Position = 0;
        return context.LoadFromStream(image);
    }

    /// <summary>The generated file's code: from the line after the declaring class's <c>{</c> to the stored graph.</summary>
    private static string ClassBodyCode(string file)
    {
        var lines = file.Replace("\r\n", "\n").Split('\n');
        var start = Array.FindIndex(lines, l => l.TrimStart().Contains("partial class ", StringComparison.Ordinal)) + 2;
        var end = Array.FindIndex(lines, l => l.TrimStart().StartsWith("// The forward graph", StringComparison.Ordinal));
        Assert.True(start >= 2 && end > start, "the generated file does not have the expected layout");
        return string.Join("\n", lines[start..end]) + "\n";
    }

    /// <summary>The two back ends' code laid out as in a generated file (CPU first, each followed by a blank line).</summary>
    private static string Indented(GeneratedLossSource code, int depth)
    {
        var w = new IndentedWriter();
        for (var i = 0; i < depth; i++)
        {
            w.Indent();
        }

        return w.Lines(code.Cpu).Line().Lines(code.TorchSharp).Line().ToString();
    }
}
