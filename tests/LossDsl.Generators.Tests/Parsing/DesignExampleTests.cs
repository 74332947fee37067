using System.Linq;
using LossDsl.Generators.Ir;
using LossDsl.Generators.Model;
using LossDsl.Generators.Tests.Harness;
using Xunit;

namespace LossDsl.Generators.Tests.Parsing;

/// <summary>The example of DESIGN.md's public contract parses into the graphs its formulas describe.</summary>
public sealed class DesignExampleTests
{
    private static readonly float Eps = 1e-5f;

    [Fact]
    public void The_design_example_compiles_and_the_generator_reports_nothing()
    {
        var run = GeneratorHarness.Run(Sources.Design);
        Assert.Empty(GeneratorHarness.CompilerErrors(run.Input));
        Assert.Empty(run.Diagnostics);
        Assert.Null(run.Result.Exception);
        Assert.Equal(new[] { "Boundary", "Rebalanced", "Tversky" }, run.Models.Select(m => m.Name).OrderBy(n => n));
    }

    [Fact]
    public void Boundary_is_the_sum_of_selected_products_over_the_extent_of_the_selected_classes()
    {
        var parsed = GeneratorHarness.ParseLoss(Sources.Design, "Boundary");
        Assert.False(parsed.Failed);
        Assert.Equal(
            "(Divide (Sum[All] (Multiply (Select[idc] probs) (Select[idc] dist))) (Extent[All,idc]))",
            GraphText.Of(parsed.Forward, parsed.Result));
    }

    [Fact]
    public void Tversky_parses_into_the_same_graph_as_the_reference_built_by_hand()
    {
        var parsed = GeneratorHarness.ParseLoss(Sources.Design, "Tversky");
        var (reference, loss) = LossDsl.Generators.Tests.Passes.Losses.Tversky();
        Assert.False(parsed.Failed);
        Assert.Equal(GraphText.Of(reference.Graph, loss), GraphText.Of(parsed.Forward, parsed.Result));
    }

    [Fact]
    public void Tversky_locals_label_their_nodes_and_the_float_epsilon_keeps_its_float_value()
    {
        var parsed = GeneratorHarness.ParseLoss(Sources.Design, "Tversky");
        var tp = Assert.Single(parsed.Forward.Nodes, n => n.Label == "tp");
        Assert.Equal("(Sum[Spatial] (Multiply probs target))", GraphText.Of(parsed.Forward, parsed.Forward.Nodes.ToList().IndexOf(tp)));
        Assert.Contains(parsed.Forward.Nodes, n => n.Label == "fp");
        Assert.Contains(parsed.Forward.Nodes, n => n.Op == Op.Constant && n.Value == (double)Eps);
    }

    [Fact]
    public void Rebalanced_inlines_both_losses_with_defaults_and_the_outer_class_list()
    {
        var parsed = GeneratorHarness.ParseLoss(Sources.Design, "Rebalanced");
        var graph = parsed.Forward;
        Assert.False(parsed.Failed);
        Assert.StartsWith("(Add (Multiply (Subtract 1 $alpha) (Divide (Sum[Batch+Class] (Subtract 1 (Divide", GraphText.Of(graph, parsed.Result));
        Assert.Contains(graph.Nodes, n => n.Op == Op.Constant && n.Value == (double)0.3f);
        Assert.Contains(graph.Nodes, n => n.Op == Op.Constant && n.Value == (double)0.7f);
        Assert.Equal(new[] { "alpha" }, graph.Nodes.Where(n => n.Op == Op.Hyper).Select(n => n.Name));
        Assert.All(graph.Nodes.Where(n => n.Op == Op.Select), n => Assert.Equal("idc", n.Name));
        Assert.Contains(graph.Nodes, n => n.Label == "tversky_tp");

        var boundary = GeneratorHarness.ParseLoss(Sources.Design, "Boundary");
        Assert.EndsWith(
            "(Multiply $alpha " + GraphText.Of(boundary.Forward, boundary.Result) + "))",
            GraphText.Of(graph, parsed.Result));
    }

    [Fact]
    public void The_model_carries_the_declaration()
    {
        var model = GeneratorHarness.Run(Sources.Design).Model("Tversky");
        Assert.Equal("MyProject", model.Namespace);
        Assert.Equal(new[] { "public static partial class MyLosses" }, model.ContainingTypes);
        Assert.Equal("MyProject.MyLosses", model.TypeFullName);
        Assert.Equal("public", model.Accessibility);
        Assert.Equal("Tversky loss: 1 − TP/(TP + α·FP + β·FN), per image and class, averaged.", model.Summary);
        Assert.Equal(
            new[]
            {
                new ParameterModel("probs", ParameterKind.Field, ""),
                new ParameterModel("target", ParameterKind.Field, ""),
                new ParameterModel("alpha", ParameterKind.Float, "0.3f"),
                new ParameterModel("beta", ParameterKind.Float, "0.7f"),
            },
            model.Parameters);
        Assert.Equal(2, model.Gradients.Count);
        Assert.All(model.Gradients, g => Assert.True(g >= 0));
        Assert.True(model.Graph[model.Result].Shape.IsScalar);
    }

    [Fact]
    public void A_field_the_loss_does_not_use_has_no_gradient()
    {
        var model = GeneratorHarness.Run(Sources.InClass("[Loss] public static Scalar F(Field p, Field unused) => Mean(Log(p));")).Model("F");
        Assert.True(model.Gradients[0] >= 0);
        Assert.Equal(-1, model.Gradients[1]);
    }
}
