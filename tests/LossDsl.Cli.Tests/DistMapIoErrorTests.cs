using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.Versioning;
using LossDsl.Cli.DistMap;
using LossDsl.Distance;
using LossDsl.IO;
using Xunit;

namespace LossDsl.Cli.Tests;

/// <summary>
/// Input that cannot be read — a folder or file without read permission, a broken disk, a dangling link — is one error
/// line and exit 1, never an unhandled exception. The permission cases need a non-root run (they are skipped as root);
/// the others hold for everyone.
/// </summary>
public sealed class DistMapIoErrorTests
{
    [UnlessPrivilegedFact]
    [UnsupportedOSPlatform("windows")] // the attribute skips it there
    public void An_unreadable_input_folder_is_one_error_line()
    {
        using var input = new TestFolder();
        using var output = new TestFolder();
        Npy.Write(input.File("labels.npy"), new byte[] { 0, 1, 1, 0 }, [2, 2]);
        string target = output.File("maps");
        File.SetUnixFileMode(input.Path, UnixFileMode.None);
        try
        {
            var result = Cli.Run("distmap", input.Path, "-o", target, "--classes", "2");

            Assert.Equal(1, result.ExitCode);
            Assert.Contains("cannot list the input folder", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
            Assert.False(Directory.Exists(target));
        }
        finally
        {
            File.SetUnixFileMode(input.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [UnlessPrivilegedFact]
    [UnsupportedOSPlatform("windows")] // the attribute skips it there
    public void An_unreadable_input_file_is_one_error_line()
    {
        using var folder = new TestFolder();
        Npy.Write(folder.File("labels.npy"), new byte[] { 0, 1, 1, 0 }, [2, 2]);
        File.SetUnixFileMode(folder.File("labels.npy"), UnixFileMode.None);

        var result = Cli.Run("distmap", folder.File("labels.npy"), "-o", folder.File("maps.npy"), "--classes", "2");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("labels.npy", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
        Assert.Equal(["labels.npy"], folder.Files());
    }

    public static TheoryData<Exception> ListingFailures => new()
    {
        new IOException("Input/output error"),
        new UnauthorizedAccessException("Access to the path is denied."),
    };

    [Theory]
    [MemberData(nameof(ListingFailures))]
    public void A_folder_that_fails_while_being_listed_is_one_error_line(Exception failure)
    {
        // Root cannot make a real folder unlistable, so the listing fails the way the disk would, part way through.
        using var input = new TestFolder();
        using var output = new TestFolder();
        Npy.Write(input.File("labels.npy"), new byte[] { 0, 1, 1, 0 }, [2, 2]);
        string target = output.File("maps");
        var error = new StringWriter();
        var runner = new DistMapRunner(new DistMapSettings(input.Path, target, 2, null, SignedDistanceVariant.Reference), new StringWriter(), error)
        {
            ListFiles = _ => FailAfterOne(input.File("labels.npy"), failure),
        };

        int code = runner.Run();

        Assert.Equal(1, code);
        string line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"cannot list the input folder: {failure.Message}", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(target));
    }

    [Fact]
    public void A_dangling_link_in_a_folder_is_one_error_line_and_the_other_files_are_written()
    {
        using var input = new TestFolder();
        using var output = new TestFolder();
        Npy.Write(input.File("good.npy"), new byte[] { 0, 1, 1, 0 }, [2, 2]);
        File.CreateSymbolicLink(input.File("gone.npy"), input.File("deleted.npy"));

        var result = Cli.Run("distmap", input.Path, "-o", output.Path, "--classes", "2");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("gone.npy", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
        Assert.Equal(["good.npy"], output.Files());
    }

    private static IEnumerable<string> FailAfterOne(string first, Exception failure)
    {
        yield return first;
        throw failure;
    }
}
