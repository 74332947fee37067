using System;
using System.IO;
using LossDsl.IO;
using Xunit;

namespace LossDsl.Cli.Tests;

/// <summary>
/// `lossdsl distmap` against scipy: masks and maps written by ../shared/bench/anchors.py (see Fixtures/scipy/README.md).
/// The fixture map is the foreground's (class 1) map, so it is the second of the K = 2 maps.
/// </summary>
public sealed class DistMapScipyTests
{
    private static string Fixture(string path) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "scipy", path);

    [Theory]
    [InlineData("2d", 0, null)]
    [InlineData("2d", 1, null)]
    [InlineData("2d_spacing", 0, "1,0.5")]
    [InlineData("3d_spacing", 0, "1,1,2.5")]
    public void Distmap_agrees_with_scipy_within_1e_4(string set, int index, string? spacing)
    {
        using var folder = new TestFolder();
        string mask = Fixture($"{set}/mask_{index}.npy");
        string[] args = spacing is null
            ? ["distmap", mask, "-o", folder.File("maps.npy"), "--classes", "2"]
            : ["distmap", mask, "-o", folder.File("maps.npy"), "--classes", "2", "--spacing", spacing];

        var result = Cli.Run(args);

        Assert.Equal(0, result.ExitCode);
        NpyArray maps = Npy.Read(folder.File("maps.npy"));
        float[] expected = Npy.Read(Fixture($"{set}/dist_{index}.npy")).ToSingle();
        Assert.Equal([2, .. Npy.Read(mask).ShapeArray()], maps.ShapeArray());
        float[] foreground = maps.ToSingle()[expected.Length..];
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(foreground[i] - expected[i]) <= 1e-4, $"element {i}: lossdsl {foreground[i]}, scipy {expected[i]}");
    }
}
