using System;
using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using TorchSharp;
using static TorchSharp.torch;

namespace LossDsl.Torch.Sweeps;

/// <summary>
/// u = Σ_k fields[k]·coefficients[k] + constant, optionally through the softmax backward, times a scale, in one sweep
/// that reads each field (and the softmax) once and writes the result; the softmax case goes over each run of the
/// output and the softmax a second time once Σ_c p·u is known. See <see cref="FusedOps.AffineGradient"/> for the
/// conditions.
/// </summary>
internal static class AffineGradientKernel
{
    /// <summary>Elements per block of the plain case: the output block stays in L1 across the K field passes.</summary>
    private const int Block = 1024;

    /// <summary>Elements per work item of the plain case.</summary>
    private const int Chunk = 16 * Block;

    /// <summary>
    /// Most positions per softmax work item. Long runs along each class plane let the hardware prefetchers follow the
    /// streams; runs short enough to keep all C planes of the output and the softmax in L2 for the second pass
    /// measured 1.5–2× slower on (8, 4, 256, 256) float (2048 positions), the second pass being the smaller part.
    /// </summary>
    private const int SoftmaxBlock = 16 * Block;

    /// <summary>The result, a new tensor of the fields' shape; every full-shape tensor is contiguous of dtype T.</summary>
    public static Tensor Compute<T>(Tensor[] fields, Tensor[] coefficients, Tensor? constant, Tensor? softmax, Tensor? scale)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var shape = fields[0].shape;
        long batch = shape[0], classes = shape[1], elements = fields[0].numel();
        var size = elements / (batch * classes);
        var factors = new T[fields.Length][];
        var views = new CpuTensorView<T>[fields.Length];
        for (var k = 0; k < fields.Length; k++)
        {
            factors[k] = PlaneCoefficients.Read<T>(coefficients[k], batch, classes, shape.Length);
            views[k] = CpuTensorView<T>.Of(fields[k]);
        }

        var shifts = PlaneCoefficients.Read<T>(constant, batch, classes, shape.Length);
        var result = torch.empty(shape, fields[0].dtype, torch.CPU);
        var terms = new AffineTerms<T>(views, factors, shifts, CpuTensorView<T>.Of(result), classes, size);
        var read = elements * (fields.Length + (softmax is null ? 1 : 2));
        if (softmax is null)
        {
            // A missing scale skips the multiplication rather than multiplying by 1: the same numbers, one pass less.
            T? factor = scale is null ? null : T.CreateTruncating(scale.ToDouble());
            var items = checked((int)((elements + Chunk - 1) / Chunk));
            SweepParallel.For(items, read, item =>
            {
                var start = item * (long)Chunk;
                Plain(terms, start, (int)Math.Min(Chunk, elements - start), factor);
            });
        }
        else
        {
            var factor = scale is null ? T.One : T.CreateTruncating(scale.ToDouble());
            var probabilities = CpuTensorView<T>.Of(softmax);
            var block = (int)Math.Min(SoftmaxBlock, size);
            var blocks = (int)((size + block - 1) / block);
            SweepParallel.For(checked((int)(batch * blocks)), read, item =>
            {
                var start = (long)(item % blocks) * block;
                Softmax(terms, probabilities, item / blocks, start, (int)Math.Min(block, size - start), factor);
            });
        }

        return result;
    }

    /// <summary>u·scale over elements start … start + length − 1 of the flattened tensor, plane by plane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Plain<T>(AffineTerms<T> terms, long start, int length, T? factor)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var end = start + length;
        for (var position = start; position < end;)
        {
            var plane = position / terms.Size;
            var segmentEnd = Math.Min(end, (plane + 1) * terms.Size);
            for (; position < segmentEnd; position += Block)
            {
                var values = terms.Output.Slice(position, (int)Math.Min(Block, segmentEnd - position));
                terms.Evaluate(plane, position, values);
                if (factor is { } f)
                {
                    VectorMath.Scale(values, f);
                }
            }

            position = segmentEnd;
        }
    }

    /// <summary>
    /// The softmax backward over positions start … start + length − 1 of batch <paramref name="b"/>. First pass, class
    /// by class in L1-sized pieces: u goes straight to the output and p·u into Σ. Second pass: the output becomes
    /// p·(u − Σ)·scale.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Softmax<T>(AffineTerms<T> terms, CpuTensorView<T> probabilities, long b, long start, int length, T factor)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rented = ArrayPool<T>.Shared.Rent(length);
        var sum = rented.AsSpan(0, length);
        sum.Clear();
        for (var c = 0L; c < terms.Classes; c++)
        {
            var plane = (b * terms.Classes) + c;
            var first = (plane * terms.Size) + start;
            for (var offset = 0; offset < length; offset += Block)
            {
                var count = Math.Min(Block, length - offset);
                var values = terms.Output.Slice(first + offset, count);
                terms.EvaluateAndAddProduct(plane, first + offset, values, probabilities.Slice(first + offset, count), sum.Slice(offset, count));
            }
        }

        for (var c = 0L; c < terms.Classes; c++)
        {
            var first = (((b * terms.Classes) + c) * terms.Size) + start;
            VectorMath.SoftmaxBackward<T>(probabilities.Slice(first, length), sum, factor, terms.Output.Slice(first, length));
        }

        ArrayPool<T>.Shared.Return(rented);
    }
}
