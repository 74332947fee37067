using System;
using System.Collections.Generic;
using System.Linq;
using LossDsl.Generators.Ir;
using Xunit;

namespace LossDsl.Generators.Tests.Passes;

/// <summary>
/// Every rewrite of <see cref="GraphBuilder"/> against the formula as written (a builder with simplification off),
/// evaluated by the interpreter on fields full of ±∞, NaN and signed zeros: the same NaNs, the same infinities, finite
/// values equal up to rounding (the promise in GraphBuilder.Simplify). Each case also checks that its rewrite fired
/// (or, for a guard, that the unsafe rewrite did not), so a case cannot pass by testing nothing.
/// </summary>
public sealed class GraphBuilderExactnessTests
{
    private const int Trials = 300;

    /// <summary>A formula over fields x, y and hyper-parameter h, built with the builder it is given.</summary>
    internal delegate int Formula(GraphBuilder b, int x, int y, int h);

    private static readonly Dictionary<string, (Formula Build, bool Rewrites)> Cases = new()
    {
        ["x + 0 = x"] = ((b, x, y, h) => b.Add(Op.Add, x, b.Constant(0)), true),
        ["0 + x = x"] = ((b, x, y, h) => b.Add(Op.Add, b.Constant(0), x), true),
        ["x - 0 = x"] = ((b, x, y, h) => b.Add(Op.Subtract, x, b.Constant(0)), true),
        ["0 - x = -x"] = ((b, x, y, h) => b.Add(Op.Subtract, b.Constant(0), x), true),
        ["x - (-y) = x + y"] = ((b, x, y, h) => b.Add(Op.Subtract, x, b.Add(Op.Negate, y)), true),
        ["x + (-y) = x - y"] = ((b, x, y, h) => b.Add(Op.Add, x, b.Add(Op.Negate, y)), true),
        ["x * 1 = x"] = ((b, x, y, h) => b.Add(Op.Multiply, x, b.Constant(1)), true),
        ["1 * x = x"] = ((b, x, y, h) => b.Add(Op.Multiply, b.Constant(1), x), true),
        ["-1 * x = -x"] = ((b, x, y, h) => b.Add(Op.Multiply, b.Constant(-1), x), true),
        ["x * -1 = -x"] = ((b, x, y, h) => b.Add(Op.Multiply, x, b.Constant(-1)), true),
        ["x * 3 = 3 * x"] = ((b, x, y, h) => b.Add(Op.Multiply, x, b.Constant(3)), true),
        ["2 * (3 * x) = 6 * x"] = ((b, x, y, h) => b.Add(Op.Multiply, b.Constant(2), b.Add(Op.Multiply, b.Constant(3), x)), true),
        ["1e200 * (1e200 * x) is not folded"] = ((b, x, y, h) => b.Add(Op.Multiply, b.Constant(1e200), b.Add(Op.Multiply, b.Constant(1e200), x)), false),
        ["x / 1 = x"] = ((b, x, y, h) => b.Add(Op.Divide, x, b.Constant(1)), true),
        ["(-x) * y = -(x * y)"] = ((b, x, y, h) => b.Add(Op.Multiply, b.Add(Op.Negate, x), y), true),
        ["x * (-y) = -(x * y)"] = ((b, x, y, h) => b.Add(Op.Multiply, x, b.Add(Op.Negate, y)), true),
        ["(-x) / y = -(x / y)"] = ((b, x, y, h) => b.Add(Op.Divide, b.Add(Op.Negate, x), y), true),
        ["x / (-y) = -(x / y)"] = ((b, x, y, h) => b.Add(Op.Divide, x, b.Add(Op.Negate, y)), true),
        ["sum(-x) = -sum(x)"] = ((b, x, y, h) => b.Add(Op.Sum, new[] { b.Add(Op.Negate, x) }, "", Axes.Spatial), true),
        ["-(x - y) = y - x"] = ((b, x, y, h) => b.Add(Op.Negate, b.Add(Op.Subtract, x, y)), true),
        ["(-3) * x = -(3 * x)"] = ((b, x, y, h) => b.Add(Op.Multiply, b.Constant(-3), x), true),
        ["(-3) / x = -(3 / x)"] = ((b, x, y, h) => b.Add(Op.Divide, b.Constant(-3), x), true),
        ["x * (1 / y) = x / y"] = ((b, x, y, h) => b.Add(Op.Multiply, x, b.Add(Op.Divide, b.Constant(1), y)), true),
        ["(1 / y) * x = x / y"] = ((b, x, y, h) => b.Add(Op.Multiply, b.Add(Op.Divide, b.Constant(1), y), x), true),
        ["x + x = 2 * x"] = ((b, x, y, h) => b.Add(Op.Add, x, x), true),
        ["sum(2 * x) = 2 * sum(x)"] = ((b, x, y, h) => b.Add(Op.Sum, new[] { b.Add(Op.Multiply, b.Constant(2), x) }, "", Axes.Spatial), true),
        ["sum(x / 4) = sum(x) / 4"] = ((b, x, y, h) => b.Add(Op.Sum, new[] { b.Add(Op.Divide, x, b.Constant(4)) }, "", Axes.Spatial), true),
        ["sum(x * (1 / N)) = sum(x) * (1 / N)"] = ((b, x, y, h) => b.Add(Op.Sum, new[] { b.Add(Op.Multiply, x, b.Add(Op.Divide, b.Constant(1), b.Extent(Axes.Spatial, ""))) }, "", Axes.Spatial), true),
        ["sum(mean(x) * x) is not factored"] = ((b, x, y, h) => b.Add(Op.Sum, new[] { b.Add(Op.Multiply, Mean(b, x), x) }, "", Axes.All), false),
        ["sum(h * x) is not factored"] = ((b, x, y, h) => b.Add(Op.Sum, new[] { b.Add(Op.Multiply, h, x) }, "", Axes.Spatial), false),
        ["sum(x * h) is not factored"] = ((b, x, y, h) => b.Add(Op.Sum, new[] { b.Add(Op.Multiply, x, h) }, "", Axes.Spatial), false),
        ["sum(x / h) is not factored"] = ((b, x, y, h) => b.Add(Op.Sum, new[] { b.Add(Op.Divide, x, h) }, "", Axes.Spatial), false),
        ["sum(x / 0) is not factored"] = ((b, x, y, h) => b.Add(Op.Sum, new[] { b.Add(Op.Divide, x, b.Constant(0)) }, "", Axes.Spatial), false),
        ["-(-x) = x"] = ((b, x, y, h) => b.Add(Op.Negate, b.Add(Op.Negate, x)), true),
        ["log(softmax(x)) = logsoftmax(x)"] = ((b, x, y, h) => b.Add(Op.Log, b.Add(Op.Softmax, x)), true),
        ["exp(logsoftmax(x)) = softmax(x)"] = ((b, x, y, h) => b.Add(Op.Exp, b.Add(Op.LogSoftmax, x)), true),
        ["pow(x, 1) = x"] = ((b, x, y, h) => b.Add(Op.Pow, x, b.Constant(1)), true),
        ["pow(x, 2) = square(x)"] = ((b, x, y, h) => b.Add(Op.Pow, x, b.Constant(2)), true),
        ["sum_b(sum_s(x)) = sum_bs(x)"] = ((b, x, y, h) => b.Add(Op.Sum, new[] { b.Add(Op.Sum, new[] { x }, "", Axes.Spatial) }, "", Axes.Batch), true),
    };

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Rewrite_gives_the_same_NaNs_and_infinities_as_the_formula_as_written(string name)
    {
        var (build, rewrites) = Cases[name];
        var (asWritten, written) = Build(new GraphBuilder(simplify: false), build);
        var (simplified, result) = Build(new GraphBuilder(), build);
        Assert.True(rewrites == !SameStructure(asWritten, written, simplified, result), rewrites ? "the rewrite did not fire" : "the unsafe rewrite fired");

        var random = new Random(20240614);
        for (var trial = 0; trial < Trials; trial++)
        {
            var fields = new Dictionary<string, FieldData> { ["x"] = RandomField(random), ["y"] = RandomField(random) };
            var hypers = new Dictionary<string, double> { ["h"] = RandomValue(random) };
            var expected = new Interpreter(asWritten, fields, hypers).Evaluate(written).Data;
            var actual = new Interpreter(simplified, fields, hypers).Evaluate(result).Data;
            Assert.Equal(expected.Length, actual.Length);
            for (var i = 0; i < expected.Length; i++)
            {
                Assert.True(
                    Agrees(expected[i], actual[i]),
                    $"{name}, trial {trial}, element {i}: as written {expected[i]}, simplified {actual[i]}; x = [{string.Join(", ", fields["x"].Data)}], y = [{string.Join(", ", fields["y"].Data)}], h = {hypers["h"]}");
            }
        }
    }

    private static int Mean(GraphBuilder b, int x) => b.Add(Op.Divide, b.Add(Op.Sum, new[] { x }, "", Axes.All), b.Extent(Axes.All, ""));

    private static (Graph Graph, int Result) Build(GraphBuilder b, Formula build)
    {
        var x = b.Input("x");
        var y = b.Input("y");
        var h = b.Hyper("h");
        var result = build(b, x, y, h);
        return (b.ToGraph(), result);
    }

    /// <summary>Whether two results are the same expression tree (the rewrite left the formula alone).</summary>
    private static bool SameStructure(Graph a, int ia, Graph b, int ib)
    {
        var (na, nb) = (a[ia], b[ib]);
        return na.Op == nb.Op && na.Value.Equals(nb.Value) && na.Reduce == nb.Reduce && na.Name == nb.Name && na.Args.Count == nb.Args.Count
            && Enumerable.Range(0, na.Args.Count).All(k => SameStructure(a, na.Args[k], b, nb.Args[k]));
    }

    /// <summary>Same NaN-ness, the same infinity, or finite and equal up to rounding (signed zeros compare equal).</summary>
    private static bool Agrees(double expected, double actual)
    {
        if (double.IsNaN(expected) || double.IsNaN(actual))
        {
            return double.IsNaN(expected) && double.IsNaN(actual);
        }

        if (double.IsInfinity(expected) || double.IsInfinity(actual))
        {
            return expected.Equals(actual);
        }

        return Math.Abs(expected - actual) <= 1e-12 * Math.Max(1, Math.Max(Math.Abs(expected), Math.Abs(actual)));
    }

    private static FieldData RandomField(Random random)
    {
        const int B = 2, C = 3, S = 4;
        return new FieldData(Enumerable.Range(0, B * C * S).Select(_ => RandomValue(random)).ToArray(), B, C, S);
    }

    /// <summary>Mostly moderate values, with ±∞, NaN and ±0 often enough that every combination occurs.</summary>
    private static double RandomValue(Random random) => random.Next(10) switch
    {
        0 => double.PositiveInfinity,
        1 => double.NegativeInfinity,
        2 => double.NaN,
        3 => random.Next(2) == 0 ? 0.0 : -0.0,
        _ => Math.Round((random.NextDouble() * 6) - 3, 3),
    };
}
