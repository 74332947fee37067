using System;
using System.Numerics;
using System.Numerics.Tensors;
using LossDsl.Cpu;
using LossDsl.Utilities;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace LossDsl;

/// <summary>
/// The reference's input assertions, as opt-in checks (the losses themselves do not check, for speed): probabilities
/// form a simplex along C, targets are one-hot, signed maps are not one-hot by mistake. Each check throws an
/// <see cref="ArgumentException"/> that names the argument and says where and what was found.
/// <c>SegmentationLosses.Checked</c> runs them before calling a loss.
/// </summary>
public static class LossInputChecks
{
    /// <summary>Throws unless <paramref name="probs"/> <c>(B, C, *S)</c> sums to 1 along C everywhere (within <paramref name="tolerance"/>; NaN fails).</summary>
    /// <exception cref="ArgumentException">Not a simplex; the message gives batch item, position and the sum.</exception>
    public static void Probabilities(Tensor probs, double tolerance = Simplex.DefaultTolerance) => Named(nameof(probs), () => Simplex.Check(probs, tolerance));

    /// <summary>Throws unless <paramref name="target"/> <c>(B, C, *S)</c> is one-hot (values 0 or 1, one class per element).</summary>
    /// <exception cref="ArgumentException">Not one-hot; the message gives batch item, class and position.</exception>
    public static void OneHotTarget(Tensor target) => Named(nameof(target), () => OneHot.Check(target));

    /// <summary>
    /// Throws when <paramref name="dist"/> looks like a one-hot target instead of a signed distance map (the
    /// reference asserts <c>not one_hot(dist)</c>): the usual mistake of passing the target twice. Also refuses
    /// non-finite distances, which would make the loss NaN.
    /// </summary>
    /// <exception cref="ArgumentException">The map is one-hot, or holds NaN or ±∞.</exception>
    public static void DistanceMap(Tensor dist)
    {
        ArgumentNullException.ThrowIfNull(dist);
        using var scope = NewDisposeScope();
        if (!dist.isfinite().all().item<bool>())
            throw new ArgumentException($"The distance map of shape ({string.Join(", ", dist.shape)}) holds NaN or infinite values.", nameof(dist));
        bool binary = dist.eq(0).logical_or(dist.eq(1)).all().item<bool>();
        if (binary && dist.dim() >= 3 && dist.sum(1).eq(1).all().item<bool>())
            throw new ArgumentException("The distance map is one-hot: pass the signed distance maps of the target (SignedDistance.FromOneHot), not the target itself.", nameof(dist));
    }

    /// <summary>CPU form of <see cref="Probabilities(Tensor, double)"/>.</summary>
    /// <exception cref="ArgumentException">Not a simplex, or not dense.</exception>
    public static void Probabilities<T>(ReadOnlyTensorSpan<T> probs, double tolerance = Simplex.DefaultTolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        try
        {
            Simplex.Check(CpuArguments.Data(probs, nameof(probs)), Shape(probs), tolerance);
        }
        catch (ArgumentException e) when (e.ParamName != nameof(probs))
        {
            throw Renamed(e, nameof(probs));
        }
    }

    /// <summary>CPU form of <see cref="OneHotTarget(Tensor)"/>.</summary>
    /// <exception cref="ArgumentException">Not one-hot, or not dense.</exception>
    public static void OneHotTarget<T>(ReadOnlyTensorSpan<T> target)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        try
        {
            OneHot.Check(CpuArguments.Data(target, nameof(target)), Shape(target));
        }
        catch (ArgumentException e) when (e.ParamName != nameof(target))
        {
            throw Renamed(e, nameof(target));
        }
    }

    /// <summary>CPU form of <see cref="DistanceMap(Tensor)"/>.</summary>
    /// <exception cref="ArgumentException">The map is one-hot, holds NaN or ±∞, or is not dense.</exception>
    public static void DistanceMap<T>(ReadOnlyTensorSpan<T> dist)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var data = CpuArguments.Data(dist, nameof(dist));
        bool binary = true;
        for (int i = 0; i < data.Length; i++)
        {
            if (!T.IsFinite(data[i]))
                throw new ArgumentException($"The distance map holds {data[i]} at flat index {i}; distances must be finite.", nameof(dist));
            binary &= T.IsZero(data[i]) || data[i] == T.One;
        }
        if (binary && dist.Rank >= 3 && OneHot_IsOneHot(data, Shape(dist)))
            throw new ArgumentException("The distance map is one-hot: pass the signed distance maps of the target (SignedDistance.FromOneHot), not the target itself.", nameof(dist));
    }

    private static bool OneHot_IsOneHot<T>(ReadOnlySpan<T> data, int[] shape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        try
        {
            OneHot.Check(data, shape);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Runs a utility check and reports its failure under the loss's parameter name (the utilities name theirs <c>values</c>/<c>probs</c>).</summary>
    private static void Named(string name, Action check)
    {
        try
        {
            check();
        }
        catch (ArgumentException e) when (e.ParamName != name)
        {
            throw Renamed(e, name);
        }
    }

    private static ArgumentException Renamed(ArgumentException e, string name)
    {
        string message = e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", string.Empty, StringComparison.Ordinal);
        return new ArgumentException(message, name, e);
    }

    private static int[] Shape<T>(ReadOnlyTensorSpan<T> span)
    {
        var shape = new int[span.Rank];
        for (int i = 0; i < shape.Length; i++) shape[i] = checked((int)span.Lengths[i]);
        return shape;
    }
}
