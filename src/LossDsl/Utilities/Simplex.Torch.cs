using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace LossDsl.Utilities;

public static partial class Simplex
{
    /// <summary>
    /// TorchSharp: throws unless every class sum of <paramref name="probs"/> <c>(B, K, *S)</c> is within
    /// <paramref name="tolerance"/> of 1 (any device; only the verdict and the worst position are copied back).
    /// The message gives the worst batch item and position, the sum, and by how much it is off.
    /// </summary>
    /// <exception cref="ArgumentException">Not a simplex (or NaN), or not <c>(B, K, *S)</c>.</exception>
    public static void Check(Tensor probs, double tolerance = DefaultTolerance)
    {
        ArgumentNullException.ThrowIfNull(probs);
        OneHot.RequireClassAxis(probs, nameof(probs));
        if (!(tolerance >= 0))
            throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "The tolerance must be ≥ 0.");
        using var scope = NewDisposeScope();
        var sum = probs.to_type(ScalarType.Float64).sum(1);
        // NaN compares false against everything: map it to +∞ so it is reported, not skipped.
        var off = sum.sub(1).abs().nan_to_num(double.PositiveInfinity);
        var worst = off.flatten().argmax().item<long>();
        double worstOff = off.flatten()[worst].item<double>();
        if (worstOff <= tolerance) return;
        long[] shape = sum.shape;
        var at = new long[shape.Length];
        long rest = worst;
        for (int i = shape.Length - 1; i >= 0; i--) { at[i] = rest % shape[i]; rest /= shape[i]; }
        double s = sum.flatten()[worst].item<double>();
        throw new ArgumentException($"Not a simplex along the class axis: at batch item {at[0]}, position ({string.Join(", ", at.Skip(1))}), the {probs.shape[1]} classes sum to {s:R} (off by {s - 1:G6}; tolerance {tolerance:G3}).", nameof(probs));
    }
}
