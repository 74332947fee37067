using System;

namespace LossDsl.Metrics;

/// <summary>Percentiles as numpy computes them by default (method "linear"), which medpy's and MONAI's HD95 use.</summary>
internal static class Percentile
{
    /// <summary>
    /// The <paramref name="q"/>-th percentile (0–100) of <paramref name="values"/>, which are sorted in place:
    /// the value at fractional rank (n − 1)·q/100, interpolated linearly between its two neighbours.
    /// </summary>
    public static double Linear(Span<double> values, double q)
    {
        if (values.IsEmpty)
            throw new ArgumentException("The percentile of no values is undefined.", nameof(values));
        values.Sort();
        double rank = (values.Length - 1) * q / 100.0;
        int lower = (int)Math.Floor(rank);
        int upper = Math.Min(lower + 1, values.Length - 1);
        double fraction = rank - lower;
        return values[lower] + (values[upper] - values[lower]) * fraction;
    }
}
