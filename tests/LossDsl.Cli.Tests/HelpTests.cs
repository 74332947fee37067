using System;
using Xunit;

namespace LossDsl.Cli.Tests;

public sealed class HelpTests
{
    [Fact]
    public void No_arguments_prints_help_and_succeeds()
    {
        var result = Cli.Run();

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("distmap", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Distmap_help_lists_its_options()
    {
        var result = Cli.Run("distmap", "--help");

        Assert.Equal(0, result.ExitCode);
        foreach (string option in new[] { "--classes", "--spacing", "--variant", "--output" })
            Assert.Contains(option, result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_input_file_is_one_error_line()
    {
        var result = Cli.Run("distmap", "/nonexistent/labels.npy", "-o", "/tmp/x.npy", "--classes", "2");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("no such file or folder", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
    }
}
