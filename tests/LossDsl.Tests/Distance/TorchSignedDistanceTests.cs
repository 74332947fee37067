using System;
using System.Linq;
using LossDsl.Distance;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace LossDsl.Tests.Distance;

public sealed class TorchSignedDistanceTests
{
    [Fact]
    public void Tensor_maps_equal_span_maps_in_float32_and_float64()
    {
        var rng = new Random(9);
        var labels = Enumerable.Range(0, 2 * 6 * 7).Select(_ => rng.Next(3)).ToArray();
        var expected = SignedDistance.FromLabels(labels, [2, 6, 7], 3, [0.5, 1.0]);
        using var labelTensor = torch.tensor(labels, [2, 6, 7], ScalarType.Int64);
        using var oneHot = LossDsl.Utilities.OneHot.FromLabels(labelTensor, 3, ScalarType.Float32);
        using var fromOneHot = SignedDistance.FromOneHot(oneHot, [0.5, 1.0]);
        using var fromLabels = SignedDistance.FromLabels(labelTensor, 3, [0.5, 1.0], dtype: ScalarType.Float64);
        Assert.Equal(new long[] { 2, 3, 6, 7 }, fromOneHot.shape);
        Assert.Equal(ScalarType.Float32, fromOneHot.dtype);
        Assert.Equal(ScalarType.Float64, fromLabels.dtype);
        Assert.Equal(expected, fromOneHot.data<float>().ToArray());
        var doubles = fromLabels.data<double>().ToArray();
        Assert.All(Enumerable.Range(0, expected.Length), i => Assert.Equal(expected[i], doubles[i], 1e-5));
        Assert.Equal(DeviceType.CPU, fromOneHot.device_type);
    }

    [Fact]
    public void Non_binary_tensor_is_rejected_with_its_position()
    {
        using var t = torch.zeros(1, 2, 3, 3);
        t[0, 0] = torch.tensor(1f);
        t[0, 1, 1, 1] = torch.tensor(0.5f);
        var e = Assert.Throws<ArgumentException>(() => SignedDistance.FromOneHot(t));
        Assert.Contains("value 0.5 at batch item 0, class 1, position (1, 1)", e.Message);
    }

    [Fact]
    public void Float_labels_are_rejected()
    {
        using var t = torch.zeros(1, 3, 3);
        Assert.Throws<ArgumentException>(() => SignedDistance.FromLabels(t, 2));
    }
}
