using System;
using LossDsl.Torch.Sweeps;
using TorchSharp;
using static TorchSharp.torch;

namespace LossDsl.Torch;

/// <summary>Single-sweep CPU kernels that replace several ATen passes over the fields (see Sweeps/).</summary>
public static partial class FusedOps
{
    // Per thread, so that tests running in parallel see only their own calls.
    [ThreadStatic]
    private static long sweeps;

    /// <summary>How many calls on this thread took a sweep rather than the ATen fallback (for tests).</summary>
    internal static long SweepsTaken => sweeps;

    /// <summary>Whether sweeps may run on this thread (tests and benchmarks turn them off to compare with the ATen path).</summary>
    [ThreadStatic]
    internal static bool SweepsDisabled;

    /// <summary>
    /// For each k, Σ over the spatial axes (2 … ndim−1) of <c>factors[k]·cofactors[k]</c>, or of <c>factors[k]</c>
    /// alone where <c>cofactors[k]</c> is null, in keep-dim layout (B, C, 1, …, 1): what
    /// <see cref="SumOfProducts"/> and <see cref="Sum"/> over the spatial axes give, which is also the fallback.
    /// <para>
    /// One sweep over memory, reading each distinct tensor (by reference) once, when every tensor is on the CPU,
    /// contiguous, of the same shape with rank ≥ 3, float32 or float64 alike, non-empty and at most int.MaxValue
    /// bytes, and autograd would record nothing (grad mode off or no input requires grad). Sums accumulate in the
    /// dtype over blocks of 1024 elements and in double across blocks; the result is the same for any thread count.
    /// </para>
    /// </summary>
    /// <param name="factors">The tensors summed (at least one).</param>
    /// <param name="cofactors">Per factor, the tensor it is multiplied by, or null; same length as <paramref name="factors"/>.</param>
    /// <returns>New tensors, one per factor, of the inputs' dtype and device.</returns>
    public static Tensor[] SpatialSums(Tensor[] factors, Tensor?[] cofactors)
    {
        CheckPairs(factors, cofactors);

        if (CanSweepSums(factors, cofactors))
        {
            return SweepSums(factors, cofactors);
        }

        var results = new Tensor[factors.Length];
        for (var k = 0; k < factors.Length; k++)
        {
            var ndim = factors[k].ndim;
            results[k] = cofactors[k] is { } cofactor
                ? SumOfProducts(factors[k], cofactor, false, false, true)
                : Sum(factors[k], ReduceDims(ndim, false, false, true));
        }

        return results;
    }

    /// <summary>
    /// <see cref="SpatialSums(Tensor[], Tensor?[])"/> where some of the tensors summed are a softmax the same sweep
    /// computes: first <c><paramref name="softmax"/> = softmax_c(<paramref name="softmaxOf"/>)</c> (over the class axis 1,
    /// written into the given tensor, which the factors and cofactors name), then the sums. One sweep — the logits read
    /// once, the softmax written and summed while in cache — under the conditions of
    /// <see cref="SpatialSums(Tensor[], Tensor?[])"/>, with <paramref name="softmaxOf"/> and <paramref name="softmax"/>
    /// of the same shape and kind; otherwise ATen's <c>softmax</c> into <paramref name="softmax"/>, then
    /// <see cref="SpatialSums(Tensor[], Tensor?[])"/>.
    /// </summary>
    /// <param name="factors">The tensors summed (at least one).</param>
    /// <param name="cofactors">Per factor, the tensor it is multiplied by, or null.</param>
    /// <param name="softmaxOf">The logits.</param>
    /// <param name="softmax">Receives the softmax (e.g. a fresh <c>empty_like(softmaxOf)</c>); its contents are overwritten.</param>
    /// <returns>New tensors, one per factor.</returns>
    public static Tensor[] SpatialSums(Tensor[] factors, Tensor?[] cofactors, Tensor softmaxOf, Tensor softmax)
    {
        ArgumentNullException.ThrowIfNull(softmaxOf);
        ArgumentNullException.ThrowIfNull(softmax);
        CheckPairs(factors, cofactors);
        var dtype = factors[0].dtype;
        if (CanSweepSums(factors, cofactors) && IsSweepableField(softmaxOf, dtype, factors[0].shape)
            && IsSweepableField(softmax, dtype, factors[0].shape) && !WouldRecordGradient(new[] { softmaxOf, softmax }))
        {
            sweeps++;
            return dtype == ScalarType.Float32
                ? SoftmaxSumsKernel.Sum<float>(factors, cofactors, softmaxOf, softmax)
                : SoftmaxSumsKernel.Sum<double>(factors, cofactors, softmaxOf, softmax);
        }

        using (var computed = softmaxOf.softmax(1))
        {
            softmax.copy_(computed);
        }

        return SpatialSums(factors, cofactors);
    }

    /// <summary>
    /// A gradient that is affine in the fields: with <c>u = Σ_k fields[k]·coefficients[k] + constant</c>, returns
    /// <c>u·scale</c>, or, when <paramref name="softmax"/> is given, the softmax backward
    /// <c>softmax·(u − Σ_c u·softmax)·scale</c> (Σ_c over the class axis 1 at each batch and position).
    /// <para>
    /// One sweep that reads each field once and writes the result (the softmax case revisits each run of the result
    /// and the softmax once Σ_c is known) when every tensor is on the CPU, float32 or
    /// float64 alike, the fields and the softmax contiguous, of the same shape with rank ≥ 2, non-empty and at most
    /// int.MaxValue bytes, each coefficient and the constant 0-dim or keep-dim (size 1 or B, 1 or C, 1 on spatial
    /// axes), the scale one element of rank ≤ the fields', and autograd would record nothing. Otherwise the ATen
    /// composition: multiply, <c>addcmul_</c>, <c>add_</c>, <see cref="SoftmaxBackward"/>, <c>mul_</c>.
    /// </para>
    /// </summary>
    /// <param name="fields">Full-shape tensors (B, C, *S), at least one.</param>
    /// <param name="coefficients">One per field, without spatial extent (keep-dim or 0-dim).</param>
    /// <param name="constant">Added to u (keep-dim or 0-dim), or null for none.</param>
    /// <param name="softmax">The softmax output, full shape, or null for no softmax backward.</param>
    /// <param name="scale">A one-element factor (the incoming gradient of a loss), or null for 1.</param>
    /// <returns>A new tensor of the fields' shape, dtype and device (never one of the inputs).</returns>
    public static Tensor AffineGradient(Tensor[] fields, Tensor[] coefficients, Tensor? constant, Tensor? softmax, Tensor? scale)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(coefficients);
        if (fields.Length == 0 || fields.Length != coefficients.Length)
        {
            throw new ArgumentException($"AffineGradient needs one coefficient per field, at least one ({fields.Length} fields, {coefficients.Length} coefficients).", nameof(coefficients));
        }

        if (CanSweepAffine(fields, coefficients, constant, softmax, scale))
        {
            sweeps++;
            return fields[0].dtype == ScalarType.Float32
                ? AffineGradientKernel.Compute<float>(fields, coefficients, constant, softmax, scale)
                : AffineGradientKernel.Compute<double>(fields, coefficients, constant, softmax, scale);
        }

        var u = fields[0].mul(coefficients[0]);
        try
        {
            using (var one = 1.0.ToScalar())
            {
                for (var k = 1; k < fields.Length; k++)
                {
                    u.addcmul_(fields[k], coefficients[k], one);
                }
            }

            if (constant is not null)
            {
                u.add_(constant);
            }

            if (softmax is not null)
            {
                SoftmaxBackward(u, softmax, inPlace: true); // in place: returns u itself
            }

            return scale is null ? u : u.mul_(scale);
        }
        catch
        {
            u.Dispose(); // a shape ATen rejects must not leak the partial result
            throw;
        }
    }

    /// <summary>The sweep of <see cref="SpatialSums(Tensor[], Tensor?[])"/>, once <see cref="CanSweepSums"/> has said yes.</summary>
    private static Tensor[] SweepSums(Tensor[] factors, Tensor?[] cofactors)
    {
        sweeps++;
        return factors[0].dtype == ScalarType.Float32
            ? SpatialSumsKernel.Sum<float>(factors, cofactors)
            : SpatialSumsKernel.Sum<double>(factors, cofactors);
    }

    private static void CheckPairs(Tensor[] factors, Tensor?[] cofactors)
    {
        ArgumentNullException.ThrowIfNull(factors);
        ArgumentNullException.ThrowIfNull(cofactors);
        if (factors.Length == 0 || factors.Length != cofactors.Length)
        {
            throw new ArgumentException($"SpatialSums needs as many cofactors as factors, at least one ({factors.Length} factors, {cofactors.Length} cofactors).", nameof(cofactors));
        }
    }

    private static bool CanSweepSums(Tensor[] factors, Tensor?[] cofactors)
    {
        var first = factors[0];
        if (SweepsDisabled)
        {
            return false;
        }

        if (first.ndim < 3 || !IsSweepableField(first, first.dtype, first.shape))
        {
            return false;
        }

        for (var k = 0; k < factors.Length; k++)
        {
            if (!IsSweepableField(factors[k], first.dtype, first.shape)
                || (cofactors[k] is { } cofactor && !IsSweepableField(cofactor, first.dtype, first.shape)))
            {
                return false;
            }
        }

        return !WouldRecordGradient(factors) && !WouldRecordGradient(cofactors);
    }

    private static bool CanSweepAffine(Tensor[] fields, Tensor[] coefficients, Tensor? constant, Tensor? softmax, Tensor? scale)
    {
        var first = fields[0];
        if (SweepsDisabled)
        {
            return false;
        }

        var shape = first.shape;
        if (first.ndim < 2 || !IsSweepableField(first, first.dtype, shape)
            || (softmax is not null && !IsSweepableField(softmax, first.dtype, shape))
            || (constant is not null && !IsPlaneValue(constant, first.dtype, shape))
            || (scale is not null && !(IsOnCpuAs(scale, first.dtype) && scale.numel() == 1 && scale.ndim <= shape.Length)))
        {
            return false;
        }

        for (var k = 0; k < fields.Length; k++)
        {
            if (!IsSweepableField(fields[k], first.dtype, shape) || !IsPlaneValue(coefficients[k], first.dtype, shape))
            {
                return false;
            }
        }

        return !WouldRecordGradient(fields) && !WouldRecordGradient(coefficients)
            && !WouldRecordGradient(new[] { constant, softmax, scale });
    }

    /// <summary>A full-shape operand a sweep can read in place: CPU, float or double, contiguous, non-empty, spans of int length.</summary>
    private static bool IsSweepableField(Tensor tensor, ScalarType dtype, long[] shape)
    {
        if (!IsOnCpuAs(tensor, dtype) || (dtype != ScalarType.Float32 && dtype != ScalarType.Float64)
            || !ShapesEqual(tensor.shape, shape) || !tensor.is_contiguous())
        {
            return false;
        }

        var elements = tensor.numel();
        return elements > 0 && elements * (dtype == ScalarType.Float32 ? 4 : 8) <= int.MaxValue;
    }

    private static bool IsOnCpuAs(Tensor tensor, ScalarType dtype) => tensor.device_type == DeviceType.CPU && tensor.dtype == dtype;

    /// <summary>0-dim, or the fields' rank with size 1 or B on axis 0, 1 or C on axis 1 and 1 on every spatial axis.</summary>
    private static bool IsPlaneValue(Tensor value, ScalarType dtype, long[] shape)
    {
        if (!IsOnCpuAs(value, dtype))
        {
            return false;
        }

        var own = value.shape;
        if (own.Length == 0)
        {
            return true;
        }

        if (own.Length != shape.Length || (own[0] != 1 && own[0] != shape[0]) || (own[1] != 1 && own[1] != shape[1]))
        {
            return false;
        }

        for (var d = 2; d < own.Length; d++)
        {
            if (own[d] != 1)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The fallback is differentiable and a sweep is not: leave it to ATen whenever autograd would record.</summary>
    private static bool WouldRecordGradient(Tensor?[] tensors)
    {
        if (!torch.is_grad_enabled())
        {
            return false;
        }

        foreach (var tensor in tensors)
        {
            if (tensor is { requires_grad: true })
            {
                return true;
            }
        }

        return false;
    }
}
