using System;
using System.Collections.Generic;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace LossDsl.Torch.Sweeps;

/// <summary>
/// Σ over the spatial axes of several products (or single tensors) in one sweep: each (b, c) plane is cut into
/// blocks small enough for L1, and every sum touching a block is taken while it is there, so each distinct tensor
/// is read from memory once. See <see cref="FusedOps.SpatialSums(TorchSharp.torch.Tensor[], TorchSharp.torch.Tensor?[])"/> for the conditions.
/// </summary>
internal static class SpatialSumsKernel
{
    /// <summary>
    /// Elements per block: four tensors of a block fit L1, and each vector lane adds at most Block / (4·lanes) terms
    /// in T (32 in float) before the block's partial goes to double, which keeps float sums within ~1e-6 of ATen's.
    /// </summary>
    private const int Block = 1024;

    /// <summary>Elements per work item. Fixed, not derived from the thread count: partials combine in the same order.</summary>
    private const int Chunk = 64 * Block;

    /// <summary>The sums, one keep-dim tensor (B, C, 1, …, 1) per pair; every tensor has the same shape, dtype T.</summary>
    public static Tensor[] Sum<T>(Tensor[] factors, Tensor?[] cofactors)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var shape = factors[0].shape;
        var planes = shape[0] * shape[1];
        var elements = factors[0].numel();
        var size = elements / planes;

        // The same tensor often appears in several pairs (a softmax with each target and alone): one view each.
        var distinct = new List<Tensor>();
        var left = new int[factors.Length];
        var right = new int[factors.Length];
        for (var k = 0; k < factors.Length; k++)
        {
            left[k] = IndexOf(distinct, factors[k]);
            right[k] = cofactors[k] is { } cofactor ? IndexOf(distinct, cofactor) : -1;
        }

        var views = distinct.ConvertAll(CpuTensorView<T>.Of).ToArray();
        var pairs = factors.Length;
        var chunks = (int)((size + Chunk - 1) / Chunk);
        var items = checked((int)(planes * chunks));
        var partials = new double[items * pairs];
        SweepParallel.For(items, elements * distinct.Count, item =>
        {
            var start = (item / chunks * size) + ((long)(item % chunks) * Chunk);
            var length = (int)Math.Min(Chunk, size - ((long)(item % chunks) * Chunk));
            SumChunk(views, left, right, start, length, partials.AsSpan(item * pairs, pairs));
        });

        return Combine<T>(partials, shape, factors[0].dtype, chunks, pairs);
    }

    /// <summary>
    /// The result tensors from the work items' partials: entry ((plane·chunks) + chunk)·pairs + k holds chunk's share
    /// of sum k on plane b·C + c; added in chunk order, so the result does not depend on the threads.
    /// </summary>
    internal static Tensor[] Combine<T>(double[] partials, long[] shape, ScalarType dtype, int chunks, int pairs)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var planes = shape[0] * shape[1];
        var keep = (long[])shape.Clone();
        for (var d = 2; d < keep.Length; d++)
        {
            keep[d] = 1;
        }

        var results = new Tensor[pairs];
        for (var k = 0; k < pairs; k++)
        {
            results[k] = torch.empty(keep, dtype, torch.CPU);
            var sums = CpuTensorView<T>.Of(results[k]).Slice(0, (int)planes);
            for (var plane = 0; plane < planes; plane++)
            {
                double total = 0;
                for (var chunk = 0; chunk < chunks; chunk++)
                {
                    total += partials[(((plane * chunks) + chunk) * pairs) + k];
                }

                sums[plane] = T.CreateTruncating(total);
            }
        }

        return results;
    }

    internal static int IndexOf(List<Tensor> distinct, Tensor tensor)
    {
        var index = distinct.FindIndex(t => ReferenceEquals(t, tensor));
        if (index < 0)
        {
            distinct.Add(tensor);
            index = distinct.Count - 1;
        }

        return index;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SumChunk<T>(CpuTensorView<T>[] views, int[] left, int[] right, long start, int length, Span<double> partials)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var offset = 0; offset < length; offset += Block)
        {
            var count = Math.Min(Block, length - offset);
            for (var k = 0; k < partials.Length; k++)
            {
                var a = views[left[k]].Slice(start + offset, count);
                partials[k] += right[k] < 0 ? BlockSum<T>(a) : BlockDot<T>(a, views[right[k]].Slice(start + offset, count));
            }
        }
    }

    /// <summary>Σ a·b over one block: four accumulators in T (independent FMA chains), the lanes added in double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double BlockDot<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref var ra = ref MemoryMarshal.GetReference(a);
        ref var rb = ref MemoryMarshal.GetReference(b);
        var width = Vector<T>.Count;
        var n = a.Length;
        Vector<T> s0 = Vector<T>.Zero, s1 = Vector<T>.Zero, s2 = Vector<T>.Zero, s3 = Vector<T>.Zero;
        var i = 0;
        for (; i <= n - (4 * width); i += 4 * width)
        {
            s0 = VectorMath.MulAdd(Vector.LoadUnsafe(ref ra, (nuint)i), Vector.LoadUnsafe(ref rb, (nuint)i), s0);
            s1 = VectorMath.MulAdd(Vector.LoadUnsafe(ref ra, (nuint)(i + width)), Vector.LoadUnsafe(ref rb, (nuint)(i + width)), s1);
            s2 = VectorMath.MulAdd(Vector.LoadUnsafe(ref ra, (nuint)(i + (2 * width))), Vector.LoadUnsafe(ref rb, (nuint)(i + (2 * width))), s2);
            s3 = VectorMath.MulAdd(Vector.LoadUnsafe(ref ra, (nuint)(i + (3 * width))), Vector.LoadUnsafe(ref rb, (nuint)(i + (3 * width))), s3);
        }

        for (; i <= n - width; i += width)
        {
            s0 = VectorMath.MulAdd(Vector.LoadUnsafe(ref ra, (nuint)i), Vector.LoadUnsafe(ref rb, (nuint)i), s0);
        }

        var total = Lanes((s0 + s1) + (s2 + s3));
        for (; i < n; i++)
        {
            total += double.CreateTruncating(a[i]) * double.CreateTruncating(b[i]);
        }

        return total;
    }

    /// <summary>Σ a over one block, accumulated like <see cref="BlockDot{T}"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double BlockSum<T>(ReadOnlySpan<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref var ra = ref MemoryMarshal.GetReference(a);
        var width = Vector<T>.Count;
        var n = a.Length;
        Vector<T> s0 = Vector<T>.Zero, s1 = Vector<T>.Zero, s2 = Vector<T>.Zero, s3 = Vector<T>.Zero;
        var i = 0;
        for (; i <= n - (4 * width); i += 4 * width)
        {
            s0 += Vector.LoadUnsafe(ref ra, (nuint)i);
            s1 += Vector.LoadUnsafe(ref ra, (nuint)(i + width));
            s2 += Vector.LoadUnsafe(ref ra, (nuint)(i + (2 * width)));
            s3 += Vector.LoadUnsafe(ref ra, (nuint)(i + (3 * width)));
        }

        for (; i <= n - width; i += width)
        {
            s0 += Vector.LoadUnsafe(ref ra, (nuint)i);
        }

        var total = Lanes((s0 + s1) + (s2 + s3));
        for (; i < n; i++)
        {
            total += double.CreateTruncating(a[i]);
        }

        return total;
    }

    private static double Lanes<T>(Vector<T> sum)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double total = 0;
        for (var lane = 0; lane < Vector<T>.Count; lane++)
        {
            total += double.CreateTruncating(sum[lane]);
        }

        return total;
    }
}
