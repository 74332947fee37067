using System;
using LossDsl.IO;
using Xunit;

namespace LossDsl.Cli.Tests;

/// <summary>
/// Every option value that does not parse is one usage error line and a non-zero exit — never an exception: a throwing
/// validator used to escape System.CommandLine, which the process reports with a stack trace and exit 134.
/// </summary>
public sealed class DistMapOptionTests
{
    [Theory]
    [InlineData("--classes", "three", "--classes must be a whole number of classes")]
    [InlineData("--classes", "2.5", "--classes must be a whole number of classes")]
    [InlineData("--classes", "", "--classes must be a whole number of classes")]
    [InlineData("--classes", "99999999999", "--classes 99999999999 is too large; at most 2147483647")]
    [InlineData("--classes", "2147483648", "--classes 2147483648 is too large")]
    [InlineData("--classes", "-99999999999", "--classes must be at least 1")]
    [InlineData("--classes", "-1", "--classes must be at least 1; got -1")]
    [InlineData("--classes", "0", "--classes must be at least 1; got 0")]
    [InlineData("-k", "zwei", "--classes must be a whole number of classes")]
    [InlineData("--spacing", "abc", "--spacing must be positive numbers")]
    [InlineData("--spacing", "1,,1", "--spacing must be positive numbers")]
    [InlineData("--spacing", "1,NaN", "--spacing must be positive numbers")]
    [InlineData("--spacing", "1,1e999", "--spacing must be positive numbers")]
    [InlineData("--spacing", "0,1", "--spacing must be positive numbers")]
    [InlineData("--variant", "fast", "--variant must be reference or contour; got 'fast'")]
    [InlineData("--variant", "", "--variant must be reference or contour")]
    [InlineData("--output", "", "--output must name a file or folder")]
    [InlineData("-o", " ", "--output must name a file or folder")]
    public void A_value_that_does_not_parse_is_one_usage_error_line(string option, string value, string expected)
    {
        using var folder = new TestFolder();
        Npy.Write(folder.File("labels.npy"), new byte[] { 0, 1, 1, 0 }, [2, 2]);
        string[] args = option switch
        {
            "--classes" or "-k" => ["distmap", folder.File("labels.npy"), "-o", folder.File("maps.npy"), option, value],
            "--output" or "-o" => ["distmap", folder.File("labels.npy"), option, value, "--classes", "2"],
            _ => ["distmap", folder.File("labels.npy"), "-o", folder.File("maps.npy"), "--classes", "2", option, value],
        };

        var result = Cli.Run(args);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(expected, Assert.Single(result.ErrorLines), StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", result.Error + result.Output, StringComparison.Ordinal);
        Assert.Equal(["labels.npy"], folder.Files());
    }

    [Fact]
    public void An_empty_input_is_one_usage_error_line()
    {
        var result = Cli.Run("distmap", "", "-o", "maps.npy", "--classes", "2");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("<input> must name a file or folder", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("reference")]
    [InlineData("contour")]
    public void Both_variants_still_parse(string variant)
    {
        using var folder = new TestFolder();
        Npy.Write(folder.File("labels.npy"), new byte[] { 0, 1, 1, 0 }, [2, 2]);

        var result = Cli.Run("distmap", folder.File("labels.npy"), "-o", folder.File("maps.npy"), "--classes", "2", "--variant", variant);

        Assert.Equal(0, result.ExitCode);
    }
}
