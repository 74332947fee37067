using System;
using System.IO;
using LossDsl.IO;
using Xunit;

namespace LossDsl.Cli.Tests;

public sealed class DistMapPngTests
{
    [Theory]
    [InlineData(8, 4)]
    [InlineData(16, 3)]
    public void Grayscale_png_gives_float32_npy(int bitDepth, int classes)
    {
        using var folder = new TestFolder();
        int[] shape = [13, 10];
        long[] labels = Expected.Labels(shape, classes, seed: 6 + bitDepth);
        File.WriteAllBytes(folder.File("labels.png"), PngTestWriter.Encode(labels, 13, 10, bitDepth));

        var result = Cli.Run("distmap", folder.File("labels.png"), "-o", folder.File("maps.npy"), "--classes", classes.ToString());

        Assert.Equal(0, result.ExitCode);
        NpyArray maps = Npy.Read(folder.File("maps.npy"));
        Assert.Equal([classes, 13, 10], maps.ShapeArray());
        Assert.Equal(Expected.Maps(labels, shape, classes, [1, 1]), maps.ToSingle());
    }

    [Fact]
    public void Png_output_is_refused_with_a_hint()
    {
        using var folder = new TestFolder();
        File.WriteAllBytes(folder.File("labels.png"), PngTestWriter.Encode(new long[4], 2, 2));

        var result = Cli.Run("distmap", folder.File("labels.png"), "-o", folder.File("maps.png"), "--classes", "2");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("*.npy", result.Error, StringComparison.Ordinal);
        Assert.Equal(["labels.png"], folder.Files());
    }

    [Theory]
    [InlineData((byte)2, (byte)0, "colour type 2 (RGB)")]
    [InlineData((byte)0, (byte)1, "interlaced")]
    public void Unsupported_png_kinds_are_named(byte colourType, byte interlace, string expected)
    {
        using var folder = new TestFolder();
        File.WriteAllBytes(folder.File("labels.png"), PngTestWriter.Encode(new long[4], 2, 2, 8, colourType, interlace));

        var result = Cli.Run("distmap", folder.File("labels.png"), "-o", folder.File("maps.npy"), "--classes", "2");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_flipped_bit_is_a_crc_error()
    {
        using var folder = new TestFolder();
        byte[] png = PngTestWriter.Encode(Expected.Labels([8, 8], 2, 7), 8, 8);
        png[45] ^= 0x10; // inside the first IDAT chunk
        File.WriteAllBytes(folder.File("labels.png"), png);

        var result = Cli.Run("distmap", folder.File("labels.png"), "-o", folder.File("maps.npy"), "--classes", "2");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("CRC", result.Error, StringComparison.Ordinal);
        Assert.Equal(["labels.png"], folder.Files());
    }
}
