using System;
using System.IO;
using System.Linq;
using LossDsl.IO;
using Xunit;

namespace LossDsl.Cli.Tests;

public sealed class DistMapFolderTests
{
    [Fact]
    public void Every_supported_file_of_a_folder_is_converted()
    {
        using var input = new TestFolder();
        using var output = new TestFolder();
        long[] a = Expected.Labels([6, 7], 3, seed: 10);
        long[] b = Expected.Labels([5, 4], 3, seed: 11);
        Npy.Write(input.File("a.npy"), Array.ConvertAll(a, l => (int)l), [6, 7]);
        File.WriteAllBytes(input.File("b.png"), PngTestWriter.Encode(b, 5, 4));
        File.WriteAllText(input.File("notes.txt"), "not an image");
        string target = Path.Combine(output.Path, "maps"); // created by the tool

        var result = Cli.Run("distmap", input.Path, "-o", target, "--classes", "3");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["a.npy", "b.npy"], Array.ConvertAll(Directory.GetFiles(target), Path.GetFileName).Order());
        Assert.Equal(Expected.Maps(a, [6, 7], 3, [1, 1]), Npy.Read(Path.Combine(target, "a.npy")).ToSingle());
        Assert.Equal(Expected.Maps(b, [5, 4], 3, [1, 1]), Npy.Read(Path.Combine(target, "b.npy")).ToSingle());
        Assert.Contains("2 of 2 files written", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_file_fails_the_run_but_not_the_others()
    {
        using var input = new TestFolder();
        using var output = new TestFolder();
        Npy.Write(input.File("good.npy"), new byte[] { 0, 1, 1, 0 }, [2, 2]);
        Npy.Write(input.File("bad.npy"), new byte[] { 0, 5, 1, 0 }, [2, 2]);

        var result = Cli.Run("distmap", input.Path, "-o", output.Path, "--classes", "2");

        Assert.NotEqual(0, result.ExitCode);
        string line = Assert.Single(result.ErrorLines);
        Assert.Contains("bad.npy", line, StringComparison.Ordinal);
        Assert.Equal(["good.npy"], output.Files());
    }
}
