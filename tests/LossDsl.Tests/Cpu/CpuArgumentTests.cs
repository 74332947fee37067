using System;
using System.Numerics.Tensors;
using Xunit;

namespace LossDsl.Tests.Cpu;

/// <summary>Bad input to generated CPU entry points: an ArgumentException that names the argument and the shapes.</summary>
public sealed class CpuArgumentTests
{
    private static readonly nint[] Shape = { 2, 3, 4, 5 };

    private static ReadOnlyTensorSpan<double> Field(params nint[] shape)
    {
        var count = 1;
        foreach (var n in shape)
        {
            count *= (int)n;
        }

        return new ReadOnlyTensorSpan<double>(new double[count], shape);
    }

    [Fact]
    public void Fields_of_different_shapes_are_rejected_with_both_shapes()
    {
        var error = Assert.Throws<ArgumentException>(() => ExampleLosses.BoundaryCpu(Field(Shape), Field(2, 3, 5, 4), new[] { 1 }));
        Assert.Equal("dist", error.ParamName);
        Assert.Contains("(2, 3, 5, 4)", error.Message);
        Assert.Contains("(2, 3, 4, 5)", error.Message);
    }

    [Fact]
    public void A_class_index_outside_the_classes_is_rejected_with_its_position()
    {
        var error = Assert.Throws<ArgumentException>(() => ExampleLosses.BoundaryCpu(Field(Shape), Field(Shape), new[] { 1, 3 }));
        Assert.Equal("idc", error.ParamName);
        Assert.Contains("idc[1] = 3", error.Message);
        Assert.Contains("0..2", error.Message);
    }

    [Fact]
    public void An_empty_class_list_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => ExampleLosses.BoundaryCpu(Field(Shape), Field(Shape), Array.Empty<int>()));
        Assert.Equal("idc", error.ParamName);
        Assert.Contains("empty", error.Message);
    }

    [Fact]
    public void A_null_class_list_is_rejected()
    {
        var error = Assert.Throws<ArgumentNullException>(() => ExampleLosses.BoundaryCpu(Field(Shape), Field(Shape), null!));
        Assert.Equal("idc", error.ParamName);
    }

    [Fact]
    public void A_gradient_of_the_wrong_shape_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => ExampleLosses.BoundaryCpuGradient(
            Field(Shape), Field(Shape), new TensorSpan<double>(new double[120], new nint[] { 2, 3, 20 }), default, new[] { 1 }));
        Assert.Equal("gradProbs", error.ParamName);
        Assert.Contains("(2, 3, 20)", error.Message);
    }

    [Fact]
    public void A_field_without_class_axis_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => ExampleLosses.BoundaryCpu(Field(6), Field(6), new[] { 0 }));
        Assert.Equal("probs", error.ParamName);
        Assert.Contains("(B, C, *spatial)", error.Message);
    }

    [Fact]
    public void An_empty_gradient_span_means_not_wanted()
    {
        var probs = new double[120];
        var dist = new double[120];
        Array.Fill(probs, 0.5);
        Array.Fill(dist, 2.0);
        var gradDist = new double[120];
        var value = ExampleLosses.BoundaryCpuGradient(
            new ReadOnlyTensorSpan<double>(probs, Shape), new ReadOnlyTensorSpan<double>(dist, Shape), default, new TensorSpan<double>(gradDist, Shape), new[] { 1 });
        Assert.Equal(1.0, value, 15);
        Assert.Equal(0.5 / 40, gradDist[((0 * 3) + 1) * 20], 15);
        Assert.Equal(0.0, gradDist[0]);
    }
}
