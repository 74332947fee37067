using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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
    /// Writes u at elements position … position + values.Length − 1 of <paramref name="plane"/> into
    /// <paramref name="values"/> and adds p·u into <paramref name="sum"/>, in one pass for up to four fields (the
    /// first half of the softmax backward); more fields take <see cref="Evaluate"/> and a second pass.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public unsafe void EvaluateAndAddProduct(long plane, long position, Span<T> values, ReadOnlySpan<T> p, Span<T> sum)
    {
        var count = fields.Length;
        if (count > 4)
        {
            Evaluate(plane, position, values);
            VectorMath.AddProduct<T>(p, values, sum);
            return;
        }

        var n = values.Length;
        var sources = stackalloc T*[4];
        var factors = stackalloc Vector<T>[4];
        for (var k = 0; k < count; k++)
        {
            sources[k] = (T*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(fields[k].Slice(position, n)));
            factors[k] = new Vector<T>(coefficients[k][plane]);
        }

        ref var u = ref MemoryMarshal.GetReference(values);
        ref var rp = ref MemoryMarshal.GetReference(p);
        ref var rs = ref MemoryMarshal.GetReference(sum);
        var shift = new Vector<T>(shifts[plane]);
        var i = 0;
        for (; i <= n - Vector<T>.Count; i += Vector<T>.Count)
        {
            var value = VectorMath.MulAdd(Vector.Load(sources[0] + i), factors[0], shift);
            for (var k = 1; k < count; k++)
            {
                value = VectorMath.MulAdd(Vector.Load(sources[k] + i), factors[k], value);
            }

            value.StoreUnsafe(ref u, (nuint)i);
            VectorMath.MulAdd(Vector.LoadUnsafe(ref rp, (nuint)i), value, Vector.LoadUnsafe(ref rs, (nuint)i)).StoreUnsafe(ref rs, (nuint)i);
        }

        for (; i < n; i++)
        {
            var value = T.MultiplyAddEstimate(sources[0][i], coefficients[0][plane], shifts[plane]);
            for (var k = 1; k < count; k++)
            {
                value = T.MultiplyAddEstimate(sources[k][i], coefficients[k][plane], value);
            }

            values[i] = value;
            sum[i] = T.MultiplyAddEstimate(p[i], value, sum[i]);
        }
    }

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
