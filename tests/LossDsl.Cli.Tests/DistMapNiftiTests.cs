using System;
using Xunit;

namespace LossDsl.Cli.Tests;

public sealed class DistMapNiftiTests
{
    [Theory]
    [InlineData("labels.nii.gz", "maps.nii.gz")]
    [InlineData("labels.nii", "maps.nii")]
    public void A_3d_volume_uses_pixdim_and_keeps_the_geometry(string inputName, string outputName)
    {
        using var folder = new TestFolder();
        int[] dims = [7, 6, 5]; // NIfTI order (nx, ny, nz): in C order the array is (5, 6, 7)
        long[] labels = Expected.Labels([5, 6, 7], classes: 3, seed: 4);
        NiftiTestFile.WriteLabels(folder.File(inputName), labels, dims, pixdim: [0.8f, 1f, 2.5f]);

        var result = Cli.Run("distmap", folder.File(inputName), "-o", folder.File(outputName), "--classes", "3");

        Assert.Equal(0, result.ExitCode);
        var maps = NiftiTestFile.Read(folder.File(outputName));
        Assert.Equal([4, 7, 6, 5, 3, 1, 1, 1], maps.Dim);
        Assert.Equal(16, maps.Datatype);
        Assert.Equal(32, maps.Bitpix);
        Assert.Equal([0.8f, 1f, 2.5f], maps.Pixdim[1..4]);
        Assert.Equal(1, maps.SformCode);
        Assert.Equal(30f, maps.Srow(2, 3));
        Assert.Equal(0, maps.IntentCode);
        // pixdim (i, j, k) = (0.8, 1, 2.5) is C-order spacing (2.5, 1, 0.8), as the header's float32 values.
        Assert.Equal(Expected.Maps(labels, [5, 6, 7], 3, [2.5, 1, (double)0.8f]), maps.Data);
    }

    [Fact]
    public void Spacing_option_overrides_pixdim_in_nifti_axis_order()
    {
        using var folder = new TestFolder();
        long[] labels = Expected.Labels([8, 9], classes: 2, seed: 5);
        NiftiTestFile.WriteLabels(folder.File("slice.nii"), labels, [9, 8], pixdim: [1f, 1f], datatype: 2);

        var result = Cli.Run("distmap", folder.File("slice.nii"), "-o", folder.File("maps.nii"), "--classes", "2", "--spacing", "0.5,2");

        Assert.Equal(0, result.ExitCode);
        var maps = NiftiTestFile.Read(folder.File("maps.nii"));
        Assert.Equal([4, 9, 8, 1, 2, 1, 1, 1], maps.Dim);
        Assert.Equal(Expected.Maps(labels, [8, 9], 2, [2, 0.5]), maps.Data);
    }

    [Fact]
    public void Float_labels_are_an_unsupported_datatype()
    {
        using var folder = new TestFolder();
        NiftiTestFile.WriteLabels(folder.File("labels.nii"), new long[12], [4, 3], pixdim: [1f, 1f], datatype: 16);

        var result = Cli.Run("distmap", folder.File("labels.nii"), "-o", folder.File("maps.nii"), "--classes", "2");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("datatype 16 (float32)", result.Error, StringComparison.Ordinal);
        Assert.Equal(["labels.nii"], folder.Files());
    }
}
