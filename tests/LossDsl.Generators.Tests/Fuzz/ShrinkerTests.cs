using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace LossDsl.Generators.Tests.Fuzz;

/// <summary>The shrinker on artificial failures: what it keeps, what it removes, and that its result is 1-minimal.</summary>
public sealed class ShrinkerTests
{
    private const string Input = """
        using LossDsl;
        using static LossDsl.Dsl;
        namespace F7;
        public static partial class L
        {
            public static int F0Cpu;
            [Loss] public static Scalar F0(Field p, Field q, float a = 0.5f, double b = 2.0, int k = 3, int[] idc = null!) => (Mean(Softmax(p) * q) + Sum(Select(Log(p), idc)));
            [Loss] public static Scalar F1(Field p, Field q, float a = 0.5f, double b = 2.0, int k = 3, int[] idc = null!)
            {
                var t0 = MeanSpatial((p - Square(q)));
                var t1 = Exp((a * Min(p, Sqrt(Abs(q - p)))));
                return (Mean(t0 * p) - (F0(Sigmoid(t1), q, a, b, k, idc) * b));
            }
            [Loss] public static Scalar F2(Field p, Field q, float a = 0.5f, double b = 2.0, int k = 3, int[] idc = null!) => Sum(Clamp(q, 0, 1)) / k;
        }
        """;

    /// <summary>The artificial failure: the file parses and still has a loss that takes a square root.</summary>
    private static bool TakesARoot(string source)
    {
        var tree = CSharpSyntaxTree.ParseText(source);
        return !tree.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error)
            && tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Any(m => m.AttributeLists.ToString().Contains("Loss", StringComparison.Ordinal)
                && m.DescendantNodes().OfType<InvocationExpressionSyntax>().Any(i => i.Expression.ToString() == "Sqrt"));
    }

    [Fact]
    public void A_failure_shrinks_to_the_one_loss_and_the_one_call_that_fail()
    {
        Assert.True(TakesARoot(Input));
        var (shrunk, calls) = Shrinker.Shrink(Input, TakesARoot);

        Assert.True(TakesARoot(shrunk), shrunk);
        var methods = CSharpSyntaxTree.ParseText(shrunk).GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().ToList();
        var method = Assert.Single(methods);
        Assert.DoesNotContain("F0Cpu", shrunk, StringComparison.Ordinal);
        Assert.DoesNotContain("F2", shrunk, StringComparison.Ordinal);
        Assert.DoesNotContain("var t0", shrunk, StringComparison.Ordinal);
        // Sqrt of a field or of a constant: its argument, the other operations and the unused parameters are gone.
        Assert.Matches(@"Sqrt\((p|q|1)\)", shrunk);
        Assert.DoesNotContain("Exp(", shrunk, StringComparison.Ordinal);
        Assert.True(method.ParameterList.Parameters.Count <= 1, method.ParameterList.ToString());
        Assert.True(shrunk.Length < Input.Length / 4, shrunk);
        Assert.InRange(calls, 1, 400);
    }

    [Fact]
    public void The_result_is_1_minimal_no_single_edit_still_fails()
    {
        var (shrunk, _) = Shrinker.Shrink(Input, TakesARoot);
        var smaller = Shrinker.Candidates(shrunk).Where(c => c.Length < shrunk.Length && TakesARoot(c)).ToList();
        Assert.True(smaller.Count == 0, "still shrinkable to:\n" + string.Join("\n----\n", smaller.Take(3)));
    }

    [Fact]
    public void An_input_that_does_not_fail_the_same_way_is_never_taken()
    {
        // Every candidate without the log fails differently (here: does not fail): the log's loss and call stay.
        static bool TakesALog(string source) => source.Contains("Log(p)", StringComparison.Ordinal) && source.Contains("[Loss]", StringComparison.Ordinal);
        var (shrunk, _) = Shrinker.Shrink(Input, TakesALog);
        Assert.Contains("Log(p)", shrunk, StringComparison.Ordinal);
        Assert.DoesNotContain("Sqrt", shrunk, StringComparison.Ordinal);
        Assert.DoesNotContain("F1", shrunk, StringComparison.Ordinal);
    }

    [Fact]
    public void The_budget_bounds_the_calls_of_the_predicate()
    {
        var count = 0;
        var (shrunk, calls) = Shrinker.Shrink(Input, s => { count++; return false; }, budget: 25);
        Assert.Equal(Input, shrunk);
        Assert.Equal(25, calls);
        Assert.Equal(25, count);
    }
}
