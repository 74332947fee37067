using System;
using System.Linq;
using System.Numerics;
using LossDsl.Distance;
using LossDsl.Utilities;
using TorchSharp;
using static TorchSharp.torch;

namespace LossDsl;

/// <summary>
/// The two distance-transform fields of <c>SegmentationLosses.HausdorffDT</c>: <c>D_y</c> of the ground truth and
/// <c>D_ŷ</c> of the current prediction's argmax one-hot, per image and class (reference <c>one_hot2hd_dist</c>).
/// </summary>
/// <remarks>
/// <para>
/// <c>D_m(x)</c> is the Euclidean distance (physical units with per-axis spacing) from an element x of mask m to the
/// nearest element outside m, and 0 outside m. An empty class gives zeros (as the reference). A class that covers the
/// whole image has no element outside it, where the exact transform is +∞ (and scipy's output an artefact): LossDsl
/// gives zeros there too (no boundary in view), so the loss never sees ∞ or NaN.
/// </para>
/// <para>
/// The maps are computed on the CPU with the exact EDT of <see cref="DistanceTransform"/>, outside any autograd
/// graph (the reference detaches them as well); they must be recomputed at every step because <c>D_ŷ</c> follows
/// the prediction. Layout <c>(B, C, *S)</c>, C order.
/// </para>
/// </remarks>
public static class HausdorffDistanceMaps
{
    /// <summary>
    /// Writes <c>D_y</c> and <c>D_ŷ</c> for probabilities (or logits: only their argmax is used) and a one-hot target.
    /// </summary>
    /// <param name="probs">Probabilities or logits <c>(B, C, *S)</c>; ŷ is their argmax over C (first maximum wins).</param>
    /// <param name="target">The one-hot ground truth <c>(B, C, *S)</c>; an element belongs to class k where its value is &gt; 0.5.</param>
    /// <param name="shape">The shape <c>(B, C, *S)</c>, at least one spatial axis.</param>
    /// <param name="distTarget">Receives <c>D_y</c>, same length as <paramref name="target"/>.</param>
    /// <param name="distPrediction">Receives <c>D_ŷ</c>, same length as <paramref name="probs"/>.</param>
    /// <param name="spacing">One spacing per spatial axis, or empty for unit spacing.</param>
    /// <exception cref="ArgumentException">Inconsistent shape, lengths or spacing (the message names the argument and the values seen).</exception>
    public static void Compute<T>(ReadOnlySpan<T> probs, ReadOnlySpan<T> target, ReadOnlySpan<int> shape, Span<T> distTarget, Span<T> distPrediction, ReadOnlySpan<double> spacing = default)
        where T : IFloatingPointIeee754<T>
    {
        var (batch, classes, plane) = Layout(shape);
        long count = (long)batch * classes * plane;
        RequireLength(probs.Length, count, nameof(probs), shape);
        RequireLength(target.Length, count, nameof(target), shape);
        RequireLength(distTarget.Length, count, nameof(distTarget), shape);
        RequireLength(distPrediction.Length, count, nameof(distPrediction), shape);

        var targetMasks = new byte[count];
        T half = T.CreateTruncating(0.5);
        for (long i = 0; i < count; i++) targetMasks[i] = target[(int)i] > half ? (byte)1 : (byte)0;
        var predictionMasks = new byte[count];
        OneHot.FromProbabilities<T, byte>(probs, shape, predictionMasks);

        var spatial = shape[2..];
        FromMasks(targetMasks, batch * classes, plane, spatial, spacing, distTarget);
        FromMasks(predictionMasks, batch * classes, plane, spatial, spacing, distPrediction);
    }

    /// <summary>Array form of <see cref="Compute{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{int}, Span{T}, Span{T}, ReadOnlySpan{double})"/> for float32.</summary>
    /// <exception cref="ArgumentException">Inconsistent shape, lengths or spacing.</exception>
    public static (float[] DistTarget, float[] DistPrediction) Compute(float[] probs, float[] target, int[] shape, double[]? spacing = null)
    {
        ArgumentNullException.ThrowIfNull(probs);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(shape);
        var dt = new float[probs.Length];
        var dp = new float[probs.Length];
        Compute<float>(probs, target, shape, dt, dp, spacing);
        return (dt, dp);
    }

    /// <summary>Array form of <see cref="Compute{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{int}, Span{T}, Span{T}, ReadOnlySpan{double})"/> for float64.</summary>
    /// <exception cref="ArgumentException">Inconsistent shape, lengths or spacing.</exception>
    public static (double[] DistTarget, double[] DistPrediction) Compute(double[] probs, double[] target, int[] shape, double[]? spacing = null)
    {
        ArgumentNullException.ThrowIfNull(probs);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(shape);
        var dt = new double[probs.Length];
        var dp = new double[probs.Length];
        Compute<double>(probs, target, shape, dt, dp, spacing);
        return (dt, dp);
    }

    /// <summary>
    /// TorchSharp: <c>D_y</c> and <c>D_ŷ</c> as new tensors with the dtype and device of <paramref name="probs"/>
    /// (computed on the CPU; nothing recorded for autograd). The caller owns both.
    /// </summary>
    /// <param name="probs">Probabilities or logits <c>(B, C, *S)</c>, float32 or float64, any device.</param>
    /// <param name="target">The one-hot ground truth, same shape.</param>
    /// <param name="spacing">One spacing per spatial axis, or null for unit spacing.</param>
    /// <exception cref="ArgumentException">Shapes differ, a dtype is not floating point, or the spacing does not fit.</exception>
    public static (Tensor DistTarget, Tensor DistPrediction) Compute(Tensor probs, Tensor target, double[]? spacing = null)
    {
        ArgumentNullException.ThrowIfNull(probs);
        ArgumentNullException.ThrowIfNull(target);
        if (!probs.is_floating_point())
            throw new ArgumentException($"probs must be float32 or float64; got {probs.dtype}.", nameof(probs));
        if (!probs.shape.SequenceEqual(target.shape))
            throw new ArgumentException($"target has shape ({string.Join(", ", target.shape)}) but probs has ({string.Join(", ", probs.shape)}); they must match.", nameof(target));
        int[] shape = probs.shape.Select(d => checked((int)d)).ToArray();
        double[] p, y;
        using (no_grad())
        using (var scope = NewDisposeScope())
        {
            p = probs.detach().to(CPU).to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
            y = target.detach().to(CPU).to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
        }
        var (dt, dp) = Compute(p, y, shape, spacing);
        var dims = probs.shape;
        using var dtCpu = torch.tensor(dt, dims, ScalarType.Float64);
        using var dpCpu = torch.tensor(dp, dims, ScalarType.Float64);
        return (dtCpu.to(probs.dtype, probs.device), dpCpu.to(probs.dtype, probs.device));
    }

    private static void FromMasks<T>(byte[] masks, int count, int plane, ReadOnlySpan<int> spatial, ReadOnlySpan<double> spacing, Span<T> output)
        where T : IFloatingPointIeee754<T>
    {
        var buffer = new double[plane];
        for (int m = 0; m < count; m++)
        {
            var mask = masks.AsSpan(m * plane, plane);
            var dst = output.Slice(m * plane, plane);
            // Empty (no object) and full (no background in view) masks both give zeros: nothing to measure, and the
            // full case would otherwise be +∞ and turn (p − y)²·D² into NaN where p = y.
            bool any = mask.ContainsAnyExcept((byte)0);
            bool full = !mask.Contains((byte)0);
            if (!any || full)
            {
                dst.Clear();
                continue;
            }
            DistanceTransform.Euclidean(mask, spatial, spacing, buffer.AsSpan(), maxDegreeOfParallelism: 1);
            for (int i = 0; i < plane; i++) dst[i] = T.CreateTruncating(buffer[i]);
        }
    }

    private static (int Batch, int Classes, int Plane) Layout(ReadOnlySpan<int> shape)
    {
        if (shape.Length < 3)
            throw new ArgumentException($"Expected shape (B, C, *spatial) with at least one spatial axis; got ({string.Join(", ", shape.ToArray())}).", nameof(shape));
        long plane = 1;
        foreach (int d in shape[2..])
        {
            if (d < 0) throw new ArgumentException($"Shape ({string.Join(", ", shape.ToArray())}) has a negative dimension.", nameof(shape));
            plane *= d;
        }
        if (shape[0] < 0 || shape[1] < 0)
            throw new ArgumentException($"Shape ({string.Join(", ", shape.ToArray())}) has a negative dimension.", nameof(shape));
        return (shape[0], shape[1], checked((int)plane));
    }

    private static void RequireLength(int actual, long expected, string name, ReadOnlySpan<int> shape)
    {
        if (actual != expected)
            throw new ArgumentException($"{name} has {actual} elements but shape ({string.Join(", ", shape.ToArray())}) needs {expected}.", name);
    }
}
