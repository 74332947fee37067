using System;
using System.IO;
using LossDsl.IO;
using Xunit;

namespace LossDsl.Cli.Tests;

/// <summary>
/// distmap never destroys data: an output that is an input, however spelled, is refused with one error line before
/// anything is written, and the input keeps its bytes.
/// </summary>
public sealed class DistMapOverwriteTests
{
    private static readonly byte[] Labels = [0, 1, 1, 0];

    /// <summary>The ways the test spells the input file's path as the output, from the input's folder.</summary>
    public static TheoryData<string> FileSpellings => new()
    {
        "same",
        "dot",        // folder/./labels.npy
        "dotdot",     // folder/sub/../labels.npy
        "relative",   // relative to the working directory, which the test does not change (tests run in parallel)
        "dot-relative",
        "symlink",    // link-to-folder/labels.npy
        "link-dotdot", // link/../labels.npy where link → folder/sub/deeper: `..` is taken physically, not lexically
    };

    private static string Spell(TestFolder folder, string spelling)
    {
        string input = folder.File("labels.npy");
        string relative = Path.GetRelativePath(Environment.CurrentDirectory, input);
        switch (spelling)
        {
            case "same":
                return input;
            case "dot":
                return Path.Join(folder.Path, ".", "labels.npy");
            case "dotdot":
                Directory.CreateDirectory(folder.File("sub"));
                return Path.Join(folder.Path, "sub", "..", "labels.npy");
            case "relative":
                return relative;
            case "dot-relative":
                return "./" + relative;
            case "symlink":
                Directory.CreateSymbolicLink(folder.File("link"), folder.Path);
                return Path.Join(folder.File("link"), "labels.npy");
            case "link-dotdot":
                Directory.CreateDirectory(Path.Join(folder.Path, "sub", "deeper"));
                Directory.CreateSymbolicLink(folder.File("link"), Path.Join(folder.Path, "sub", "deeper"));
                return Path.Join(folder.File("link"), "..", "..", "labels.npy");
            default:
                throw new ArgumentOutOfRangeException(nameof(spelling));
        }
    }

    [Theory]
    [MemberData(nameof(FileSpellings))]
    public void An_output_that_is_the_input_file_is_refused(string spelling)
    {
        using var folder = new TestFolder();
        Npy.Write(folder.File("labels.npy"), Labels, [2, 2]);
        byte[] before = File.ReadAllBytes(folder.File("labels.npy"));
        string output = Spell(folder, spelling);
        string[] filesBefore = folder.Files();

        var result = Cli.Run("distmap", folder.File("labels.npy"), "-o", output, "--classes", "2");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("the output is the input file", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(folder.File("labels.npy")));
        Assert.Equal(filesBefore, folder.Files());
    }

    [Fact]
    public void An_output_that_is_a_link_to_the_input_is_refused()
    {
        using var folder = new TestFolder();
        Npy.Write(folder.File("labels.npy"), Labels, [2, 2]);
        File.CreateSymbolicLink(folder.File("alias.npy"), folder.File("labels.npy"));

        var viaOutput = Cli.Run("distmap", folder.File("labels.npy"), "-o", folder.File("alias.npy"), "--classes", "2");
        var viaInput = Cli.Run("distmap", folder.File("alias.npy"), "-o", folder.File("labels.npy"), "--classes", "2");

        Assert.Contains("the output is the input file", Assert.Single(viaOutput.ErrorLines), StringComparison.Ordinal);
        Assert.Contains("the output is the input file", Assert.Single(viaInput.ErrorLines), StringComparison.Ordinal);
        Assert.Equal([2, 2], Npy.Read(folder.File("labels.npy")).ShapeArray());
    }

    [Fact]
    public void A_different_name_in_the_same_folder_is_still_written()
    {
        // The guard compares resolved paths, not folders: writing beside the input is fine.
        using var folder = new TestFolder();
        Npy.Write(folder.File("labels.npy"), Labels, [2, 2]);

        var result = Cli.Run("distmap", folder.File("labels.npy"), "-o", Path.Join(folder.Path, ".", "maps.npy"), "--classes", "2");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["labels.npy", "maps.npy"], folder.Files());
    }

    public static TheoryData<string> FolderSpellings => new() { "same", "dot", "dotdot", "relative", "symlink" };

    [Theory]
    [MemberData(nameof(FolderSpellings))]
    public void An_output_folder_that_is_the_input_folder_is_refused(string spelling)
    {
        using var folder = new TestFolder();
        Npy.Write(folder.File("labels.npy"), Labels, [2, 2]);
        byte[] before = File.ReadAllBytes(folder.File("labels.npy"));
        string output = spelling switch
        {
            "same" => folder.Path,
            "dot" => Path.Join(folder.Path, "."),
            "dotdot" => Path.Join(folder.Path, "sub", ".."),
            "relative" => Path.GetRelativePath(Environment.CurrentDirectory, folder.Path),
            _ => Path.Join(Path.GetTempPath(), "lossdsl-cli-link-" + Guid.NewGuid().ToString("N")),
        };
        if (spelling == "dotdot")
            Directory.CreateDirectory(folder.File("sub"));
        if (spelling == "symlink")
            Directory.CreateSymbolicLink(output, folder.Path);
        string[] filesBefore = folder.Files();
        try
        {
            var result = Cli.Run("distmap", folder.Path, "-o", output, "--classes", "2");

            Assert.Equal(1, result.ExitCode);
            Assert.Contains("the output folder is the input folder", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
            Assert.Equal(before, File.ReadAllBytes(folder.File("labels.npy")));
            Assert.Equal(filesBefore, folder.Files());
        }
        finally
        {
            if (spelling == "symlink")
                File.Delete(output);
        }
    }

    [Fact]
    public void An_output_folder_whose_target_links_to_an_input_is_refused_before_anything_is_written()
    {
        using var input = new TestFolder();
        using var output = new TestFolder();
        Npy.Write(input.File("a.npy"), Labels, [2, 2]);
        Npy.Write(input.File("b.npy"), Labels, [2, 2]);
        byte[] before = File.ReadAllBytes(input.File("b.npy"));
        File.CreateSymbolicLink(output.File("b.npy"), input.File("b.npy"));

        var result = Cli.Run("distmap", input.Path, "-o", output.Path, "--classes", "2");

        Assert.Equal(1, result.ExitCode);
        string line = Assert.Single(result.ErrorLines);
        Assert.Contains("the output would replace the input file", line, StringComparison.Ordinal);
        Assert.Contains("b.npy", line, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(input.File("b.npy")));
        Assert.Equal(["b.npy"], output.Files()); // a.npy, which was safe, was not written either
    }

    [Fact]
    public void Two_inputs_with_one_target_name_are_refused_and_the_output_folder_is_not_created()
    {
        using var input = new TestFolder();
        using var output = new TestFolder();
        Npy.Write(input.File("case.npy"), Labels, [2, 2]);
        File.WriteAllBytes(input.File("case.png"), PngTestWriter.Encode([0, 1, 1, 0], 2, 2));
        string target = output.File("maps");

        var result = Cli.Run("distmap", input.Path, "-o", target, "--classes", "2");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("would hold the maps of both", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
        Assert.False(Directory.Exists(target));
    }

    [Fact]
    public void A_sub_folder_of_the_input_folder_is_a_valid_output()
    {
        // Folder mode reads only the input folder's own files, so its sub-folders hold no inputs.
        using var folder = new TestFolder();
        Npy.Write(folder.File("labels.npy"), Labels, [2, 2]);
        byte[] before = File.ReadAllBytes(folder.File("labels.npy"));

        var result = Cli.Run("distmap", folder.Path, "-o", folder.File("maps"), "--classes", "2");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(before, File.ReadAllBytes(folder.File("labels.npy")));
        Assert.Equal([2, 2, 2], Npy.Read(Path.Join(folder.File("maps"), "labels.npy")).ShapeArray());
    }
}
