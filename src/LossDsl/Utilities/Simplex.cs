using System;
using System.Numerics;
using LossDsl.Distance;

namespace LossDsl.Utilities;

/// <summary>
/// The reference's <c>simplex</c> check: along the class axis of <c>(B, K, *S)</c>, values sum to 1 at every
/// position (within a tolerance, like <c>torch.allclose</c>). TorchSharp form in <c>Simplex.Torch.cs</c>.
/// </summary>
public static partial class Simplex
{
    /// <summary>Default tolerance on |Σ_k p − 1|: <c>torch.allclose</c>'s rtol + atol (1e-5 + 1e-8).</summary>
    public const double DefaultTolerance = 1e-5 + 1e-8;

    /// <summary>
    /// Throws unless every class sum of <paramref name="probs"/> <c>(B, K, *S)</c> is within <paramref name="tolerance"/> of 1.
    /// The message gives the first offending batch item and position, the sum, and by how much it is off.
    /// </summary>
    /// <exception cref="ArgumentException">Not a simplex (or NaN), or inconsistent lengths.</exception>
    public static void Check<T>(ReadOnlySpan<T> probs, ReadOnlySpan<int> shape, double tolerance = DefaultTolerance)
        where T : IFloatingPointIeee754<T>
    {
        if (Find(probs, shape, tolerance) is { } v)
            throw new ArgumentException(v.Message, nameof(probs));
    }

    /// <summary>Whether <paramref name="probs"/> <c>(B, K, *S)</c> is a simplex along K within <paramref name="tolerance"/>.</summary>
    /// <exception cref="ArgumentException">Inconsistent lengths.</exception>
    public static bool IsSimplex<T>(ReadOnlySpan<T> probs, ReadOnlySpan<int> shape, double tolerance = DefaultTolerance)
        where T : IFloatingPointIeee754<T>
        => Find(probs, shape, tolerance) is null;

    private sealed record Violation(string Message);

    private static Violation? Find<T>(ReadOnlySpan<T> probs, ReadOnlySpan<int> shape, double tolerance)
        where T : IFloatingPointIeee754<T>
    {
        var (batch, classes, plane) = OneHot.ClassLayout(shape, nameof(shape));
        Checks.Length(probs.Length, (long)batch * classes * plane, shape, nameof(probs));
        if (!(tolerance >= 0))
            throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "The tolerance must be ≥ 0.");
        var sum = new double[plane];
        for (int b = 0; b < batch; b++)
        {
            Array.Clear(sum);
            for (int k = 0; k < classes; k++)
            {
                var p = probs.Slice((b * classes + k) * plane, plane);
                for (int i = 0; i < plane; i++) sum[i] += double.CreateTruncating(p[i]);
            }
            for (int i = 0; i < plane; i++)
            {
                double off = sum[i] - 1.0;
                if (!(Math.Abs(off) <= tolerance))
                    return new Violation($"Not a simplex along the class axis: at batch item {b}, position {Checks.Position(i, shape[2..])}, the {classes} classes sum to {sum[i]:R} (off by {off:G6}; tolerance {tolerance:G3}).");
            }
        }
        return null;
    }
}
