using System;
using System.Buffers;
using System.Collections.Generic;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LossDsl.Cpu;
using static TorchSharp.torch;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace LossDsl.Torch.Sweeps;

/// <summary>
/// softmax_c(logits) and the spatial sums that read it in one sweep: each tile of positions of one batch item gets
/// its softmax (every class) written, and its sums taken while the tile is still in cache, so the softmax is never
/// read back from memory. Tiles are long runs of each class plane (16K positions): the class planes lie |Ω| elements
/// apart, and short blocks across them defeat the hardware prefetchers (measured slower here). See
/// <see cref="FusedOps.SpatialSums(Tensor[], Tensor?[], Tensor, Tensor)"/> for the conditions.
/// </summary>
internal static class SoftmaxSumsKernel
{
    /// <summary>Positions per tile (and per work item).</summary>
    private const int Tile = 16 * 1024;

    /// <summary>Elements per partial sum: each lane adds a few dozen terms in T before they go to double.</summary>
    private const int Block = 1024;

    /// <summary>Writes softmax_c(logits) into <paramref name="softmax"/> and returns the sums (as <see cref="SpatialSumsKernel"/>).</summary>
    public static Tensor[] Sum<T>(Tensor[] factors, Tensor?[] cofactors, Tensor logits, Tensor softmax)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var shape = factors[0].shape;
        long batch = shape[0], classes = shape[1];
        var size = factors[0].numel() / (batch * classes);
        var distinct = new List<Tensor>();
        var left = new int[factors.Length];
        var right = new int[factors.Length];
        for (var k = 0; k < factors.Length; k++)
        {
            left[k] = SpatialSumsKernel.IndexOf(distinct, factors[k]);
            right[k] = cofactors[k] is { } cofactor ? SpatialSumsKernel.IndexOf(distinct, cofactor) : -1;
        }

        var tiles = (int)((size + Tile - 1) / Tile);
        var plan = new Plan<T>(distinct.ConvertAll(CpuTensorView<T>.Of).ToArray(), left, right, CpuTensorView<T>.Of(logits),
            CpuTensorView<T>.Of(softmax), classes, size, tiles, new double[checked((int)(batch * classes * tiles * factors.Length))]);
        SweepParallel.For(checked((int)(batch * tiles)), factors[0].numel() * (distinct.Count + 1), item =>
        {
            var start = (long)(item % tiles) * Tile;
            SumTile(plan, item / tiles, item % tiles, start, (int)Math.Min(Tile, size - start));
        });

        return SpatialSumsKernel.Combine<T>(plan.Partials, shape, factors[0].dtype, tiles, factors.Length);
    }

    /// <summary>Positions start … start + length − 1 of batch item b: the softmax, then each class row's sums.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SumTile<T>(Plan<T> plan, long b, int tile, long start, int length)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rented = ArrayPool<T>.Shared.Rent(2 * length);
        Softmax(plan, b, start, rented.AsSpan(0, length), rented.AsSpan(length, length));
        ArrayPool<T>.Shared.Return(rented);
        var pairs = plan.Left.Length;
        for (var c = 0L; c < plan.Classes; c++)
        {
            var plane = (b * plan.Classes) + c;
            var at = ((plane * plan.Tiles) + tile) * pairs;
            for (var offset = 0; offset < length; offset += Block)
            {
                var first = (plane * plan.Size) + start + offset;
                var count = Math.Min(Block, length - offset);
                for (var k = 0; k < pairs; k++)
                {
                    var a = plan.Views[plan.Left[k]].Slice(first, count);
                    plan.Partials[at + k] += plan.Right[k] < 0
                        ? SpatialSumsKernel.BlockSum<T>(a)
                        : SpatialSumsKernel.BlockDot<T>(a, plan.Views[plan.Right[k]].Slice(first, count));
                }
            }
        }
    }

    /// <summary>
    /// softmax_c at the tile's positions, row by row: the maximum over the classes is subtracted first (as in ATen).
    /// The maximum need not propagate NaN: a NaN logit makes its exponential, the column's total and so every softmax
    /// value of the column NaN, as in ATen.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Softmax<T>(Plan<T> plan, long b, long position, Span<T> max, Span<T> total)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var count = max.Length;
        long Row(long c) => (((b * plan.Classes) + c) * plan.Size) + position;
        VectorMath.MaxOverRows<T>(plan.Input.Slice(Row(0), (int)(((plan.Classes - 1) * plan.Size) + count)), plan.Size, (int)plan.Classes, max);

        total.Clear();
        for (var c = 0L; c < plan.Classes; c++)
        {
            var row = plan.Output.Slice(Row(c), count);
            if (typeof(T) == typeof(float))
            {
                // One pass for e = exp(x − max) and total += e (three otherwise).
                FastExp.ApplyShiftedAndAccumulate(MemoryMarshal.Cast<T, float>(plan.Input.Slice(Row(c), count)), MemoryMarshal.Cast<T, float>(max),
                    MemoryMarshal.Cast<T, float>(row), MemoryMarshal.Cast<T, float>(total));
                continue;
            }

            VectorMath.Subtract<T>(plan.Input.Slice(Row(c), count), max, row);
            TensorPrimitives.Exp<T>(row, row);
            VectorMath.Add<T>(row, total);
        }

        VectorMath.Reciprocal(total);
        for (var c = 0L; c < plan.Classes; c++)
        {
            VectorMath.Multiply<T>(plan.Output.Slice(Row(c), count), total);
        }
    }

    /// <summary>What every work item of one sweep shares.</summary>
    private sealed record Plan<T>(CpuTensorView<T>[] Views, int[] Left, int[] Right, CpuTensorView<T> Input, CpuTensorView<T> Output,
        long Classes, long Size, int Tiles, double[] Partials)
        where T : unmanaged;
}
