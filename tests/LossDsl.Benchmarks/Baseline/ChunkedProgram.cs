using System;
using System.Numerics;
using System.Numerics.Tensors;
using System.Threading.Tasks;

using LossDsl.Cpu;

namespace LossDsl.Benchmarks.Baseline;

/// <summary>
/// The base of the CPU programs the generator emitted before the fusing compiler (kept for the benchmark baseline). A program runs in passes; each pass streams over the positions in
/// chunks fixed by the shape, evaluates the pass's intermediate values chunk by chunk (in per-thread
/// <see cref="Workspace{T}"/> buffers) and leaves one partial sum per chunk for each reduction over the spatial
/// axes. Partials are combined in chunk order, so the result is the same whatever the number of threads.
/// </summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public abstract unsafe class ChunkedProgram<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly nint[] addresses = new nint[2 * FieldSpans<T>.Capacity];
    private readonly int[] lengths = new int[2 * FieldSpans<T>.Capacity];
    private int fieldCount;

    /// <summary>Prepares a program for fields of shape <paramref name="shape"/>.</summary>
    protected ChunkedProgram(FieldShape shape)
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
        {
            throw new NotSupportedException($"LossDsl CPU losses run in float or double, not {typeof(T).Name}.");
        }

        Shape = shape;
        ChunkLength = ChooseChunkLength(shape);
        ChunkCount = (shape.Positions + ChunkLength - 1) / ChunkLength;
    }

    /// <summary>The shape of every field argument.</summary>
    protected FieldShape Shape { get; }

    /// <summary>Positions per chunk (the last chunk may be shorter).</summary>
    protected int ChunkLength { get; }

    /// <summary>Number of chunks.</summary>
    protected int ChunkCount { get; }

    /// <summary>Pins the fields and gradient destinations, then runs <see cref="Execute"/>.</summary>
    public T Run(scoped ref FieldSpans<T> fields, scoped ref FieldSpans<T> gradients)
    {
        fieldCount = fields.Count;
        return PinAndExecute(ref fields, ref gradients, 0);
    }

    /// <summary>Computes the loss (and the wanted gradients); the fields are readable through <see cref="Field"/>.</summary>
    protected abstract T Execute();

    /// <summary>Evaluates chunk <paramref name="chunk"/> of pass <paramref name="pass"/>.</summary>
    protected abstract void ExecuteChunk(int pass, Chunk chunk, Workspace<T> workspace, T[] partials);

    /// <summary>Field argument number <paramref name="index"/>, in declaration order.</summary>
    protected ReadOnlySpan<T> Field(int index) => new((void*)addresses[index], lengths[index]);

    /// <summary>The destination of the gradient of field <paramref name="index"/> (empty when not wanted).</summary>
    protected Span<T> Gradient(int index) => new((void*)addresses[fieldCount + index], lengths[fieldCount + index]);

    /// <summary>Whether the caller asked for the gradient of field <paramref name="index"/>.</summary>
    protected bool WantsGradient(int index) => lengths[fieldCount + index] > 0;

    /// <summary>
    /// Runs pass <paramref name="pass"/> over every chunk, in parallel for large inputs; returns the partial sums,
    /// <paramref name="partialsPerChunk"/> values per chunk.
    /// </summary>
    protected T[] RunPass(int pass, int partialsPerChunk)
    {
        var partials = new T[ChunkCount * partialsPerChunk];
        var threads = CpuBackend.MaxDegreeOfParallelism;
        if (ChunkCount == 1 || threads == 1 || Shape.Count < CpuBackend.ParallelThreshold)
        {
            var workspace = Workspace<T>.Rent();
            for (var i = 0; i < ChunkCount; i++)
            {
                ExecuteChunk(pass, ChunkAt(i), workspace, partials);
            }

            Workspace<T>.Return(workspace);
            return partials;
        }

        Parallel.For(
            0,
            ChunkCount,
            new ParallelOptions { MaxDegreeOfParallelism = threads },
            Workspace<T>.Rent,
            (i, _, workspace) =>
            {
                ExecuteChunk(pass, ChunkAt(i), workspace, partials);
                return workspace;
            },
            Workspace<T>.Return);
        return partials;
    }

    /// <summary>The slot of chunk <paramref name="chunk"/> for a reduction stored at <paramref name="offset"/> of each chunk's partials.</summary>
    protected static View<T> Partial(T[] partials, Chunk chunk, int partialsPerChunk, int offset, int batches, int classes) =>
        new(partials, (chunk.Index * partialsPerChunk) + offset, batches, classes, 0);

    /// <summary>Adds the per-chunk partials of one reduction, in chunk order, into <paramref name="result"/>.</summary>
    protected void Combine(T[] partials, int partialsPerChunk, int offset, View<T> result)
    {
        var total = result.Span;
        total.Clear();
        for (var i = 0; i < ChunkCount; i++)
        {
            TensorPrimitives.Add(total, partials.AsSpan((i * partialsPerChunk) + offset, total.Length), total);
        }
    }

    /// <summary>The sum over chunks, in chunk order, of a reduction to a single value.</summary>
    protected T CombineScalar(T[] partials, int partialsPerChunk, int offset)
    {
        var total = T.Zero;
        for (var i = 0; i < ChunkCount; i++)
        {
            total += partials[(i * partialsPerChunk) + offset];
        }

        return total;
    }

    /// <summary>The maximum over chunks of a reduction's per-chunk maxima.</summary>
    protected void CombineMax(T[] partials, int partialsPerChunk, int offset, View<T> result)
    {
        var total = result.Span;
        total.Fill(T.NegativeInfinity);
        for (var i = 0; i < ChunkCount; i++)
        {
            TensorPrimitives.Max(total, partials.AsSpan((i * partialsPerChunk) + offset, total.Length), total);
        }
    }

    /// <summary>The maximum over chunks of a reduction to a single value.</summary>
    protected T CombineMaxScalar(T[] partials, int partialsPerChunk, int offset)
    {
        var total = T.NegativeInfinity;
        for (var i = 0; i < ChunkCount; i++)
        {
            total = T.Max(total, partials[(i * partialsPerChunk) + offset]);
        }

        return total;
    }

    /// <summary>A value without spatial axes: <paramref name="batches"/> (or 0) by <paramref name="classes"/> (or 0).</summary>
    protected static View<T> Small(int batches, int classes) =>
        new(new T[Math.Max(batches, 1) * Math.Max(classes, 1)], 0, batches, classes, 0);

    /// <summary>The number of elements along the chosen axes (the divisor of a mean).</summary>
    protected T Extent(bool batch, int classes, bool spatial) =>
        T.CreateChecked((batch ? Shape.Batches : 1L) * Math.Max(classes, 1) * (spatial ? (long)Shape.Positions : 1L));

    private Chunk ChunkAt(int index)
    {
        var start = index * ChunkLength;
        return new Chunk(index, start, Math.Min(ChunkLength, Shape.Positions - start));
    }

    /// <summary>
    /// About 16k elements per intermediate per chunk (in L1/L2 with a few live values), a multiple of 64 positions;
    /// it depends on the shape only, never on the machine, so the summation order is reproducible anywhere.
    /// </summary>
    private static int ChooseChunkLength(FieldShape shape)
    {
        var planes = Math.Max(1, shape.Batches * shape.Classes);
        var length = Math.Clamp(16384 / planes / 64 * 64, 64, 4096);
        return Math.Max(1, Math.Min(length, shape.Positions));
    }

    private T PinAndExecute(scoped ref FieldSpans<T> fields, scoped ref FieldSpans<T> gradients, int index)
    {
        if (index == fields.Count + gradients.Count)
        {
            return Execute();
        }

        var span = index < fields.Count ? fields[index] : gradients[index - fields.Count];
        fixed (T* pointer = span)
        {
            addresses[index] = (nint)pointer;
            lengths[index] = span.Length;
            try
            {
                return PinAndExecute(ref fields, ref gradients, index + 1);
            }
            finally
            {
                addresses[index] = 0;
            }
        }
    }
}
