using System;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LossDsl.Distance;

namespace LossDsl.Tests.Distance;

/// <summary>
/// Properties over small random masks. Each case is derived from one integer seed, so FsCheck's report
/// ("Falsifiable … (seed)") replays it: call <see cref="Case.From"/> with that seed.
/// </summary>
public sealed class PropertyTests
{
    internal sealed record Case(byte[] Mask, int[] Shape, double[] Spacing)
    {
        public static Case From(int seed, bool unitSpacing = false)
        {
            var rng = new Random(seed);
            // 1 to 4 axes: the transform is N-D; sizes stay small for the O(N²) brute force.
            int rank = rng.Next(1, 5);
            var shape = Enumerable.Range(0, rank).Select(_ => rng.Next(1, rank switch { 4 => 4, 3 => 6, _ => 10 })).ToArray();
            double[] choices = [0.5, 1.0, 1.7, 2.5, 0.3];
            var spacing = shape.Select(_ => unitSpacing ? 1.0 : choices[rng.Next(choices.Length)]).ToArray();
            double density = rng.NextDouble();
            var mask = new byte[shape.Aggregate(1, (a, b) => a * b)];
            for (int i = 0; i < mask.Length; i++) mask[i] = rng.NextDouble() < density ? (byte)rng.Next(1, 4) : (byte)0;
            return new Case(mask, shape, spacing);
        }

        public override string ToString() => $"shape ({string.Join(", ", Shape)}), spacing ({string.Join(", ", Spacing)}), mask [{string.Join("", Mask.Select(m => m == 0 ? '0' : '1'))}]";
    }

    private static bool Close(double a, double b) => (double.IsInfinity(a) && a == b) || Math.Abs(a - b) <= 1e-5 * Math.Max(1, Math.Abs(b));

    [Property(MaxTest = 300)]
    public Property Edt_equals_brute_force(int seed)
    {
        var c = Case.From(seed);
        var expected = BruteForce.Edt(c.Mask, c.Shape, c.Spacing);
        var actual = new double[c.Mask.Length];
        // One thread: 3-D shapes with ≥ 4 planes then take the plane-fused path (rows + first envelope per plane).
        DistanceTransform.Euclidean(c.Mask, c.Shape, c.Spacing, actual, maxDegreeOfParallelism: 1);
        var single = new float[c.Mask.Length];
        DistanceTransform.Euclidean(c.Mask, c.Shape, c.Spacing, single);
        return (Enumerable.Range(0, actual.Length).All(i => Close(actual[i], expected[i]) && Close(single[i], expected[i])))
            .Label($"seed {seed}: {c}");
    }

    [Property(MaxTest = 300)]
    public Property Signed_maps_equal_brute_force(int seed, bool contour)
    {
        var c = Case.From(seed);
        var expected = BruteForce.Signed(c.Mask, c.Shape, c.Spacing, contour);
        var actual = new double[c.Mask.Length];
        SignedDistance.FromMask(c.Mask, c.Shape, c.Spacing, actual, contour ? SignedDistanceVariant.Contour : SignedDistanceVariant.Reference, maxDegreeOfParallelism: seed % 2 == 0 ? 1 : -1);
        return Enumerable.Range(0, actual.Length).All(i => Close(actual[i], expected[i])).Label($"seed {seed}, contour {contour}: {c}");
    }

    /// <summary>
    /// Contour: under any spacing. Reference: only where every spacing is ≥ 1, since its inside is 1 − edt, which is
    /// positive on the boundary when a spacing is below 1 (reference issue #45, reproduced on purpose).
    /// </summary>
    [Property(MaxTest = 200)]
    public Property Sign_is_nonpositive_inside_and_positive_outside(int seed, bool contour)
    {
        var c = Case.From(seed);
        if (!contour) c = c with { Spacing = c.Spacing.Select(s => Math.Max(1.0, s)).ToArray() };
        var phi = new float[c.Mask.Length];
        SignedDistance.FromMask(c.Mask, c.Shape, c.Spacing, phi, contour ? SignedDistanceVariant.Contour : SignedDistanceVariant.Reference);
        int pos = c.Mask.Count(m => m != 0);
        bool trivial = pos == 0 || pos == c.Mask.Length;
        return Enumerable.Range(0, phi.Length)
            .All(i => trivial ? phi[i] == 0 : c.Mask[i] != 0 ? phi[i] <= 0 : phi[i] > 0)
            .Label($"seed {seed}: {c}");
    }

    /// <summary>
    /// Between any two elements: |φ(x) − φ(y)| ≤ |x − y| when both are on the same side (φ is a distance, up to a
    /// constant), and ≤ |x − y| + the grid diagonal when they are on opposite sides (discrete shift of the boundary).
    /// </summary>
    [Property(MaxTest = 150)]
    public Property Map_is_one_lipschitz_in_physical_units(int seed, bool contour)
    {
        var c = Case.From(seed);
        var phi = new double[c.Mask.Length];
        SignedDistance.FromMask(c.Mask, c.Shape, c.Spacing, phi, contour ? SignedDistanceVariant.Contour : SignedDistanceVariant.Reference);
        double diagonal = Math.Sqrt(c.Spacing.Sum(s => s * s));
        for (int i = 0; i < phi.Length; i++)
        {
            var xi = BruteForce.Coordinates(i, c.Shape);
            for (int j = i + 1; j < phi.Length; j++)
            {
                double d = BruteForce.Distance(xi, BruteForce.Coordinates(j, c.Shape), c.Spacing);
                bool same = (c.Mask[i] != 0) == (c.Mask[j] != 0);
                if (Math.Abs(phi[i] - phi[j]) > d + (same ? 1e-9 : diagonal))
                    return false.Label($"seed {seed}: φ[{i}] = {phi[i]}, φ[{j}] = {phi[j]}, |x − y| = {d}; {c}");
            }
        }
        return true.ToProperty();
    }

    [Property(MaxTest = 200)]
    public Property Reference_is_zero_on_the_inner_face_boundary_at_unit_spacing(int seed)
    {
        var c = Case.From(seed, unitSpacing: true);
        var phi = new float[c.Mask.Length];
        SignedDistance.FromMask(c.Mask, c.Shape, c.Spacing, phi);
        var boundary = BruteForce.InnerBoundary(c.Mask, c.Shape);
        return Enumerable.Range(0, phi.Length).Where(i => boundary[i]).All(i => phi[i] == 0).Label($"seed {seed}: {c}");
    }

    [Property(MaxTest = 200)]
    public Property Contour_is_zero_on_the_inner_boundary_under_any_spacing(int seed)
    {
        var c = Case.From(seed);
        var phi = new float[c.Mask.Length];
        SignedDistance.FromMask(c.Mask, c.Shape, c.Spacing, phi, SignedDistanceVariant.Contour);
        var boundary = BruteForce.InnerBoundary(c.Mask, c.Shape);
        return Enumerable.Range(0, phi.Length).Where(i => boundary[i]).All(i => phi[i] == 0).Label($"seed {seed}: {c}");
    }
}
