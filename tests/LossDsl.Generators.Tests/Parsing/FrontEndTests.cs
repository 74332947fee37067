using System.Linq;
using LossDsl.Generators.Tests.Harness;
using Xunit;

namespace LossDsl.Generators.Tests.Parsing;

/// <summary>Declarations and bodies the front end accepts, and what it reads from them.</summary>
public sealed class FrontEndTests
{
    [Fact]
    public void Block_and_expression_bodies_parse_to_the_same_graph()
    {
        var source = Sources.InClass("""
            [Loss] public static Scalar A(Field p, Field y) => Mean(Square(p - y));
            [Loss] public static Scalar B(Field p, Field y)
            {
                var d = p - y;
                const double half = 0.5;
                var s = Square(d) * half;
                return Mean(s) * 2;
            }
            """);
        var a = GeneratorHarness.ParseLoss(source, "A");
        var b = GeneratorHarness.ParseLoss(source, "B");
        Assert.Equal("(Divide (Sum[All] (Square (Subtract p y))) (Extent[All,]))", GraphText.Of(a.Forward, a.Result));
        Assert.False(b.Failed);
        Assert.Contains("(Square (Subtract p y))", GraphText.Of(b.Forward, b.Result));
        Assert.Contains("0.5", GraphText.Of(b.Forward, b.Result));
        Assert.Contains(b.Forward.Nodes, n => n.Label == "d");
    }

    [Fact]
    public void Named_and_omitted_arguments_of_a_composed_loss_bind_by_parameter()
    {
        var source = Sources.InClass("""
            [Loss] public static Scalar Inner(Field p, Field y, float a = 0.25f, double b = 2) => Mean(a * p + b * y);
            [Loss] public static Scalar Outer(Field p, Field y) => Inner(y: p, p: y, b: 3);
            """);
        var parsed = GeneratorHarness.ParseLoss(source, "Outer");
        Assert.Empty(parsed.Diagnostics);
        Assert.Equal("(Divide (Sum[All] (Add (Multiply 0.25 y) (Multiply 3 p))) (Extent[All,]))", GraphText.Of(parsed.Forward, parsed.Result));
    }

    [Fact]
    public void Nested_static_partial_classes_are_recorded_outermost_first()
    {
        var run = GeneratorHarness.Run("""
            using LossDsl;
            using static LossDsl.Dsl;
            namespace N.M;
            public static partial class Outer
            {
                internal static partial class Inner
                {
                    /// <summary>Mean of <paramref name="p"/> &amp; <see cref="Dsl.Log(Field)"/>.</summary>
                    /// <param name="p">Probabilities.</param>
                    [Loss] internal static Scalar F(Field p, double w = 1, int k = 3, int[] idc = null!) => Mean(p) * w;
                }
            }
            """);
        Assert.Empty(run.Diagnostics);
        var model = run.Model("F");
        Assert.Equal("N.M", model.Namespace);
        Assert.Equal(new[] { "public static partial class Outer", "internal static partial class Inner" }, model.ContainingTypes);
        Assert.Equal("N.M.Outer.Inner", model.TypeFullName);
        Assert.Equal("internal", model.Accessibility);
        Assert.Equal("Mean of p & Log.", model.Summary);
        Assert.Equal(new[] { "", "1.0", "3", "null!" }, model.Parameters.Select(p => p.DefaultValue));
    }

    [Fact]
    public void A_loss_in_the_global_namespace_without_documentation_has_empty_namespace_and_summary()
    {
        var run = GeneratorHarness.Run("""
            using LossDsl;
            public static partial class G { [Loss] public static Scalar F(Field p) => Dsl.Mean(p); }
            """);
        var model = run.Model("F");
        Assert.Equal("", model.Namespace);
        Assert.Equal("", model.Summary);
        Assert.Equal("G", model.TypeFullName);
    }

    [Fact]
    public void A_shape_error_inside_an_inlined_loss_is_reported_at_the_call()
    {
        var run = GeneratorHarness.Run(Sources.InClass("""
            [Loss] public static Scalar Inner(Field p, Field y) => Mean(SumSpatial(p) * y);
            [Loss] public static Scalar Outer(Field p, int[] idc) => Inner(p, Select(p, idc));
            """));
        var diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal("LD0002", diagnostic.Id);
        Assert.Equal("Inner(p, Select(p, idc))", run.SpanText(diagnostic));
        Assert.Contains("in the inlined loss 'Inner'", diagnostic.GetMessage());
        Assert.Equal(new[] { "Inner" }, run.Models.Select(m => m.Name));
    }

    [Fact]
    public void An_error_inside_a_called_loss_is_reported_once_in_that_loss()
    {
        var run = GeneratorHarness.Run(Sources.InClass("""
            [Loss] public static Scalar Inner(Field p) => Mean(p) * System.Math.Sqrt(2);
            [Loss] public static Scalar Outer(Field p) => Inner(p) + Mean(p);
            """));
        var diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal("System.Math.Sqrt(2)", run.SpanText(diagnostic));
        Assert.Empty(run.Models);
    }

    [Fact]
    public void Independent_mistakes_are_all_reported()
    {
        var run = GeneratorHarness.Run(Sources.InClass("""
            [Loss] public static Scalar F(Field p)
            {
                var a = System.Math.Abs(-1.5) * p;
                var b = SumSpatial(SumSpatial(p));
                return Mean(p);
            }
            """));
        Assert.Equal(new[] { "LD0001", "LD0002" }, run.Diagnostics.Select(d => d.Id).OrderBy(i => i));
    }
}
