using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using LossDsl.Distance;
using LossDsl.IO;
using Xunit;

namespace LossDsl.Tests.Distance;

/// <summary>Agreement with scipy's <c>distance_transform_edt</c> through the reference one_hot2dist (fixtures from anchors.py).</summary>
public sealed class ScipyReferenceTests
{
    public static IEnumerable<object[]> Cases()
    {
        foreach (var dir in System.IO.Directory.GetDirectories(Fixtures.Directory()).OrderBy(d => d, StringComparer.Ordinal))
        {
            string name = Path.GetFileName(dir);
            if (name == "edt_random") continue;
            foreach (var mask in System.IO.Directory.GetFiles(dir, "mask_*.npy").OrderBy(f => f, StringComparer.Ordinal))
                yield return [name, Path.GetFileName(mask)];
        }
    }

    /// <summary>Folder names encode spacing: <c>2d_s1_0.5</c> → (1, 0.5); <c>*_unit</c> → unit spacing.</summary>
    private static double[] Spacing(string folder, int rank)
    {
        int s = folder.IndexOf("_s", StringComparison.Ordinal);
        if (s < 0) return Enumerable.Repeat(1.0, rank).ToArray();
        return folder[(s + 2)..].Split('_').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reference_map_equals_scipy_within_1e_4(string folder, string maskFile)
    {
        string dir = Path.Combine(Fixtures.Directory(), folder);
        var mask = Npy.Read(Path.Combine(dir, maskFile));
        var expected = Npy.Read(Path.Combine(dir, maskFile.Replace("mask_", "dist_", StringComparison.Ordinal))).ToSingle();
        int[] shape = mask.ShapeArray();
        double[] spacing = Spacing(folder, shape.Length);

        var single = new float[expected.Length];
        SignedDistance.FromMask(mask.ToByte(), shape, spacing, single);
        var dbl = new double[expected.Length];
        SignedDistance.FromMask(mask.ToByte(), shape, spacing, dbl);

        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(single[i] - expected[i]) <= 1e-4, $"{folder}/{maskFile} float at {i}: {single[i]} vs scipy {expected[i]}");
            Assert.True(Math.Abs(dbl[i] - expected[i]) <= 1e-4, $"{folder}/{maskFile} double at {i}: {dbl[i]} vs scipy {expected[i]}");
        }
    }

    [Theory]
    [InlineData("mask.npy", "edt.npy", new[] { 1.5, 0.8 })]
    [InlineData("mask3.npy", "edt3.npy", new[] { 2.0, 0.6, 1.1 })]
    public void Plain_edt_equals_scipy_on_noisy_masks(string maskFile, string edtFile, double[] spacing)
    {
        string dir = Path.Combine(Fixtures.Directory(), "edt_random");
        var mask = Npy.Read(Path.Combine(dir, maskFile));
        var expected = Npy.Read(Path.Combine(dir, edtFile)).ToDouble();
        var actual = new double[expected.Length];
        DistanceTransform.Euclidean(mask.ToByte(), mask.ShapeArray(), spacing, actual);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-9, $"at {i}: {actual[i]} vs scipy {expected[i]}");
    }
}
