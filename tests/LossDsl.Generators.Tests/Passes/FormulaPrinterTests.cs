using System.Linq;
using LossDsl.Generators.Ir;
using LossDsl.Generators.Passes;
using Xunit;

namespace LossDsl.Generators.Tests.Passes;

public sealed class FormulaPrinterTests
{
    [Fact]
    public void Tversky_prints_with_its_local_definitions()
    {
        var (d, loss) = Losses.Tversky();
        var formula = FormulaPrinter.Print(d.Graph, loss, out var definitions);
        Assert.Equal("mean(1 − (tp + 1e-5)/(tp + alpha·fp + beta·fn + 1e-5))", formula);
        Assert.Equal(
            new[] { ("tp", "Σ_x probs·target"), ("fp", "Σ_x probs·(1 − target)"), ("fn", "Σ_x (1 − probs)·target") },
            definitions.ToArray());
    }

    [Fact]
    public void Tversky_gradient_prints_in_terms_of_the_adjoints_of_the_locals()
    {
        var (d, loss) = Losses.Tversky();
        var (graph, _, gradients) = Differentiator.Differentiate(d.Graph, loss, new[] { "probs", "target" });
        var formula = FormulaPrinter.Print(graph, gradients[0], out var definitions);
        Assert.Equal("−dL_dfn·target + dL_dfp·(1 − target) + dL_dtp·target", formula);
        Assert.Equal(new[] { "tp", "fp", "fn", "dL_dfn", "dL_dfp", "dL_dtp" }, definitions.Select(x => x.Label).ToArray());
        Assert.Equal(
            "(tp + 1e-5)/(tp + alpha·fp + beta·fn + 1e-5)/(B·C)/(tp + alpha·fp + beta·fn + 1e-5)·beta",
            definitions.Single(x => x.Label == "dL_dfn").Formula);
    }

    [Fact]
    public void Boundary_and_its_gradient()
    {
        var (d, loss) = Losses.Boundary();
        var (graph, result, gradients) = Differentiator.Differentiate(d.Graph, loss, new[] { "probs", "dist" });
        Assert.Equal("mean(probs[idc]·dist[idc])", FormulaPrinter.Print(graph, result));
        Assert.Equal("scatter_idc(dist[idc]/(B·|idc|·|Ω|))", FormulaPrinter.Print(graph, gradients[0]));
    }

    [Fact]
    public void A_sum_closes_a_product_but_is_parenthesised_where_the_product_continues()
    {
        var d = new Dsl();
        var a = d.Field("a");
        var b = d.Field("b");
        var s = d.SumSpatial(a);
        Assert.Equal("b·Σ_x a", P(d, d.Mul(b, s)));
        Assert.Equal("(Σ_x a)·b", P(d, d.Mul(s, b)));
        Assert.Equal("Σ_x a + b", P(d, d.Add(s, b)));
        Assert.Equal("−Σ_x a·b", P(d, d.Neg(d.SumSpatial(d.Mul(a, b)))));
        Assert.Equal("Σ_{b,c} (a + b)", P(d, d.Sum(d.Add(a, b), Axes.Batch | Axes.Class)));
    }

    [Fact]
    public void Means_operators_and_extents()
    {
        var d = new Dsl();
        var a = d.Field("a");
        var b = d.Field("b");
        Assert.Equal("mean_x(a)", P(d, d.Mean(a, Axes.Spatial)));
        Assert.Equal("a − (b − a)", P(d, d.Sub(a, d.Sub(b, a))));
        Assert.Equal("a/(a·b)", P(d, d.Div(a, d.Mul(a, b))));
        Assert.Equal("√(a + b)·log(a)^2.5", P(d, d.Mul(d.Sqrt(d.Add(a, b)), d.Pow(d.Log(a), d.K(2.5)))));
        Assert.Equal("(a + b)²", P(d, d.Square(d.Add(a, b))));
        Assert.Equal("softmax_c(a)[idc]", P(d, d.Select(d.Softmax(a), "idc")));
        Assert.Equal("min(max(a, 0.25), 0.75)", P(d, d.Clamp(a, d.K(0.25), d.K(0.75))));
        Assert.Equal("B·|Ω|", P(d, d.B.Extent(Axes.Batch | Axes.Spatial, "")));
    }

    [Fact]
    public void Formulas_fit_in_a_comment()
    {
        foreach (var (d, loss) in new[] { Losses.Tversky(), Losses.Boundary(), Losses.GeneralizedDice(), Losses.Focal(), Losses.CrossEntropyOfLogits() })
        {
            var fields = d.Graph.Nodes.Where(n => n.Op == Op.Input).Select(n => n.Name).ToArray();
            var (graph, result, gradients) = Differentiator.Differentiate(d.Graph, loss, fields);
            foreach (var root in gradients.Append(result))
            {
                var text = FormulaPrinter.Print(graph, root, out var definitions);
                foreach (var line in definitions.Select(x => x.Formula).Append(text))
                {
                    Assert.DoesNotContain("*/", line);
                    Assert.DoesNotContain("\n", line);
                }

                Assert.Equal(text, FormulaPrinter.Print(graph, root)); // deterministic
            }
        }
    }

    /// <summary>Prints a node built by the argument expression (so the graph is taken after it is built).</summary>
    private static string P(Dsl d, int id) => FormulaPrinter.Print(d.Graph, id);
}
