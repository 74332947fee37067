using System.Collections.Generic;
using LossDsl.Generators.Ir;
using Xunit;

namespace LossDsl.Generators.Tests.Passes;

public sealed class InterpreterTests
{
    private static readonly Dictionary<string, FieldData> Field123 = new()
    {
        // B = 1, C = 3, S = 2: planes [1, 2], [3, 4], [5, 6].
        ["x"] = new FieldData(new double[] { 1, 2, 3, 4, 5, 6 }, 1, 3, 2),
    };

    [Fact]
    public void Scatter_sums_planes_of_duplicate_class_indices_and_zeroes_unlisted_classes()
    {
        var b = new GraphBuilder();
        var selected = b.Add(Op.Select, new[] { b.Input("x") }, "idc");
        var scattered = b.Add(Op.Scatter, new[] { selected }, "idc");
        var interpreter = new Interpreter(b.ToGraph(), Field123, null, new Dictionary<string, int[]> { ["idc"] = new[] { 2, 0, 2 } });
        Assert.Equal(new double[] { 5, 6, 1, 2, 5, 6 }, interpreter.Evaluate(selected).Data);
        Assert.Equal(new double[] { 1, 2, 0, 0, 10, 12 }, interpreter.Evaluate(scattered).Data);
    }

    [Fact]
    public void Scatter_of_a_value_without_classes_counts_each_class_occurrence()
    {
        var b = new GraphBuilder();
        var perPixel = b.Add(Op.Sum, new[] { b.Input("x") }, "", Axes.Class);
        var scattered = b.Add(Op.Scatter, new[] { perPixel }, "idc");
        var interpreter = new Interpreter(b.ToGraph(), Field123, null, new Dictionary<string, int[]> { ["idc"] = new[] { 1, 1 } });
        Assert.Equal(new double[] { 0, 0, 18, 24, 0, 0 }, interpreter.Evaluate(scattered).Data);
    }

    [Fact]
    public void Extents_count_batch_selected_classes_and_positions()
    {
        var b = new GraphBuilder();
        var all = b.Extent(Axes.All, "");
        var selected = b.Extent(Axes.Class | Axes.Spatial, "idc");
        var interpreter = new Interpreter(b.ToGraph(), Field123, null, new Dictionary<string, int[]> { ["idc"] = new[] { 1, 1 } });
        Assert.Equal(6, interpreter.Scalar(all));
        Assert.Equal(4, interpreter.Scalar(selected));
    }

    [Fact]
    public void Broadcasting_a_per_class_value_over_space()
    {
        var b = new GraphBuilder();
        var x = b.Input("x");
        var perClass = b.Add(Op.Sum, new[] { x }, "", Axes.Spatial);
        var product = b.Add(Op.Multiply, perClass, x);
        var interpreter = new Interpreter(b.ToGraph(), Field123);
        Assert.Equal(new double[] { 3, 7, 11 }, interpreter.Evaluate(perClass).Data);
        Assert.Equal(new double[] { 3, 6, 21, 28, 55, 66 }, interpreter.Evaluate(product).Data);
    }

    [Fact]
    public void Softmax_is_taken_over_the_classes_at_each_position()
    {
        var b = new GraphBuilder();
        var softmax = b.Add(Op.Softmax, b.Input("x"));
        var total = b.Add(Op.Sum, new[] { softmax }, "", Axes.Class);
        var data = new Interpreter(b.ToGraph(), Field123).Evaluate(total).Data;
        Assert.Equal(1, data[0], 15);
        Assert.Equal(1, data[1], 15);
    }
}
