using System;
using System.Linq;
using LossDsl.Generators.Ir;
using LossDsl.Generators.Passes;
using Xunit;

namespace LossDsl.Generators.Tests.Passes;

/// <summary>Gradients of the built-in losses, w.r.t. every field, against finite differences.</summary>
public sealed class LossGradientTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Tversky(int seed)
    {
        var (d, loss) = Losses.Tversky();
        new GradientCheck(2, 3, 5, seed).Simplex("probs").Field("target", 0, 1).Hyper("alpha", 0.3).Hyper("beta", 0.7).Check(d.Graph, loss);
    }

    [Theory]
    [InlineData(new[] { 1 })]
    [InlineData(new[] { 1, 2 })]
    [InlineData(new[] { 2, 0, 2 })]
    public void Boundary_with_selected_classes(int[] idc)
    {
        var (d, loss) = Losses.Boundary();
        var (graph, _, gradients) = new GradientCheck(2, 3, 4, 3).Simplex("probs").Field("dist", -3, 3).Classes("idc", idc).Check(d.Graph, loss);
        Assert.Contains(graph.Nodes, n => n.Op == Op.Scatter);
    }

    [Fact]
    public void Boundary_gradient_is_the_distance_map_over_the_element_count_on_selected_classes_and_zero_elsewhere()
    {
        var (d, loss) = Losses.Boundary();
        var inputs = new GradientCheck(2, 3, 4, 4).Simplex("probs").Field("dist", -3, 3).Classes("idc", 1);
        var (graph, _, gradients) = Differentiator.Differentiate(d.Graph, loss, new[] { "probs", "dist" });
        var gradient = new Interpreter(graph, inputs.Fields, null, inputs.ClassLists).Evaluate(gradients[0]).ToField(2, 3, 4);
        var dist = inputs.Fields["dist"].Data;
        for (var i = 0; i < gradient.Length; i++)
        {
            var c = i / 4 % 3;
            Assert.Equal(c == 1 ? dist[i] / (2 * 1 * 4) : 0, gradient[i], 15);
        }
    }

    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    public void Generalized_dice_with_per_class_weights(int seed)
    {
        var (d, loss) = Losses.GeneralizedDice();
        new GradientCheck(2, 3, 4, seed).Simplex("probs").Field("target", 0.3, 1).Check(d.Graph, loss);
    }

    [Fact]
    public void Focal_with_a_hyper_parameter_exponent()
    {
        var (d, loss) = Losses.Focal();
        new GradientCheck(2, 3, 4, 7).Simplex("probs").Simplex("target").Hyper("gamma", 2).Check(d.Graph, loss);
    }

    [Fact]
    public void Cross_entropy_of_logits()
    {
        var (d, loss) = Losses.CrossEntropyOfLogits();
        new GradientCheck(2, 4, 3, 8).Field("logits", -4, 4).Simplex("target").Check(d.Graph, loss);
    }

    [Fact]
    public void Rebalanced_combination_of_two_losses()
    {
        // (1 − α)·Tversky + α·Boundary: both losses in one graph, sharing probs.
        var (d, tversky) = Losses.Tversky();
        var boundary = d.Mean(d.Mul(d.Select(d.Field("probs"), "idc"), d.Select(d.Field("dist"), "idc")));
        var alpha = d.Hyper("a");
        var loss = d.Add(d.Mul(d.Sub(d.K(1), alpha), tversky), d.Mul(alpha, boundary));
        new GradientCheck(2, 3, 4, 9).Simplex("probs").Field("target", 0, 1).Field("dist", -2, 2)
            .Hyper("alpha", 0.3).Hyper("beta", 0.7).Hyper("a", 0.2).Classes("idc", 1, 2).Check(d.Graph, loss);
    }

    [Fact]
    public void Differentiating_keeps_the_loss_value_and_shares_forward_values()
    {
        var (d, loss) = Losses.Tversky();
        var forward = d.Graph;
        var (graph, result, gradients) = Differentiator.Differentiate(forward, loss, new[] { "probs", "target" });

        // tp is used by the loss and by its gradient; hash-consing keeps one node for it.
        Assert.Single(graph.Nodes, n => n.Label == "tp");
        Assert.Equal("dL_dprobs", graph[gradients[0]].Label);
        Assert.Equal("dL_dtarget", graph[gradients[1]].Label);
        Assert.Contains(graph.Nodes, n => n.Label == "dL_dtp");
    }
}
