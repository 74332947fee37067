using System;
using System.Buffers.Binary;
using System.IO;
using System.Text;
using LossDsl.IO;
using Xunit;

namespace LossDsl.Cli.Tests;

/// <summary>Sizes that overflow or cannot be held, and empty images: one error line naming the file, no unhandled exception.</summary>
public sealed class DistMapSizeTests
{
    private static void AssertOneLine(Cli.Result result, TestFolder folder, string[] filesBefore, params string[] expected)
    {
        Assert.Equal(1, result.ExitCode);
        string line = Assert.Single(result.ErrorLines);
        foreach (string part in expected)
            Assert.Contains(part, line, StringComparison.Ordinal);
        Assert.Equal(filesBefore, folder.Files());
    }

    /// <summary>A .npy file with only a header: the shape is all that matters before the data is read.</summary>
    private static void WriteNpyHeader(string path, string descr, string shape)
    {
        string dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}";
        int padded = (10 + dict.Length + 1 + 63) / 64 * 64;
        var header = new byte[padded];
        header[0] = 0x93;
        Encoding.ASCII.GetBytes("NUMPY", header.AsSpan(1));
        header[6] = 1;
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(8), (ushort)(padded - 10));
        Encoding.ASCII.GetBytes(dict, header.AsSpan(10));
        header.AsSpan(10 + dict.Length, padded - 11 - dict.Length).Fill((byte)' ');
        header[^1] = (byte)'\n';
        File.WriteAllBytes(path, header);
    }

    [Theory]
    [InlineData("|u1", "(2147483647, 2147483647, 2147483647)")] // the element count overflows 64 bits
    [InlineData("<i8", "(2147483647, 2147483647)")] // the count fits, its size in bytes does not
    public void A_npy_shape_whose_size_overflows_is_one_error_line(string descr, string shape)
    {
        using var folder = new TestFolder();
        WriteNpyHeader(folder.File("huge.npy"), descr, shape);

        var result = Cli.Run("distmap", folder.File("huge.npy"), "-o", folder.File("maps.npy"), "--classes", "2");

        AssertOneLine(result, folder, ["huge.npy"], "huge.npy", "more elements than can be counted or held");
    }

    [Fact]
    public void Classes_whose_maps_do_not_fit_one_array_are_one_error_line()
    {
        using var folder = new TestFolder();
        Npy.Write(folder.File("labels.npy"), new byte[] { 0, 1, 1, 0 }, [2, 2]);

        var result = Cli.Run("distmap", folder.File("labels.npy"), "-o", folder.File("maps.npy"), "--classes", "2000000000");

        AssertOneLine(result, folder, ["labels.npy"], "labels.npy", "--classes 2000000000 maps of shape (2, 2) are 8000000000 values");
    }

    [Fact]
    public void Classes_beyond_a_nifti_axis_are_one_error_line()
    {
        using var folder = new TestFolder();
        NiftiTestFile.WriteLabels(folder.File("labels.nii"), [0, 1, 1, 0], [2, 2], [1f, 1f]);

        var result = Cli.Run("distmap", folder.File("labels.nii"), "-o", folder.File("maps.nii"), "--classes", "40000");

        AssertOneLine(result, folder, ["labels.nii"], "labels.nii", "--classes 40000 is more than a NIfTI-1 volume holds along one axis (32767)");
    }

    [Fact]
    public void A_png_too_large_to_decode_is_one_error_line()
    {
        using var folder = new TestFolder();
        File.WriteAllBytes(folder.File("huge.png"), PngWithSize(100_000, 100_000));

        var result = Cli.Run("distmap", folder.File("huge.png"), "-o", folder.File("maps.npy"), "--classes", "2");

        AssertOneLine(result, folder, ["huge.png"], "huge.png", "100000×100000 pixels");
    }

    [Theory]
    [InlineData("(0, 3)")]
    [InlineData("(3, 0)")]
    [InlineData("(0,)")]
    [InlineData("(4, 0, 5)")]
    public void A_npy_with_a_zero_length_axis_names_the_file_and_its_shape(string shape)
    {
        using var folder = new TestFolder();
        WriteNpyHeader(folder.File("empty.npy"), "|u1", shape);
        string described = shape.Replace(",)", ")", StringComparison.Ordinal);

        var result = Cli.Run("distmap", folder.File("empty.npy"), "-o", folder.File("maps.npy"), "--classes", "2");

        AssertOneLine(result, folder, ["empty.npy"], "empty.npy", $"shape {described} has a zero-length axis");
    }

    [Fact]
    public void A_nifti_with_a_zero_length_axis_names_the_file_and_its_dims()
    {
        using var folder = new TestFolder();
        NiftiTestFile.WriteLabels(folder.File("empty.nii"), [], [4, 0, 3], [1f, 1f, 1f]);

        var result = Cli.Run("distmap", folder.File("empty.nii"), "-o", folder.File("maps.nii"), "--classes", "2");

        AssertOneLine(result, folder, ["empty.nii"], "empty.nii", "dim[1..3] is (4, 0, 3): a zero-length axis");
    }

    /// <summary>A PNG whose header claims the given size, with no image data: the size check comes before decoding.</summary>
    private static byte[] PngWithSize(int width, int height)
    {
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // 8-bit grayscale, everything else 0
        PngTestWriter.Chunk(png, "IHDR", header);
        PngTestWriter.Chunk(png, "IEND", []);
        return png.ToArray();
    }
}
