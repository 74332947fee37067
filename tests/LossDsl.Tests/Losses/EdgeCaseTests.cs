using System;
using System.Linq;
using System.Numerics.Tensors;
using LossDsl.Tests.Torch;
using Xunit;
using static TorchSharp.torch;
using L = LossDsl.SegmentationLosses;

namespace LossDsl.Tests.Losses;

/// <summary>
/// The documented behaviour at the edges (docs/catalogue.md): all-background batches, classes missing from the
/// ground truth, perfect predictions, and the opt-in checks for non-simplex probabilities and non-one-hot labels.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class EdgeCaseTests
{
    private static readonly nint[] Shape = { 2, 2, 4, 5 };
    private static readonly int[] Foreground = { 1 };

    private static double[] Background()
    {
        // Every element labelled class 0.
        var y = new double[80];
        for (int b = 0; b < 2; b++) Array.Fill(y, 1.0, b * 40, 20);
        return y;
    }

    private static double[] UniformProbs() => Enumerable.Repeat(0.5, 80).ToArray();

    private static ReadOnlyTensorSpan<double> S(double[] d) => new(d, Shape);

    [Fact]
    public void All_background_batch_gives_the_documented_values_and_finite_gradients()
    {
        var y = Background();
        var p = UniformProbs();
        var zeros = new double[80];
        var values = new (string Name, double Value, double Expected)[]
        {
            ("CrossEntropy", L.CrossEntropyCpu(S(p), S(y), Foreground), 0),
            ("Focal", L.FocalCpu(S(p), S(y), Foreground, 2.0), 0),
            ("Boundary", L.BoundaryCpu(S(p), S(zeros), Foreground), 0),
            ("Dice", L.DiceCpu(S(p), S(y), Foreground), 1),
            ("GeneralizedDice", L.GeneralizedDiceCpu(S(p), S(y), Foreground), 1),
            ("GeneralizedDiceMonai", L.GeneralizedDiceMonaiCpu(S(p), S(y), Foreground), 1),
            ("Tversky", L.TverskyCpu(S(p), S(y), Foreground), 1),
            ("HausdorffDT", L.HausdorffDTCpu(S(p), S(y), S(zeros), S(zeros), Foreground), 0),
        };
        Assert.All(values, v => Assert.True(Math.Abs(v.Value - v.Expected) < 1e-9, $"{v.Name} = {v.Value:R}, documented {v.Expected}"));

        var g = new double[80];
        L.GeneralizedDiceCpuGradient(S(p), S(y), new TensorSpan<double>(g, Shape), default, Foreground);
        Assert.All(g, v => Assert.True(double.IsFinite(v)));
        L.CrossEntropyCpuGradient(S(p), S(y), new TensorSpan<double>(g, Shape), default, Foreground);
        Assert.All(g, v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void Generalized_Dice_with_nothing_predicted_nor_labelled_is_the_reference_minus_one()
    {
        // The reference's (0 + ε)/(0 + ε): documented, not NaN.
        var y = Background();
        var p = Background();
        Assert.Equal(-1.0, L.GeneralizedDiceCpu(S(p), S(y), Foreground), 12);
        Assert.Equal(0.0, L.DiceCpu(S(p), S(y), Foreground), 12);
    }

    [Fact]
    public void Monai_weights_give_a_missing_class_the_largest_present_weight()
    {
        // Image 0 has classes 0 and 1, image 1 only class 0; with idc = [0, 1] the reference weight of the missing class
        // (1e20) swamps image 1, MONAI's does not, and both agree on image 0 where nothing is missing.
        var y = Background();
        y[0] = 0; y[20] = 1; // image 0: one element of class 1
        var p = UniformProbs();
        int[] both = { 0, 1 };
        double reference = L.GeneralizedDiceCpu(S(p), S(y), both);
        double monai = L.GeneralizedDiceMonaiCpu(S(p), S(y), both);
        Assert.True(monai < reference, $"MONAI {monai} vs reference {reference}");
        Assert.True(double.IsFinite(monai) && monai is >= 0 and <= 1);
    }

    [Fact]
    public void Perfect_prediction_gives_zero_overlap_losses_and_finite_gradients()
    {
        var y = Background();
        y[3] = 0; y[23] = 1;
        var dist = new double[80];
        SignedDistanceFor(y, dist);
        Assert.Equal(0.0, L.DiceCpu(S(y), S(y), Foreground), 9);
        // GDL at p = y is −ε/(Σ_k w Σ(p + y) + ε)-ish, a hair below 0 (reference formula).
        Assert.Equal(0.0, L.GeneralizedDiceCpu(S(y), S(y), new[] { 0, 1 }), 8);
        Assert.Equal(0.0, L.TverskyCpu(S(y), S(y), Foreground), 9);
        Assert.True(L.BoundaryCpu(S(y), S(dist), Foreground) <= 0);
        Assert.True(L.CrossEntropyCpu(S(y), S(y), new[] { 0, 1 }) < 1e-9);
        var g = new double[80];
        L.FocalCpuGradient(S(y), S(y), new TensorSpan<double>(g, Shape), default, new[] { 0, 1 }, 2.0);
        Assert.All(g, v => Assert.True(double.IsFinite(v)));
    }

    private static void SignedDistanceFor(double[] y, double[] dist)
        => LossDsl.Distance.SignedDistance.FromOneHot(y.Select(v => (byte)v).ToArray(), new[] { 2, 2, 4, 5 }, default, dist);

    [Fact]
    public void Hausdorff_maps_are_zero_for_empty_and_whole_image_classes()
    {
        // Class 0 covers image 0 entirely and class 1 is empty there: no boundary in view, so zeros rather than +∞.
        var y = Background();
        var p = Background();
        var (dt, dp) = HausdorffDistanceMaps.Compute(p, y, new[] { 2, 2, 4, 5 });
        Assert.All(dt, v => Assert.Equal(0.0, v));
        Assert.All(dp, v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void Checked_rejects_probabilities_that_are_not_a_simplex()
    {
        var y = Background();
        var p = UniformProbs();
        p[7] = 0.9;
        var e = Assert.Throws<ArgumentException>(() => L.Checked.DiceCpu(S(p), S(y), Foreground));
        Assert.Equal("probs", e.ParamName);
        Assert.Contains("simplex", e.Message);
        using var pt = tensor(p, Shape.Select(n => (long)n).ToArray());
        using var yt = tensor(y, Shape.Select(n => (long)n).ToArray());
        Assert.Throws<ArgumentException>(() => L.Checked.Dice(pt, yt, Foreground));
    }

    [Fact]
    public void Checked_rejects_targets_that_are_not_one_hot()
    {
        var y = Background();
        y[5] = 0.5;
        var e = Assert.Throws<ArgumentException>(() => L.Checked.CrossEntropyCpu(S(UniformProbs()), S(y), Foreground));
        Assert.Equal("target", e.ParamName);
        using var pt = tensor(UniformProbs(), Shape.Select(n => (long)n).ToArray());
        using var yt = tensor(y, Shape.Select(n => (long)n).ToArray());
        Assert.Throws<ArgumentException>(() => L.Checked.CrossEntropy(pt, yt, Foreground));
    }

    [Fact]
    public void Checked_rejects_a_target_passed_as_distance_map_and_non_finite_maps()
    {
        var y = Background();
        var e = Assert.Throws<ArgumentException>(() => L.Checked.BoundaryCpu(S(UniformProbs()), S(y), Foreground));
        Assert.Equal("dist", e.ParamName);
        Assert.Contains("one-hot", e.Message);
        var d = new double[80];
        d[2] = double.NaN;
        Assert.Throws<ArgumentException>(() => L.Checked.BoundaryCpu(S(UniformProbs()), S(d), Foreground));
        using var pt = tensor(UniformProbs(), Shape.Select(n => (long)n).ToArray());
        using var dt = tensor(d, Shape.Select(n => (long)n).ToArray());
        Assert.Throws<ArgumentException>(() => L.Checked.Boundary(pt, dt, Foreground));
    }

    [Fact]
    public void Checked_passes_valid_inputs_through_unchanged()
    {
        var f = LossFixture.Load("2d");
        var x = f.Cpu<double>();
        Assert.Equal(f.Expected["GdlBoundary"], L.Checked.GdlBoundaryCpu(x.P, x.Y, x.D, x.Fg, 0.25), 12);
    }

    [Fact]
    public void Label_wrappers_reject_labels_of_the_wrong_shape_or_range()
    {
        using var p = full(new long[] { 1, 2, 3, 3 }, 0.5, ScalarType.Float64);
        using var wrongShape = zeros(new long[] { 1, 3, 4 }, ScalarType.Int64);
        var e = Assert.Throws<ArgumentException>(() => L.DiceForLabels(p, wrongShape, Foreground));
        Assert.Equal("labels", e.ParamName);
        using var outOfRange = full(new long[] { 1, 3, 3 }, 2L, ScalarType.Int64);
        Assert.Throws<ArgumentException>(() => L.DiceForLabels(p, outOfRange, Foreground));
    }
}
