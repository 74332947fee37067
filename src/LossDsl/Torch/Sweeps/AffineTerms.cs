using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace LossDsl.Torch.Sweeps;

/// <summary>
/// The affine combination u = Σ_k fields[k]·coefficients[k] + constant with its per-(b, c) numbers already read, and
/// the output it is written to: what every work item of an <see cref="AffineGradientKernel"/> sweep shares.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal sealed class AffineTerms<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly CpuTensorView<T>[] fields;
    private readonly T[][] coefficients;
    private readonly T[] shifts;

    /// <summary>The terms of u.</summary>
    /// <param name="fields">Full-shape fields (B, C, *S), contiguous.</param>
    /// <param name="coefficients">Per field, one number per plane b·C + c.</param>
    /// <param name="shifts">The constant, one number per plane.</param>
    /// <param name="output">Where u (and what is made of it) goes, full shape.</param>
    /// <param name="classes">C.</param>
    /// <param name="size">Elements per plane: the product of the spatial extents (1 without spatial axes).</param>
    public AffineTerms(CpuTensorView<T>[] fields, T[][] coefficients, T[] shifts, CpuTensorView<T> output, long classes, long size)
    {
        this.fields = fields;
        this.coefficients = coefficients;
        this.shifts = shifts;
        Output = output;
        Classes = classes;
        Size = size;
    }

    /// <summary>The output tensor's elements.</summary>
    public CpuTensorView<T> Output { get; }

    /// <summary>C.</summary>
    public long Classes { get; }

    /// <summary>Elements per (b, c) plane.</summary>
    public long Size { get; }

    /// <summary>
    /// Writes u at elements position … position + values.Length − 1 (all inside <paramref name="plane"/>) into
    /// <paramref name="values"/>: the first field with the constant, then one in-cache pass per further field.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Evaluate(long plane, long position, Span<T> values)
    {
        VectorMath.ScaleShift<T>(fields[0].Slice(position, values.Length), coefficients[0][plane], shifts[plane], values);
        for (var k = 1; k < fields.Length; k++)
        {
            VectorMath.AddScaled<T>(fields[k].Slice(position, values.Length), coefficients[k][plane], values);
        }
    }
}
