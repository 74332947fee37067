using LossDsl.Generators.Tests.Harness;
using Xunit;

namespace LossDsl.Generators.Tests.Parsing;

/// <summary>Each Dsl intrinsic and operator maps to the IR it is documented as.</summary>
public sealed class IntrinsicTests
{
    [Theory]
    [InlineData("Sum(Log(p))", "(Sum[All] (Log p))")]
    [InlineData("Sum(Exp(p) + Sqrt(p) + Abs(p) + Square(p) + Sigmoid(p))", "(Sum[All] (Add (Add (Add (Add (Exp p) (Sqrt p)) (Abs p)) (Square p)) (Sigmoid p)))")]
    [InlineData("Sum(Pow(p, g))", "(Sum[All] (Pow p $g))")]
    [InlineData("Sum(Min(p, q) + Max(p, 0.5))", "(Sum[All] (Add (Minimum p q) (Maximum p 0.5)))")]
    [InlineData("Sum(Clamp(p, 0, 1))", "(Sum[All] (Minimum (Maximum p 0) 1))")]
    [InlineData("Sum(Softmax(p) * LogSoftmax(q))", "(Sum[All] (Multiply (Softmax p) (LogSoftmax q)))")]
    [InlineData("Sum(SumSpatial(p))", "(Sum[All] p)")]
    [InlineData("Sum(SumClasses(p) * SumBatch(q))", "(Sum[All] (Multiply (Sum[Class] p) (Sum[Batch] q)))")]
    [InlineData("Sum(Log(MeanSpatial(p)))", "(Sum[Batch+Class] (Log (Divide (Sum[Spatial] p) (Extent[Spatial,]))))")]
    [InlineData("Sum(Log(MeanClasses(Select(p, idc))))", "(Sum[Batch+Spatial] (Log (Divide (Sum[Class] (Select[idc] p)) (Extent[Class,idc]))))")]
    [InlineData("Sum(Log(MeanSpatial(Select(p, idc))))", "(Sum[Batch+Class] (Log (Divide (Sum[Spatial] (Select[idc] p)) (Extent[Spatial,]))))")]
    [InlineData("Sum(Log(MeanBatch(p)))", "(Sum[Class+Spatial] (Log (Divide (Sum[Batch] p) (Extent[Batch,]))))")]
    [InlineData("Mean(SumSpatial(p))", "(Divide (Sum[All] p) (Extent[Batch+Class,]))")]
    [InlineData("Sum(Log(-p)) + +Sum(q)", "(Add (Sum[All] (Log (Negate p))) (Sum[All] q))")]
    [InlineData("Sum(p / 2 - 3 * q)", "(Sum[All] (Subtract (Divide p 2) (Multiply 3 q)))")]
    [InlineData("Sum(p) * (1 - g / 4) * n", "(Multiply (Multiply (Sum[All] p) (Subtract 1 (Divide $g 4))) $n)")]
    [InlineData("Sum(p) * (2 * 3.5 - 1)", "(Multiply 6 (Sum[All] p))")]
    [InlineData("Sum(LossDsl.Dsl.Log(p))", "(Sum[All] (Log p))")]
    public void An_intrinsic_maps_to_its_IR(string expression, string expected)
    {
        var source = Sources.InClass($"[Loss] public static Scalar F(Field p, Field q, double g, int n, int[] idc) => {expression};");
        var parsed = GeneratorHarness.ParseLoss(source, "F");
        Assert.Empty(parsed.Diagnostics);
        Assert.False(parsed.Failed);
        Assert.Equal(expected, GraphText.Of(parsed.Forward, parsed.Result));
    }
}
