using System;
using System.IO;
using LossDsl.IO;
using Xunit;

namespace LossDsl.Cli.Tests;

/// <summary>Every failure: non-zero exit, exactly one line on stderr naming the problem, and no output file (not even a temporary).</summary>
public sealed class DistMapErrorTests
{
    private static void AssertCleanFailure(Cli.Result result, TestFolder folder, string[] filesBefore, string expected)
    {
        Assert.NotEqual(0, result.ExitCode);
        string line = Assert.Single(result.ErrorLines);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.Equal(filesBefore, folder.Files());
    }

    [Fact]
    public void A_corrupt_npy_file_fails_cleanly()
    {
        using var folder = new TestFolder();
        File.WriteAllBytes(folder.File("labels.npy"), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);

        var result = Cli.Run("distmap", folder.File("labels.npy"), "-o", folder.File("maps.npy"), "--classes", "2");

        AssertCleanFailure(result, folder, ["labels.npy"], "not a .npy file");
    }

    [Fact]
    public void A_truncated_npy_file_fails_cleanly()
    {
        using var folder = new TestFolder();
        Npy.Write(folder.File("full.npy"), new int[100], [10, 10]);
        byte[] bytes = File.ReadAllBytes(folder.File("full.npy"));
        File.WriteAllBytes(folder.File("labels.npy"), bytes[..^40]);
        File.Delete(folder.File("full.npy"));

        var result = Cli.Run("distmap", folder.File("labels.npy"), "-o", folder.File("maps.npy"), "--classes", "2");

        AssertCleanFailure(result, folder, ["labels.npy"], "truncated");
    }

    [Fact]
    public void A_corrupt_gzip_nifti_fails_cleanly()
    {
        using var folder = new TestFolder();
        NiftiTestFile.WriteLabels(folder.File("whole.nii.gz"), new long[64], [4, 4, 4], [1f, 1f, 1f]);
        byte[] bytes = File.ReadAllBytes(folder.File("whole.nii.gz"));
        File.WriteAllBytes(folder.File("labels.nii.gz"), bytes[..(bytes.Length / 2)]);
        File.Delete(folder.File("whole.nii.gz"));

        var result = Cli.Run("distmap", folder.File("labels.nii.gz"), "-o", folder.File("maps.nii.gz"), "--classes", "2");

        AssertCleanFailure(result, folder, ["labels.nii.gz"], "labels.nii.gz");
    }

    [Fact]
    public void A_label_at_or_above_K_is_reported_with_its_position()
    {
        using var folder = new TestFolder();
        Npy.Write(folder.File("labels.npy"), new byte[] { 0, 1, 2, 3, 0, 1 }, [2, 3]);

        var result = Cli.Run("distmap", folder.File("labels.npy"), "-o", folder.File("maps.npy"), "--classes", "3");

        AssertCleanFailure(result, folder, ["labels.npy"], "label 3 at position (1, 0) is ≥ --classes 3");
    }

    [Fact]
    public void A_negative_label_is_reported()
    {
        using var folder = new TestFolder();
        Npy.Write(folder.File("labels.npy"), new[] { 0, 1, -1, 0 }, [4]);

        var result = Cli.Run("distmap", folder.File("labels.npy"), "-o", folder.File("maps.npy"), "--classes", "2");

        AssertCleanFailure(result, folder, ["labels.npy"], "label -1 at position (2) is negative");
    }

    [Fact]
    public void Float_npy_labels_are_an_unsupported_dtype()
    {
        using var folder = new TestFolder();
        Npy.Write(folder.File("labels.npy"), new float[] { 0, 1, 1, 0 }, [2, 2]);

        var result = Cli.Run("distmap", folder.File("labels.npy"), "-o", folder.File("maps.npy"), "--classes", "2");

        AssertCleanFailure(result, folder, ["labels.npy"], "unsupported dtype <f4");
    }

    [Fact]
    public void An_unwritable_output_fails_without_leftovers()
    {
        using var folder = new TestFolder();
        Npy.Write(folder.File("labels.npy"), new byte[] { 0, 1, 1, 0 }, [2, 2]);
        File.WriteAllText(folder.File("blocker"), "a file where a folder is expected");

        var result = Cli.Run("distmap", folder.File("labels.npy"), "-o", Path.Combine(folder.File("blocker"), "maps.npy"), "--classes", "2");

        AssertCleanFailure(result, folder, ["blocker", "labels.npy"], "does not exist");
    }

    [Fact]
    public void Spacing_with_the_wrong_number_of_axes_is_an_error()
    {
        using var folder = new TestFolder();
        Npy.Write(folder.File("labels.npy"), new byte[] { 0, 1, 1, 0 }, [2, 2]);

        var result = Cli.Run("distmap", folder.File("labels.npy"), "-o", folder.File("maps.npy"), "--classes", "2", "--spacing", "1,1,1");

        AssertCleanFailure(result, folder, ["labels.npy"], "--spacing has 3 values but the image has 2 spatial axes");
    }

    [Theory]
    [InlineData("--classes", "0", "--classes must be at least 1")]
    [InlineData("--spacing", "1,-2", "--spacing must be positive numbers")]
    [InlineData("--variant", "fast", "'fast'")]
    public void Bad_option_values_are_usage_errors(string option, string value, string expected)
    {
        using var folder = new TestFolder();
        Npy.Write(folder.File("labels.npy"), new byte[] { 0, 1, 1, 0 }, [2, 2]);
        string[] args = option == "--classes"
            ? ["distmap", folder.File("labels.npy"), "-o", folder.File("maps.npy"), option, value]
            : ["distmap", folder.File("labels.npy"), "-o", folder.File("maps.npy"), "--classes", "2", option, value];

        var result = Cli.Run(args);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.Equal(["labels.npy"], folder.Files());
    }
}
