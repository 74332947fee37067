using System.IO;
using LossDsl.Distance;
using LossDsl.IO;
using Xunit;

namespace LossDsl.Cli.Tests;

public sealed class DistMapNpyTests
{
    [Fact]
    public void Int32_labels_give_the_signed_map_of_every_class()
    {
        using var folder = new TestFolder();
        int[] shape = [9, 11];
        long[] labels = Expected.Labels(shape, classes: 3, seed: 1);
        Npy.Write(folder.File("labels.npy"), System.Array.ConvertAll(labels, l => (int)l), shape);

        var result = Cli.Run("distmap", folder.File("labels.npy"), "-o", folder.File("maps.npy"), "--classes", "3");

        Assert.Equal(0, result.ExitCode);
        NpyArray maps = Npy.Read(folder.File("maps.npy"));
        Assert.Equal(NpyDType.Float32, maps.DType);
        Assert.Equal([3, 9, 11], maps.ShapeArray());
        Assert.Equal(Expected.Maps(labels, shape, 3, [1, 1]), maps.ToSingle());
    }

    [Fact]
    public void Spacing_and_contour_variant_are_passed_to_the_transform()
    {
        using var folder = new TestFolder();
        int[] shape = [5, 6, 7];
        long[] labels = Expected.Labels(shape, classes: 2, seed: 2);
        Npy.Write(folder.File("labels.npy"), System.Array.ConvertAll(labels, l => (byte)l), shape);

        var result = Cli.Run("distmap", folder.File("labels.npy"), "-o", folder.File("maps.npy"),
            "--classes", "2", "--spacing", "2.5,1,0.5", "--variant", "contour");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(Expected.Maps(labels, shape, 2, [2.5, 1, 0.5], SignedDistanceVariant.Contour),
            Npy.Read(folder.File("maps.npy")).ToSingle());
    }

    [Fact]
    public void Bool_masks_are_labels_0_and_1()
    {
        using var folder = new TestFolder();
        int[] shape = [6, 6];
        long[] labels = Expected.Labels(shape, classes: 2, seed: 3);
        Npy.Write(folder.File("mask.npy"), System.Array.ConvertAll(labels, l => l == 1), shape);

        var result = Cli.Run("distmap", folder.File("mask.npy"), "-o", folder.File("maps.npy"), "--classes", "2");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(Expected.Maps(labels, shape, 2, [1, 1]), Npy.Read(folder.File("maps.npy")).ToSingle());
    }

    [Fact]
    public void The_output_replaces_an_existing_file_and_leaves_no_temporary()
    {
        using var folder = new TestFolder();
        Npy.Write(folder.File("labels.npy"), new byte[] { 0, 1, 1, 0 }, [2, 2]);
        File.WriteAllText(folder.File("maps.npy"), "old");

        var result = Cli.Run("distmap", folder.File("labels.npy"), "-o", folder.File("maps.npy"), "--classes", "2");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["labels.npy", "maps.npy"], folder.Files());
        Assert.Equal([2, 2, 2], Npy.Read(folder.File("maps.npy")).ShapeArray());
    }
}
