using System;
using LossDsl.Metrics;
using Xunit;

namespace LossDsl.Tests.Metrics;

public sealed class SurfaceDistanceTests
{
    private static byte[] Square(int height, int width, int top, int left, int size)
    {
        var mask = new byte[height * width];
        for (int y = top; y < top + size; y++)
            for (int x = left; x < left + size; x++)
                mask[y * width + x] = 1;
        return mask;
    }

    [Fact]
    public void Two_squares_offset_by_three_columns_are_three_apart()
    {
        byte[] a = Square(12, 12, 2, 2, 4), b = Square(12, 12, 2, 5, 4);

        Assert.Equal(3.0, SegmentationMetrics.HausdorffDistance(a, b, [12, 12]), 12);
    }

    [Fact]
    public void Spacing_scales_the_distance_along_its_axis()
    {
        byte[] a = Square(12, 12, 2, 2, 4), b = Square(12, 12, 2, 5, 4);

        Assert.Equal(6.0, SegmentationMetrics.HausdorffDistance(a, b, [12, 12], [1.0, 2.0]), 12);
        Assert.Equal(3.0, SegmentationMetrics.HausdorffDistance(a, b, [12, 12], [5.0, 1.0]), 12);
    }

    [Fact]
    public void Identical_masks_are_zero_apart()
    {
        byte[] a = Square(10, 10, 1, 3, 5);

        Assert.Equal(SurfaceDistanceMetrics.Zero, SegmentationMetrics.SurfaceDistances(a, a, [10, 10]));
    }

    [Fact]
    public void A_mask_on_the_image_border_has_its_surface_there()
    {
        // A full image is all surface on its border; one pixel removed in the middle adds its four neighbours.
        var full = new byte[25];
        Array.Fill(full, (byte)1);
        var holed = (byte[])full.Clone();
        holed[12] = 0;

        SurfaceDistanceMetrics m = SegmentationMetrics.SurfaceDistances(full, holed, [5, 5]);

        // The four pixels around the hole are 1 from the border ring; the 16 border pixels coincide.
        Assert.Equal(1.0, m.Hausdorff, 12);
        Assert.Equal(4.0 / 36.0, m.AverageSymmetric, 12);
    }

    [Fact]
    public void Two_empty_masks_are_zero_apart()
    {
        var empty = new byte[20];

        Assert.Equal(SurfaceDistanceMetrics.Zero, SegmentationMetrics.SurfaceDistances(empty, empty, [4, 5]));
    }

    [Fact]
    public void One_empty_mask_is_infinitely_far_by_default()
    {
        byte[] a = Square(6, 6, 1, 1, 2);

        Assert.Equal(SurfaceDistanceMetrics.All(double.PositiveInfinity), SegmentationMetrics.SurfaceDistances(a, new byte[36], [6, 6]));
        Assert.Equal(double.PositiveInfinity, SegmentationMetrics.HausdorffDistance95(new byte[36], a, [6, 6]));
    }

    [Fact]
    public void One_empty_mask_can_be_the_image_diagonal()
    {
        byte[] a = Square(6, 8, 1, 1, 2);

        double hd = SegmentationMetrics.HausdorffDistance(a, new byte[48], [6, 8], [2.0, 1.0], EmptyMaskDistance.ImageDiagonal);

        Assert.Equal(Math.Sqrt(10 * 10 + 7 * 7), hd, 12);
    }

    [Fact]
    public void Hd95_and_assd_follow_the_pooled_distances()
    {
        // A: one pixel at column 0; B: pixels at columns 0 and 4 of a 1×5 line.
        // A→B: [0]; B→A: [0, 4]. Pooled [0, 0, 4]: max 4, mean 4/3, 95th percentile 0 + (4 − 0)·0.9 = 3.6.
        byte[] a = [1, 0, 0, 0, 0], b = [1, 0, 0, 0, 1];

        SurfaceDistanceMetrics m = SegmentationMetrics.SurfaceDistances(a, b, [1, 5]);

        Assert.Equal(4.0, m.Hausdorff, 12);
        Assert.Equal(3.6, m.Hausdorff95, 12);
        Assert.Equal(4.0 / 3.0, m.AverageSymmetric, 12);
    }

    [Fact]
    public void Works_in_3d()
    {
        var a = new byte[4 * 5 * 6];
        var b = new byte[4 * 5 * 6];
        a[(1 * 5 + 2) * 6 + 1] = 1;
        b[(3 * 5 + 2) * 6 + 1] = 1;

        Assert.Equal(2.0 * 2.5, SegmentationMetrics.HausdorffDistance(a, b, [4, 5, 6], [2.5, 1, 1]), 12);
    }

    [Fact]
    public void A_non_binary_mask_is_rejected_with_its_position()
    {
        byte[] a = [0, 1, 2, 0];

        var e = Assert.Throws<ArgumentException>(() => SegmentationMetrics.SurfaceDistances(a, new byte[4], [2, 2]));

        Assert.Equal("prediction", e.ParamName);
        Assert.Contains("element 2 is 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_length_that_does_not_fit_the_shape_is_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => SegmentationMetrics.SurfaceDistances(new byte[6], new byte[5], [2, 3]));

        Assert.Equal("target", e.ParamName);
        Assert.Contains("(2, 3)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Spacing_needs_one_positive_value_per_axis()
    {
        Assert.Throws<ArgumentException>(() => SegmentationMetrics.SurfaceDistances(new byte[6], new byte[6], [2, 3], [1.0]));
        Assert.Throws<ArgumentException>(() => SegmentationMetrics.SurfaceDistances(new byte[6], new byte[6], [2, 3], [1.0, 0.0]));
    }
}
