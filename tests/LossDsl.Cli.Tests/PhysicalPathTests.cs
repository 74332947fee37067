using System;
using System.IO;
using LossDsl.Cli.IO;
using Xunit;

namespace LossDsl.Cli.Tests;

/// <summary>PhysicalPath.Resolve names what the system would open: links followed, `..` taken after them.</summary>
public sealed class PhysicalPathTests
{
    [Fact]
    public void Relative_absolute_dot_and_dotdot_spellings_resolve_alike()
    {
        using var folder = new TestFolder();
        Directory.CreateDirectory(folder.File("sub"));
        string expected = PhysicalPath.Resolve(folder.File("x.npy"));

        Assert.Equal(expected, PhysicalPath.Resolve(Path.GetRelativePath(Environment.CurrentDirectory, folder.File("x.npy"))));
        Assert.Equal(expected, PhysicalPath.Resolve(Path.Join(folder.Path, ".", "x.npy")));
        Assert.Equal(expected, PhysicalPath.Resolve(Path.Join(folder.Path, "sub", "..", "x.npy")));
        Assert.Equal(expected, PhysicalPath.Resolve(Path.Join(folder.Path, "sub", "..", ".", "sub", "..", "x.npy")));
    }

    [Fact]
    public void Dotdot_after_a_link_goes_to_the_targets_parent()
    {
        using var folder = new TestFolder();
        Directory.CreateDirectory(Path.Join(folder.Path, "a", "b"));
        Directory.CreateSymbolicLink(folder.File("link"), Path.Join(folder.Path, "a", "b"));

        // Lexically this is folder/x; the system opens folder/a/x.
        Assert.Equal(PhysicalPath.Resolve(Path.Join(folder.Path, "a", "x")), PhysicalPath.Resolve(Path.Join(folder.File("link"), "..", "x")));
    }

    [Fact]
    public void Relative_and_chained_links_are_followed_to_the_end()
    {
        using var folder = new TestFolder();
        File.WriteAllText(folder.File("real"), "");
        File.CreateSymbolicLink(folder.File("one"), "real");
        File.CreateSymbolicLink(folder.File("two"), folder.File("one"));

        Assert.Equal(PhysicalPath.Resolve(folder.File("real")), PhysicalPath.Resolve(folder.File("two")));
        Assert.EndsWith(Path.DirectorySeparatorChar + "real", PhysicalPath.Resolve(folder.File("two")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_link_loop_ends_and_a_missing_tail_is_kept_as_written()
    {
        using var folder = new TestFolder();
        File.CreateSymbolicLink(folder.File("loop"), "loop");

        string resolved = PhysicalPath.Resolve(Path.Join(folder.File("loop"), "x.npy"));
        string missing = PhysicalPath.Resolve(Path.Join(folder.Path, "new", "deeper", "x.npy"));

        Assert.EndsWith(Path.Join("loop", "x.npy"), resolved, StringComparison.Ordinal);
        Assert.EndsWith(Path.Join("new", "deeper", "x.npy"), missing, StringComparison.Ordinal);
        Assert.True(Path.IsPathFullyQualified(missing));
    }
}
