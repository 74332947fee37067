using System;
using System.Collections.Generic;
using System.Linq;

namespace LossDsl.Cli.Demo;

/// <summary>What a confidence interval of a paired difference shows.</summary>
internal enum Direction
{
    /// <summary>Fewer than two pairs: no interval.</summary>
    Unknown,

    /// <summary>The interval lies entirely above zero.</summary>
    Positive,

    /// <summary>The interval lies entirely below zero.</summary>
    Negative,

    /// <summary>The interval contains zero: no difference shown at this level.</summary>
    NoneShown,
}

/// <summary>
/// The mean of paired differences (b − a, one pair per seed) with its two-sided 95 % Student-t confidence interval:
/// mean ± t(0.975, n − 1) · s / √n, s the sample standard deviation of the differences.
/// </summary>
internal sealed record PairedDifference(int Count, double Mean, double StandardDeviation, double Low, double High)
{
    public static PairedDifference Of(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        if (a.Count != b.Count)
            throw new ArgumentException("The two samples must be paired (same length).");
        double[] d = a.Zip(b, (x, y) => y - x).ToArray();
        int n = d.Length;
        if (n == 0)
            return new PairedDifference(0, double.NaN, double.NaN, double.NaN, double.NaN);
        double mean = d.Average();
        if (n == 1)
            return new PairedDifference(1, mean, double.NaN, double.NaN, double.NaN);
        double sd = Math.Sqrt(d.Sum(v => (v - mean) * (v - mean)) / (n - 1));
        double half = StudentT975(n - 1) * sd / Math.Sqrt(n);
        return new PairedDifference(n, mean, sd, mean - half, mean + half);
    }

    /// <summary>Where the interval lies relative to zero.</summary>
    public Direction Direction
        => Count < 2 || double.IsNaN(Low) ? Direction.Unknown
            : Low > 0 ? Direction.Positive
            : High < 0 ? Direction.Negative
            : Direction.NoneShown;

    /// <summary>The 0.975 quantile of Student's t with <paramref name="degreesOfFreedom"/> degrees of freedom (two-sided 95 %).</summary>
    public static double StudentT975(int degreesOfFreedom)
    {
        if (degreesOfFreedom < 1)
            throw new ArgumentOutOfRangeException(nameof(degreesOfFreedom));
        if (degreesOfFreedom <= Table.Length)
            return Table[degreesOfFreedom - 1];
        // Cornish–Fisher expansion around the normal quantile: within 1e-5 of the exact value beyond 30 degrees of freedom.
        const double z = 1.959963984540054;
        double v = degreesOfFreedom, z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z, z9 = z7 * z * z;
        return z + ((z3 + z) / (4 * v)) + (((5 * z5) + (16 * z3) + (3 * z)) / (96 * v * v))
            + (((3 * z7) + (19 * z5) + (17 * z3) - (15 * z)) / (384 * v * v * v))
            + (((79 * z9) + (776 * z7) + (1482 * z5) - (1920 * z3) - (945 * z)) / (92160 * v * v * v * v));
    }

    /// <summary>t(0.975, ν) for ν = 1…30, to six decimals.</summary>
    private static readonly double[] Table =
    [
        12.706205, 4.302653, 3.182446, 2.776445, 2.570582, 2.446912, 2.364624, 2.306004, 2.262157, 2.228139,
        2.200985, 2.178813, 2.160369, 2.144787, 2.131450, 2.119905, 2.109816, 2.100922, 2.093024, 2.085963,
        2.079614, 2.073873, 2.068658, 2.063899, 2.059539, 2.055529, 2.051831, 2.048407, 2.045230, 2.042272,
    ];
}
