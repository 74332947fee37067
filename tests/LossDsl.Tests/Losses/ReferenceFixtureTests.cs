using System;
using System.Linq;
using LossDsl.Distance;
using LossDsl.Tests.Torch;
using Xunit;
using static TorchSharp.torch;
using L = LossDsl.SegmentationLosses;

namespace LossDsl.Tests.Losses;

/// <summary>
/// Every built-in loss equals the independent PyTorch implementation of the reference formulas
/// (Fixtures/losses/make_fixtures.py) on fixed random 2D and 3D inputs, on both back ends, in float64 and float32.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class ReferenceFixtureTests
{
    public static TheoryData<string, string> Matrix()
    {
        var data = new TheoryData<string, string>();
        foreach (var row in Builtins.Matrix()) data.Add((string)row[0], (string)row[1]);
        return data;
    }

    private static double Expected(LossFixture f, string key) => f.Expected[Builtins.Keys[key].Expected];

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Cpu_double_equals_the_PyTorch_reference(string fixture, string key)
    {
        var f = LossFixture.Load(fixture);
        double actual = Builtins.Cpu(key, f.Cpu<double>());
        Assert.True(Builtins.Close(actual, Expected(f, key), 1e-12, 1e-13), $"{key} on {fixture}: {actual:R} vs reference {Expected(f, key):R}");
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Cpu_float_equals_the_PyTorch_reference(string fixture, string key)
    {
        var f = LossFixture.Load(fixture);
        double actual = Builtins.Cpu(key, f.Cpu<float>());
        Assert.True(Builtins.Close(actual, Expected(f, key), 2e-5, 2e-6), $"{key} on {fixture}: {actual:R} vs reference {Expected(f, key):R}");
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void TorchSharp_double_equals_the_PyTorch_reference(string fixture, string key)
    {
        var f = LossFixture.Load(fixture);
        using var x = f.Torch(ScalarType.Float64);
        using var loss = Builtins.Torch(key, x);
        double actual = loss.item<double>();
        Assert.True(Builtins.Close(actual, Expected(f, key), 1e-12, 1e-13), $"{key} on {fixture}: {actual:R} vs reference {Expected(f, key):R}");
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void TorchSharp_float_equals_the_PyTorch_reference(string fixture, string key)
    {
        var f = LossFixture.Load(fixture);
        using var x = f.Torch(ScalarType.Float32);
        using var loss = Builtins.Torch(key, x);
        double actual = loss.item<float>();
        Assert.True(Builtins.Close(actual, Expected(f, key), 2e-5, 2e-6), $"{key} on {fixture}: {actual:R} vs reference {Expected(f, key):R}");
    }

    [Theory]
    [InlineData("2d")]
    [InlineData("3d")]
    public void Hausdorff_maps_equal_the_reference_one_hot2hd_dist(string fixture)
    {
        var f = LossFixture.Load(fixture);
        var (dt, dp) = HausdorffDistanceMaps.Compute(f.Probs, f.Target, f.IntShape);
        Assert.Equal(f.DistTarget.Length, dt.Length);
        for (int i = 0; i < dt.Length; i++)
        {
            Assert.True(Math.Abs(dt[i] - f.DistTarget[i]) < 1e-9, $"D_y[{i}] = {dt[i]} vs {f.DistTarget[i]}");
            Assert.True(Math.Abs(dp[i] - f.DistPrediction[i]) < 1e-9, $"D_ŷ[{i}] = {dp[i]} vs {f.DistPrediction[i]}");
        }
    }

    [Theory]
    [InlineData("2d")]
    [InlineData("3d")]
    public void Hausdorff_maps_from_tensors_equal_the_array_form(string fixture)
    {
        var f = LossFixture.Load(fixture);
        using var x = f.Torch(ScalarType.Float32);
        var (dt, dp) = HausdorffDistanceMaps.Compute(x.Z, x.Y);
        using (dt)
        using (dp)
        {
            Assert.Equal(ScalarType.Float32, dt.dtype);
            var a = dt.data<float>().ToArray();
            var b = dp.data<float>().ToArray();
            for (int i = 0; i < a.Length; i++)
            {
                Assert.True(Math.Abs(a[i] - f.DistTarget[i]) < 1e-5 && Math.Abs(b[i] - f.DistPrediction[i]) < 1e-5, $"element {i}");
            }
        }
    }

    [Theory]
    [InlineData("2d")]
    [InlineData("3d")]
    public void Signed_maps_of_the_fixture_targets_equal_the_reference_one_hot2dist(string fixture)
    {
        // The fixture's boundary inputs are the reference's maps; the library's maps must be the same ones.
        var f = LossFixture.Load(fixture);
        var bytes = f.Target.Select(v => (byte)v).ToArray();
        var maps = new double[bytes.Length];
        SignedDistance.FromOneHot(bytes, f.IntShape, default, maps);
        Assert.All(Enumerable.Range(0, maps.Length), i => Assert.True(Math.Abs(maps[i] - f.Dist[i]) < 1e-9, $"φ[{i}] = {maps[i]} vs {f.Dist[i]}"));
    }

    [Theory]
    [InlineData("2d")]
    [InlineData("3d")]
    public void Label_wrappers_equal_the_one_hot_losses(string fixture)
    {
        var f = LossFixture.Load(fixture);
        using var x = f.Torch(ScalarType.Float64);
        using var labels = f.LabelTensor();
        void Same(Func<TorchSharp.torch.Tensor> withLabels, double expected, string what)
        {
            using var loss = withLabels();
            Assert.True(Builtins.Close(loss.item<double>(), expected, 1e-12, 1e-13), $"{what}: {loss.item<double>():R} vs {expected:R}");
        }

        Same(() => L.CrossEntropyForLabels(x.P, labels, x.All), f.Expected["CrossEntropy"], "CrossEntropyForLabels");
        Same(() => L.CrossEntropyFromLogitsForLabels(x.Z, labels, x.All), f.Expected["CrossEntropyFromLogits"], "CrossEntropyFromLogitsForLabels");
        Same(() => L.DiceForLabels(x.P, labels, x.Fg), f.Expected["Dice"], "DiceForLabels");
        Same(() => L.DiceFromLogitsForLabels(x.Z, labels, x.Fg), f.Expected["DiceFromLogits"], "DiceFromLogitsForLabels");
        Same(() => L.GeneralizedDiceForLabels(x.P, labels, x.All), f.Expected["GeneralizedDice"], "GeneralizedDiceForLabels");
        Same(() => L.GeneralizedDiceFromLogitsForLabels(x.Z, labels, x.All), f.Expected["GeneralizedDiceFromLogits"], "GeneralizedDiceFromLogitsForLabels");
        Same(() => L.FocalFromLogitsForLabels(x.Z, labels, x.All, 2.0), f.Expected["FocalFromLogits"], "FocalFromLogitsForLabels");
        Same(() => L.DiceCrossEntropyFromLogitsForLabels(x.Z, labels, x.All), f.Expected["DiceCrossEntropyFromLogits"], "DiceCrossEntropyFromLogitsForLabels");
        Same(() => L.BoundaryForLabels(x.P, labels, x.Fg), f.Expected["Boundary"], "BoundaryForLabels");
    }

    [Fact]
    public void Worked_example_gives_three_fourteenths()
    {
        // REFERENCE.md: ground truth 4×7 with a 2×2 square at rows 1–2, cols 1–2; prediction rows 1 cols 1–5 and row 2 cols 1–2.
        int[] gt = new int[28];
        int[] pred = new int[28];
        foreach (var (r, c) in new[] { (1, 1), (1, 2), (2, 1), (2, 2) }) gt[(r * 7) + c] = 1;
        foreach (var c in new[] { 1, 2, 3, 4, 5 }) pred[7 + c] = 1;
        foreach (var c in new[] { 1, 2 }) pred[14 + c] = 1;
        int[] labelShape = { 1, 4, 7 };
        var dist = new double[56];
        SignedDistance.FromLabels(gt, labelShape, 2, default, dist);
        var probs = new double[56];
        LossDsl.Utilities.OneHot.FromLabels<double>(pred, labelShape, 2, probs);
        nint[] shape = { 1, 2, 4, 7 };
        double loss = L.BoundaryCpu(new System.Numerics.Tensors.ReadOnlyTensorSpan<double>(probs, shape), new(dist, shape), new[] { 1 });
        Assert.Equal(3.0 / 14.0, loss, 15);

        var onGroundTruth = new double[56];
        LossDsl.Utilities.OneHot.FromLabels<double>(gt, labelShape, 2, onGroundTruth);
        Assert.Equal(0.0, L.BoundaryCpu(new System.Numerics.Tensors.ReadOnlyTensorSpan<double>(onGroundTruth, shape), new(dist, shape), new[] { 1 }), 15);

        using var p = tensor(probs, new long[] { 1, 2, 4, 7 });
        using var d = tensor(dist, new long[] { 1, 2, 4, 7 });
        using var t = L.Boundary(p, d, new[] { 1 });
        Assert.Equal(3.0 / 14.0, t.item<double>(), 15);
    }
}
