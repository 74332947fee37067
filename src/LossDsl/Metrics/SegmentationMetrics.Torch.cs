using System;
using TorchSharp;
using static TorchSharp.torch;

namespace LossDsl.Metrics;

public static partial class SegmentationMetrics
{
    /// <summary>Dice per image and class of two one-hot tensors (B, C, *spatial), computed on their device.</summary>
    /// <param name="prediction">The predicted one-hot masks: bool, integer or floating tensor with values 0 or 1.</param>
    /// <param name="target">The ground-truth one-hot masks, same shape and device.</param>
    /// <returns>A (B, C) float64 tensor on the inputs' device.</returns>
    /// <exception cref="ArgumentException">The shapes differ, the rank is below 3, or a tensor is not binary.</exception>
    public static Tensor Dice(Tensor prediction, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        CheckBatched(prediction, target);
        using var scope = NewDisposeScope();
        Tensor p = prediction.to_type(ScalarType.Float64);
        Tensor t = target.to_type(ScalarType.Float64);
        long[] spatialDims = new long[prediction.dim() - 2];
        for (int i = 0; i < spatialDims.Length; i++)
            spatialDims[i] = i + 2;
        Tensor intersection = (p * t).sum(spatialDims);
        Tensor sizes = p.sum(spatialDims) + t.sum(spatialDims);
        return ((2 * intersection + DiceSmoothing) / (sizes + DiceSmoothing)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Hausdorff distance, HD95 and ASSD per image and class of two one-hot tensors (B, C, *spatial).
    /// The masks are copied to the CPU for the exact distance transform.
    /// </summary>
    /// <param name="prediction">The predicted one-hot masks: bool, integer or floating tensor with values 0 or 1.</param>
    /// <param name="target">The ground-truth one-hot masks, same shape.</param>
    /// <param name="spacing">The pixel spacing per spatial axis, in array order; empty for 1 on every axis.</param>
    /// <param name="empty">The value when exactly one mask of a pair is empty.</param>
    /// <param name="maxDegreeOfParallelism">Threads for the distance transform; −1 for the default.</param>
    /// <returns>The metrics indexed [b, c].</returns>
    /// <exception cref="ArgumentException">The shapes differ, the rank is below 3, a tensor is not binary, or the spacing does not fit.</exception>
    public static SurfaceDistanceMetrics[,] SurfaceDistancesPerClass(
        Tensor prediction, Tensor target, ReadOnlySpan<double> spacing = default,
        EmptyMaskDistance empty = EmptyMaskDistance.Infinity, int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        CheckBatched(prediction, target);
        int[] shape = Array.ConvertAll(prediction.shape, checked(static (long extent) => (int)extent));
        byte[] p = ToHostBytes(prediction);
        byte[] t = ToHostBytes(target);
        return SurfaceDistancesPerClass(p, t, shape, spacing, empty, maxDegreeOfParallelism);
    }

    private static void CheckBatched(Tensor prediction, Tensor target)
    {
        if (prediction.dim() < 3)
            throw new ArgumentException(
                $"A batched tensor is (B, C, *spatial) with at least one spatial axis; prediction has shape {Describe(prediction)}.",
                nameof(prediction));
        if (!prediction.shape.AsSpan().SequenceEqual(target.shape))
            throw new ArgumentException(
                $"prediction has shape {Describe(prediction)} but target has shape {Describe(target)}.", nameof(target));
        RequireBinary(prediction, nameof(prediction));
        RequireBinary(target, nameof(target));
    }

    private static void RequireBinary(Tensor mask, string name)
    {
        if (mask.dtype == ScalarType.Bool)
            return;
        using var scope = NewDisposeScope();
        Tensor bad = mask.ne(0).logical_and(mask.ne(1));
        if (bad.any().item<bool>())
        {
            long first = bad.flatten().nonzero()[0, 0].item<long>();
            double value = mask.flatten()[first].to_type(ScalarType.Float64).item<double>();
            throw new ArgumentException($"{name} must be binary (0 or 1); flat element {first} is {value}.", name);
        }
    }

    private static byte[] ToHostBytes(Tensor mask)
    {
        using var scope = NewDisposeScope();
        return mask.to(CPU).to_type(ScalarType.Byte).contiguous().data<byte>().ToArray();
    }

    private static string Describe(Tensor tensor) => "(" + string.Join(", ", tensor.shape) + ")";
}
