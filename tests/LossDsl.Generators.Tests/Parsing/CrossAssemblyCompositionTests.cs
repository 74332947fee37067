using System.IO;
using System.Linq;
using LossDsl.Generators.Tests.Harness;
using Microsoft.CodeAnalysis;
using Xunit;

namespace LossDsl.Generators.Tests.Parsing;

/// <summary>A [Loss] may call a loss of another assembly compiled with LossDsl: the stored graph is inlined.</summary>
public sealed class CrossAssemblyCompositionTests
{
    private static MetadataReference CompiledWithTheGenerator(string source, string assemblyName)
    {
        var run = GeneratorHarness.Run(GeneratorHarness.CreateDriver(), GeneratorHarness.Compile(source, assemblyName: assemblyName));
        Assert.Empty(run.Diagnostics);
        using var image = new MemoryStream();
        var emitted = run.Output.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        return MetadataReference.CreateFromImage(image.ToArray());
    }

    private const string OtherLosses = """
        using LossDsl;
        using static LossDsl.Dsl;

        namespace Other;

        public static partial class L
        {
            [Loss]
            public static Scalar Base(Field p, Field d, int[] idc, float scale = 2f)
            {
                var weighted = scale * Select(d, idc);
                return Mean(Select(p, idc) * weighted);
            }
        }
        """;

    [Fact]
    public void A_loss_of_another_assembly_is_inlined_from_its_stored_graph()
    {
        var other = CompiledWithTheGenerator(OtherLosses, "OtherLosses");
        var run = GeneratorHarness.Run(
            Sources.InClass("[Loss] public static Scalar F(Field probs, Field dist, int[] classes) => 1 - Other.L.Base(probs, dist, classes);"),
            new[] { other });

        Assert.Empty(run.Result.Diagnostics);
        var model = run.Model("F");
        Assert.Equal(
            "(Subtract 1 (Divide (Sum[All] (Multiply (Select[classes] probs) (Multiply 2 (Select[classes] dist)))) (Extent[All,classes])))",
            GraphText.Of(model.Graph, model.Result));

        // The inlined local keeps its name, prefixed by the callee's, as for a callee of the same project.
        Assert.Contains(model.Graph.Nodes, n => n.Label == "base_weighted");
        Assert.Contains(model.Graph.Nodes, n => n.Label == "dL_dprobs");
    }

    [Fact]
    public void Arguments_of_the_wrong_shape_for_a_stored_graph_are_reported_at_the_call()
    {
        var other = CompiledWithTheGenerator(OtherLosses, "OtherLosses");
        var run = GeneratorHarness.Run(
            Sources.InClass("[Loss] public static Scalar F(Field probs, Field dist, int[] classes) => Other.L.Base(Select(probs, classes), dist, classes, 3f);"),
            new[] { other });

        var diagnostic = Assert.Single(run.Result.Diagnostics, d => d.Id == "LD0002");
        Assert.Contains("Other.L.Base(Select(probs, classes), dist, classes, 3f)", run.SpanText(diagnostic));
    }
}
