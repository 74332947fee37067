using System;
using System.Linq;
using System.Numerics.Tensors;
using LossDsl.Distance;
using Xunit;

namespace LossDsl.Tests.Distance;

public sealed class TensorSpanTests
{
    [Fact]
    public void Tensor_span_forms_equal_span_forms()
    {
        var rng = new Random(11);
        int[] labels = Enumerable.Range(0, 2 * 5 * 6).Select(_ => rng.Next(3)).ToArray();
        var expected = SignedDistance.FromLabels(labels, [2, 5, 6], 3, [2.0, 1.0]);

        var output = new float[expected.Length];
        SignedDistance.FromLabels(new ReadOnlyTensorSpan<int>(labels, [2, 5, 6]), 3, new TensorSpan<float>(output, [2, 3, 5, 6]), [2.0, 1.0]);
        Assert.Equal(expected, output);

        var oneHot = LossDsl.Utilities.OneHot.FromLabels(labels, [2, 5, 6], 3);
        var fromOneHot = new double[expected.Length];
        SignedDistance.FromOneHot(new ReadOnlyTensorSpan<byte>(oneHot, [2, 3, 5, 6]), new TensorSpan<double>(fromOneHot, [2, 3, 5, 6]), [2.0, 1.0]);
        Assert.All(Enumerable.Range(0, expected.Length), i => Assert.Equal(expected[i], fromOneHot[i], 1e-5));

        var mask = oneHot.AsSpan(0, 30).ToArray();
        var edt = new float[30];
        DistanceTransform.Euclidean(new ReadOnlyTensorSpan<byte>(mask, [5, 6]), new TensorSpan<float>(edt, [5, 6]), [2.0, 1.0]);
        Assert.Equal(DistanceTransform.Euclidean(mask, [5, 6], [2.0, 1.0]), edt);
    }

    [Fact]
    public void Output_shape_mismatch_is_reported()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            SignedDistance.FromLabels(new ReadOnlyTensorSpan<int>(new int[6], [1, 6]), 2, new TensorSpan<float>(new float[12], [1, 12])));
        Assert.Contains("output has shape (1, 12) but labels needs (1, 2, 6)", e.Message);
    }

    [Fact]
    public void Non_row_major_input_is_rejected()
    {
        var data = new byte[6];
        var e = Assert.Throws<ArgumentException>(() =>
            DistanceTransform.Euclidean(new ReadOnlyTensorSpan<byte>(data, [3, 2], [1, 3]), new TensorSpan<float>(new float[6], [3, 2])));
        Assert.Contains("row-major", e.Message);
    }
}
