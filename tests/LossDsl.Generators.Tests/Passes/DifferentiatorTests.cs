using System;
using System.Linq;
using LossDsl.Generators.Ir;
using LossDsl.Generators.Passes;
using Xunit;

namespace LossDsl.Generators.Tests.Passes;

/// <summary>Gradients of single operations and of the built-in losses, against finite differences (see <see cref="GradientCheck"/>).</summary>
public sealed class DifferentiatorTests
{
    private static GradientCheck Inputs(int seed = 1) => new(2, 3, 4, seed);

    [Theory]
    [InlineData(Op.Negate)]
    [InlineData(Op.Log)]
    [InlineData(Op.Exp)]
    [InlineData(Op.Sqrt)]
    [InlineData(Op.Abs)]
    [InlineData(Op.Square)]
    [InlineData(Op.Sigmoid)]
    [InlineData(Op.Softmax)]
    [InlineData(Op.LogSoftmax)]
    internal void Unary_operation_gradients_match_finite_differences(Op op)
    {
        var d = new Dsl();
        var x = d.Field("x");
        var w = d.Field("w");
        var loss = d.Mean(d.Mul(d.B.Add(op, x), w));
        Inputs().Field("x", 0.2, 2).Field("w", -1, 1).Check(d.Graph, loss);
    }

    [Theory]
    [InlineData(Op.Add)]
    [InlineData(Op.Subtract)]
    [InlineData(Op.Multiply)]
    [InlineData(Op.Divide)]
    [InlineData(Op.Minimum)]
    [InlineData(Op.Maximum)]
    internal void Binary_operation_gradients_match_finite_differences(Op op)
    {
        var d = new Dsl();
        var loss = d.Mean(d.Square(d.B.Add(op, d.Field("a"), d.Field("b"))));

        // b = a ± 0.1..0.5 keeps min and max away from their kink at a = b.
        var inputs = Inputs().Field("a", 0.5, 1.5);
        var a = inputs.Fields["a"].Data;
        inputs.Field("b", 0.1, 0.5);
        var b = inputs.Fields["b"].Data;
        for (var i = 0; i < b.Length; i++)
        {
            b[i] = a[i] + (i % 2 == 0 ? b[i] : -b[i]);
        }

        inputs.Check(d.Graph, loss);
    }

    [Fact]
    public void Pow_with_a_hyper_parameter_exponent_differentiates_the_base()
    {
        var d = new Dsl();
        var loss = d.Mean(d.Pow(d.Field("x"), d.Hyper("gamma")));
        Inputs().Field("x", 0.2, 2).Hyper("gamma", 2.5).Check(d.Graph, loss);
    }

    [Fact]
    public void Pow_with_a_constant_exponent_differentiates_the_base()
    {
        var d = new Dsl();
        var loss = d.Mean(d.Pow(d.Field("x"), d.K(3)));
        Inputs().Field("x", 0.2, 2).Check(d.Graph, loss);
    }

    [Fact]
    public void Clamp_away_from_its_bounds_passes_gradients_inside_and_blocks_them_outside()
    {
        var d = new Dsl();
        var loss = d.Mean(d.Mul(d.Clamp(d.Field("x"), d.K(0.25), d.K(0.75)), d.Field("w")));
        static double AwayFromBounds(double v) => Math.Abs(v - 0.25) < 0.05 || Math.Abs(v - 0.75) < 0.05 ? v + 0.1 : v;
        var (graph, _, gradients) = Inputs().Field("x", 0, 1, AwayFromBounds).Field("w", -1, 1).Check(d.Graph, loss);
        Assert.All(gradients, g => Assert.True(g >= 0));
    }

    [Fact]
    public void Abs_of_a_difference_away_from_zero()
    {
        var d = new Dsl();
        var loss = d.Mean(d.Abs(d.Sub(d.Field("p"), d.Field("y"))));
        Inputs().Field("p", 0, 1, v => Math.Abs(v - 0.5) < 0.05 ? v + 0.1 : v).Field("y", 0.5, 0.5).Check(d.Graph, loss);
    }

    [Theory]
    [InlineData(Axes.Batch)]
    [InlineData(Axes.Class)]
    [InlineData(Axes.Spatial)]
    [InlineData(Axes.Batch | Axes.Class)]
    [InlineData(Axes.Class | Axes.Spatial)]
    [InlineData(Axes.All)]
    internal void Sums_over_each_axis_broadcast_their_adjoint_back(Axes axes)
    {
        var d = new Dsl();
        var loss = d.Mean(d.Square(d.Sum(d.Mul(d.Field("x"), d.Field("w")), axes)));
        Inputs().Field("x", -1, 1).Field("w", -1, 1).Check(d.Graph, loss);
    }

    [Fact]
    public void Per_image_class_values_times_a_field_unbroadcast_over_space()
    {
        // (B, C) × (B, C, S): the adjoint of the per-(b, c) value is summed over the spatial axes.
        var d = new Dsl();
        var perClass = d.Let("area", d.SumSpatial(d.Field("p")));
        var loss = d.Mean(d.Mul(d.Square(perClass), d.Field("q")));
        var (graph, _, gradients) = Inputs().Field("p", 0, 1).Field("q", -1, 1).Check(d.Graph, loss);

        // ∂L/∂p is constant along space (it is ∂L/∂area broadcast), so it keeps the (B, C) shape.
        Assert.Equal(Axes.Batch | Axes.Class, graph[gradients[0]].Shape.Axes);
        Assert.Contains(graph.Nodes, n => n.Op == Op.Sum && n.Reduce == Axes.Spatial && graph[n.Args[0]].Shape.Has(Axes.Spatial) && n.Args.Any(a => Mentions(graph, a, "q")));
    }

    [Fact]
    public void Per_pixel_values_times_a_field_unbroadcast_over_classes()
    {
        // (B, S) × (B, C, S).
        var d = new Dsl();
        var perPixel = d.Let("total", d.SumClasses(d.Mul(d.Field("p"), d.Field("p"))));
        var loss = d.Mean(d.Mul(d.Sqrt(perPixel), d.Field("q")));
        var (graph, _, _) = Inputs().Field("p", 0.1, 1).Field("q", -1, 1).Check(d.Graph, loss);
        Assert.Equal(Axes.Batch | Axes.Spatial, graph.Nodes.Single(n => n.Label == "dL_dtotal").Shape.Axes);
    }

    [Fact]
    public void A_scalar_times_a_field_sums_its_adjoint_over_everything()
    {
        var d = new Dsl();
        var scale = d.Let("scale", d.Mean(d.Field("p")));
        var loss = d.Mean(d.Mul(d.Exp(scale), d.Field("q")));
        var (graph, _, _) = Inputs().Field("p", 0, 1).Field("q", -1, 1).Check(d.Graph, loss);
        Assert.True(graph.Nodes.Single(n => n.Label == "dL_dscale").Shape.IsScalar);
    }

    [Theory]
    [InlineData(Axes.Spatial)]
    [InlineData(Axes.Class)]
    [InlineData(Axes.Batch | Axes.Class)]
    [InlineData(Axes.All)]
    internal void A_reduced_value_added_to_a_field_collects_one_adjoint_per_broadcast_copy(Axes axes)
    {
        // The adjoint of the sum is a scalar (constant along every axis), so unbroadcasting must multiply by the
        // number of copies rather than sum over axes the adjoint does not have.
        var d = new Dsl();
        var loss = d.Mean(d.Add(d.Field("a"), d.Square(d.Sum(d.Field("b"), axes))));
        Inputs().Field("a", -1, 1).Field("b", -1, 1).Check(d.Graph, loss);
    }

    [Fact]
    public void Selected_classes_added_to_a_value_without_classes()
    {
        var d = new Dsl();
        var perPixel = d.SumClasses(d.Field("a"));
        var loss = d.Mean(d.Mul(d.Add(d.Select(d.Field("b"), "idc"), d.Square(perPixel)), d.Select(d.Field("w"), "idc")));
        Inputs().Field("a", -1, 1).Field("b", -1, 1).Field("w", -1, 1).Classes("idc", 2, 0, 2).Check(d.Graph, loss);
    }

    [Fact]
    public void Softmax_chains()
    {
        var d = new Dsl();
        var p = d.Softmax(d.Field("logits"));
        var loss = d.Mean(d.Mul(d.Softmax(d.Mul(d.K(3), p)), d.Log(d.Add(p, d.Field("y")))));
        Inputs().Field("logits", -2, 2).Field("y", 0.1, 1).Check(d.Graph, loss);
    }

    [Fact]
    public void Softmax_whose_adjoint_lacks_the_class_axis()
    {
        // Σ_c of softmax is 1: the gradient is ~0, and the rule must still handle an adjoint without the class axis.
        var d = new Dsl();
        var loss = d.Mean(d.Mul(d.SumClasses(d.Softmax(d.Field("x"))), d.SumClasses(d.LogSoftmax(d.Field("x")))));
        Inputs().Field("x", -2, 2).Check(d.Graph, loss);
    }

    [Fact]
    public void Cross_entropy_of_logits_gives_softmax_minus_target()
    {
        var d = new Dsl();
        var y = d.Field("y");
        var loss = d.Neg(d.Div(d.Sum(d.Mul(y, d.Log(d.Softmax(d.Field("logits"))))), d.B.Extent(Axes.Batch | Axes.Spatial, "")));
        var inputs = Inputs().Field("logits", -3, 3).Simplex("y");
        var (graph, _, gradients) = inputs.Check(d.Graph, loss);
        Assert.Contains(graph.Nodes, n => n.Op == Op.LogSoftmax);
        Assert.DoesNotContain(graph.Nodes, n => n.Op == Op.Log);
    }

    [Fact]
    public void Log_of_sigmoid_is_differentiated_as_a_whole_and_stays_finite()
    {
        var d = new Dsl();
        var loss = d.Sum(d.Log(d.Sigmoid(d.Field("x"))));
        var inputs = Inputs();
        inputs.Fields["x"] = new FieldData(Enumerable.Repeat(-800.0, 24).ToArray(), 2, 3, 4);
        var (graph, _, gradients) = Differentiator.Differentiate(d.Graph, loss, new[] { "x" });
        var gradient = new Interpreter(graph, inputs.Fields).Evaluate(gradients[0]).ToField(2, 3, 4);
        Assert.All(gradient, g => Assert.Equal(1.0, g));
        Inputs().Field("x", -4, 4).Check(d.Graph, loss);
    }

    [Fact]
    public void Log_of_sigmoid_with_another_user_of_the_sigmoid()
    {
        var d = new Dsl();
        var s = d.Sigmoid(d.Field("x"));
        var loss = d.Mean(d.Mul(d.Log(s), d.Add(s, d.Field("w"))));
        Inputs().Field("x", -3, 3).Field("w", 0, 1).Check(d.Graph, loss);
    }

    [Fact]
    public void Unused_fields_get_no_gradient_and_used_ones_are_named_after_the_field()
    {
        var d = new Dsl();
        d.Field("unused");
        var loss = d.Mean(d.Square(d.Field("probs")));
        var (graph, result, gradients) = Differentiator.Differentiate(d.Graph, loss, new[] { "probs", "unused", "absent" });
        Assert.Equal(-1, gradients[1]);
        Assert.Equal(-1, gradients[2]);
        Assert.Equal("dL_dprobs", graph[gradients[0]].Label);
        Assert.DoesNotContain(graph.Nodes, n => n.Name == "unused");
        Assert.Equal(Op.Divide, graph[result].Op);
    }

    [Fact]
    public void Every_operation_has_a_derivative_rule()
    {
        Assert.All(Enum.GetValues(typeof(Op)).Cast<Op>(), op => Assert.True(DerivativeRules.Has(op), op + " has no rule"));
    }

    [Fact]
    public void Derivatives_are_simplified_no_multiplications_by_one_and_no_double_negations()
    {
        var d = new Dsl();
        var loss = d.Neg(d.Mean(d.Neg(d.Mul(d.Field("a"), d.Field("b")))));
        var (graph, _, _) = Differentiator.Differentiate(d.Graph, loss, new[] { "a", "b" });
        Assert.DoesNotContain(graph.Nodes, n => n.Op == Op.Multiply && n.Args.Any(a => graph[a].Op == Op.Constant && graph[a].Value == 1));
        Assert.DoesNotContain(graph.Nodes, n => n.Op == Op.Negate && graph[n.Args[0]].Op == Op.Negate);
    }

    private static bool Mentions(Graph graph, int id, string field) =>
        (graph[id].Op == Op.Input && graph[id].Name == field) || graph[id].Args.Any(a => Mentions(graph, a, field));
}
