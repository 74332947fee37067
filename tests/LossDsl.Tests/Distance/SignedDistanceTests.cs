using System;
using System.Linq;
using LossDsl.Distance;
using Xunit;

namespace LossDsl.Tests.Distance;

public sealed class SignedDistanceTests
{
    private static readonly double R2 = Math.Sqrt(2), R5 = Math.Sqrt(5), R10 = Math.Sqrt(10), R17 = Math.Sqrt(17);

    /// <summary>The worked example of REFERENCE.md: a 2×2 square in a 4×7 image, K = 2.</summary>
    [Fact]
    public void Worked_example_matches_the_reference_values()
    {
        var labels = new int[28];
        foreach (var (r, c) in new[] { (1, 1), (1, 2), (2, 1), (2, 2) }) labels[r * 7 + c] = 1;
        var maps = new double[2 * 28];
        SignedDistance.FromLabels(labels, [1, 4, 7], 2, default, maps);

        double[] edge1 = [R2, 1, 1, R2, R5, R10, R17], mid1 = [1, 0, 0, 1, 2, 3, 4];
        double[] edge0 = edge1.Select(v => 1 - v).ToArray(), mid0 = [0, 1, 1, 0, -1, -2, -3];
        double[][] class0 = [edge0, mid0, mid0, edge0], class1 = [edge1, mid1, mid1, edge1];
        for (int r = 0; r < 4; r++)
        {
            for (int c = 0; c < 7; c++)
            {
                Assert.Equal(class0[r][c], maps[r * 7 + c], 12);
                Assert.Equal(class1[r][c], maps[28 + r * 7 + c], 12);
            }
        }
    }

    [Fact]
    public void Reference_variant_reproduces_issue_45_with_anisotropic_spacing()
    {
        // A vertical bar two columns wide: its inner boundary along the 0.5-spaced axis gets +0.5 in the reference.
        var mask = new byte[5 * 6];
        for (int r = 0; r < 5; r++) { mask[r * 6 + 2] = 1; mask[r * 6 + 3] = 1; }
        var reference = new float[30];
        var contour = new float[30];
        SignedDistance.FromMask(mask, [5, 6], [1.0, 0.5], reference);
        SignedDistance.FromMask(mask, [5, 6], [1.0, 0.5], contour, SignedDistanceVariant.Contour);
        Assert.Equal(0.5f, reference[2 * 6 + 2]);
        Assert.Equal(0f, contour[2 * 6 + 2]);
        Assert.Equal(0.5f, contour[2 * 6 + 1]); // outside: distance to the object, same in both variants
        Assert.Equal(reference[2 * 6 + 1], contour[2 * 6 + 1]);
    }

    [Fact]
    public void Empty_class_gives_zeros()
    {
        var phi = Enumerable.Repeat(7f, 12).ToArray();
        SignedDistance.FromMask(new byte[12], [3, 4], default, phi);
        Assert.All(phi, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Class_covering_the_whole_image_gives_zeros()
    {
        var phi = Enumerable.Repeat(7f, 12).ToArray();
        SignedDistance.FromMask(Enumerable.Repeat((byte)1, 12).ToArray(), [3, 4], [2.0, 1.0], phi, SignedDistanceVariant.Contour);
        Assert.All(phi, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Edt_of_a_mask_without_zeros_is_infinite()
    {
        var d = DistanceTransform.Euclidean(Enumerable.Repeat((byte)1, 6).ToArray(), [2, 3]);
        Assert.All(d, v => Assert.Equal(float.PositiveInfinity, v));
    }

    [Fact]
    public void Results_are_bit_identical_with_one_and_two_threads()
    {
        var rng = new Random(3);
        int[] shape = [40, 45, 47]; // > 65536 elements: the element-wise passes split into chunks too
        var mask = new byte[shape[0] * shape[1] * shape[2]];
        for (int i = 0; i < mask.Length; i++) mask[i] = rng.NextDouble() < 0.6 ? (byte)1 : (byte)0;
        double[] spacing = [1, 1, 2.5];
        var one = new float[mask.Length];
        var two = new float[mask.Length];
        SignedDistance.FromMask(mask, shape, spacing, one, maxDegreeOfParallelism: 1);
        SignedDistance.FromMask(mask, shape, spacing, two, maxDegreeOfParallelism: 2);
        Assert.Equal(one, two);

        var batch = new byte[mask.Length * 3];
        for (int i = 0; i < batch.Length; i++) batch[i] = (byte)(mask[i % mask.Length] ^ (i / mask.Length % 2));
        var b1 = new double[batch.Length];
        var b2 = new double[batch.Length];
        SignedDistance.FromMasks(batch, 3, shape, spacing, b1, SignedDistanceVariant.Contour, 1);
        SignedDistance.FromMasks(batch, 3, shape, spacing, b2, SignedDistanceVariant.Contour, 2);
        Assert.Equal(b1, b2);
    }

    [Fact]
    public void One_hot_and_labels_give_the_same_maps()
    {
        var rng = new Random(5);
        int[] labelShape = [2, 9, 11];
        var labels = Enumerable.Range(0, 2 * 99).Select(_ => rng.Next(3)).ToArray();
        var oneHot = LossDsl.Utilities.OneHot.FromLabels(labels, labelShape, 3);
        var a = SignedDistance.FromOneHot(oneHot, [2, 3, 9, 11], [1.0, 0.5]);
        var b = SignedDistance.FromLabels(labels, labelShape, 3, [1.0, 0.5]);
        Assert.Equal(a, b);
        var c = new float[a.Length];
        SignedDistance.FromMask(oneHot.AsSpan(99 * 4, 99), [9, 11], [1.0, 0.5], c.AsSpan(0, 99));
        Assert.Equal(a.AsSpan(99 * 4, 99).ToArray(), c.AsSpan(0, 99).ToArray());
    }

    [Theory]
    [InlineData(new[] { 1.0, -0.5 }, "spacing[1] is -0.5")]
    [InlineData(new[] { 1.0, 0.0 }, "spacing[1] is 0")]
    [InlineData(new[] { double.NaN, 1.0 }, "spacing[0] is NaN")]
    [InlineData(new[] { 1.0, 1.0, 1.0 }, "spacing has 3 values")]
    public void Bad_spacing_is_named_in_the_error(double[] spacing, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => SignedDistance.FromMask(new byte[12], [3, 4], spacing, new float[12]));
        Assert.Contains(expected, e.Message);
        Assert.Equal("spacing", e.ParamName);
    }

    [Fact]
    public void Length_mismatch_is_named_in_the_error()
    {
        var e = Assert.Throws<ArgumentException>(() => DistanceTransform.Euclidean(new byte[12], [3, 5], default, new float[12]));
        Assert.Contains("mask has 12 elements but the shape (3, 5) needs 15", e.Message);
    }

    [Fact]
    public void Label_out_of_range_reports_batch_item_and_position()
    {
        var labels = new int[2 * 12];
        labels[12 + 1 * 4 + 2] = 3;
        var e = Assert.Throws<ArgumentException>(() => SignedDistance.FromLabels(labels, [2, 3, 4], 3));
        Assert.Contains("Label 3 at batch item 1, position (1, 2) is outside 0…2", e.Message);
    }

    [Fact]
    public void Non_one_hot_input_reports_where()
    {
        var oneHot = LossDsl.Utilities.OneHot.FromLabels(new int[2 * 6], [2, 2, 3], 2);
        oneHot[12 + 6 + 4] = 1; // batch 1, class 1, position (1, 1): now two classes set
        var e = Assert.Throws<ArgumentException>(() => SignedDistance.FromOneHot(oneHot, [2, 2, 2, 3]));
        Assert.Contains("batch item 1, position (1, 1), 2 of 2 classes are set", e.Message);
    }
}
