using System;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;

namespace LossDsl.Cpu;

/// <summary>
/// The base of every generated CPU program. A program runs in passes; each pass is one generated loop over the
/// positions of every field, split into work items (runs of positions, the same for every batch item and class)
/// that are fixed by the shape alone. Each item leaves its share of every reduction in its own slots of a partials
/// array; the shares are combined in item order, so the result is the same whatever the number of threads.
/// </summary>
/// <typeparam name="T">The element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public abstract unsafe class FusedProgram<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly nint[] addresses = new nint[2 * FieldSpans<T>.Capacity];
    private readonly int[] lengths = new int[2 * FieldSpans<T>.Capacity];
    private readonly System.Collections.Generic.List<(T[] Array, System.Runtime.InteropServices.GCHandle Handle)> kept = new();
    private int fieldCount;

    /// <summary>Prepares a program for fields of shape <paramref name="shape"/>.</summary>
    /// <param name="shape">The fields' shape.</param>
    /// <param name="batchesTogether">
    /// Whether a work item must cover every batch item of its positions, in order: where a pass keeps a sum or
    /// maximum over the batch per position (<c>AddInto</c>, <c>MaxInto</c>). Otherwise a work item is one batch item's
    /// run of positions, so that each row of a class plane is read in long runs.
    /// </param>
    protected FusedProgram(FieldShape shape, bool batchesTogether = false)
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
        {
            throw new NotSupportedException($"LossDsl CPU losses run in float or double, not {typeof(T).Name}.");
        }

        Shape = shape;
        partition = new WorkPartition(shape, batchesTogether);
    }

    private readonly WorkPartition partition;

    /// <summary>The shape of every field argument.</summary>
    protected FieldShape Shape { get; }

    /// <summary>Positions per work item (the last run of a row may be shorter).</summary>
    protected int ItemLength => partition.ItemLength;

    /// <summary>Number of work items.</summary>
    protected int ItemCount => partition.ItemCount;

    /// <summary>Pins the fields and gradient destinations, then runs <see cref="Execute"/>.</summary>
    public T Run(scoped ref FieldSpans<T> fields, scoped ref FieldSpans<T> gradients)
    {
        fieldCount = fields.Count;
        try
        {
            return PinAndExecute(ref fields, ref gradients, 0);
        }
        finally
        {
            foreach (var (array, handle) in kept)
            {
                handle.Free();
                System.Buffers.ArrayPool<T>.Shared.Return(array);
            }

            kept.Clear();
        }
    }

    /// <summary>Computes the loss (and the wanted gradients).</summary>
    protected abstract T Execute();

    /// <summary>The first element of field number <paramref name="index"/> (declaration order), read in place.</summary>
    protected ref T Field(int index) => ref Unsafe.AsRef<T>((void*)addresses[index]);

    /// <summary>The first element of the gradient destination of field <paramref name="index"/>.</summary>
    protected ref T Gradient(int index) => ref Unsafe.AsRef<T>((void*)addresses[fieldCount + index]);

    /// <summary>Whether the caller asked for the gradient of field <paramref name="index"/>.</summary>
    protected bool WantsGradient(int index) => lengths[fieldCount + index] > 0;

    /// <summary>Index of position <paramref name="position"/> of plane (<paramref name="b"/>, <paramref name="c"/>) of a field.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected int At(int b, int c, int position) => (((b * Shape.Classes) + c) * Shape.Positions) + position;

    /// <summary>
    /// The positions of work item <paramref name="item"/> (its first, and one past its last) and its batch items (the
    /// first, and one past the last): items run batch item by batch item, each over runs of positions.
    /// </summary>
    protected (int Start, int End, int FirstBatch, int EndBatch) ItemRange(int item) => partition.Range(item);

    /// <summary>
    /// Runs <paramref name="pass"/> (one work item: its index and the partials) over every work item, in parallel for
    /// large inputs; returns the partials, <paramref name="partialsPerItem"/> values per item.
    /// </summary>
    protected T[] RunPass(Action<int, T[]> pass, int partialsPerItem)
    {
        var partials = new T[Math.Max(1, ItemCount * partialsPerItem)];
        var threads = CpuBackend.ThreadsOfThisCall;
        if (ItemCount == 1 || threads == 1 || Shape.Count < CpuBackend.ParallelThreshold)
        {
            for (var item = 0; item < ItemCount; item++)
            {
                RunItemWithFreshSlots(pass, item, partials);
            }

            return partials;
        }

        Parallel.For(0, ItemCount, new ParallelOptions { MaxDegreeOfParallelism = threads }, item => RunItemWithFreshSlots(pass, item, partials));
        return partials;
    }

    /// <summary>
    /// Batch items per work item (every one, or one): a reduction kept per batch item leaves this many rows of
    /// partials per item, those of the item's own batch items (the generated code sizes the partials with it).
    /// </summary>
    protected int BatchesPerItem => partition.BatchesPerItem;

    /// <summary>
    /// <see cref="RunPass(Action{int, T[]}, int)"/> with the pass compiled for this call's rows: <paramref name="full"/>
    /// where every row of positions is a whole number of vectors, <paramref name="partial"/> otherwise
    /// (<see cref="IVectorTail"/>).
    /// </summary>
    protected T[] RunPass(Action<int, T[]> full, Action<int, T[]> partial, int partialsPerItem) =>
        RunPass(Shape.Positions % Vector<T>.Count == 0 ? full : partial, partialsPerItem);

    /// <summary>Adds the per-item partials of one reduction, in item order, into (and returns) <paramref name="result"/>.</summary>
    protected View<T> Combine(T[] partials, int partialsPerItem, int offset, View<T> result)
    {
        var total = result.Span;
        total.Clear();
        for (var i = 0; i < ItemCount; i++)
        {
            var into = ItemRows(total, result, i);
            TensorPrimitives.Add(into, partials.AsSpan((i * partialsPerItem) + offset, into.Length), into);
        }

        return result;
    }

    /// <summary>The part of a combined reduction that item <paramref name="item"/>'s partials cover: its batch items' rows, or all of it.</summary>
    private Span<T> ItemRows(Span<T> total, View<T> result, int item)
    {
        if (!result.HasBatch)
        {
            return total;
        }

        var (_, _, firstBatch, endBatch) = ItemRange(item);
        return total.Slice(firstBatch * result.BatchStride, (endBatch - firstBatch) * result.BatchStride);
    }

    /// <summary>The sum over items, in item order, of a reduction to a single value.</summary>
    protected T CombineScalar(T[] partials, int partialsPerItem, int offset)
    {
        var total = T.Zero;
        for (var i = 0; i < ItemCount; i++)
        {
            total += partials[(i * partialsPerItem) + offset];
        }

        return total;
    }

    /// <summary>The maximum over items of a reduction's per-item maxima, into (and returned as) <paramref name="result"/>.</summary>
    protected View<T> CombineMax(T[] partials, int partialsPerItem, int offset, View<T> result)
    {
        var total = result.Span;
        total.Fill(T.NegativeInfinity);
        for (var i = 0; i < ItemCount; i++)
        {
            var into = ItemRows(total, result, i);
            TensorPrimitives.Max(into, partials.AsSpan((i * partialsPerItem) + offset, into.Length), into);
        }

        return result;
    }

    /// <summary>The maximum over items of a reduction to a single value.</summary>
    protected T CombineMaxScalar(T[] partials, int partialsPerItem, int offset)
    {
        var total = T.NegativeInfinity;
        for (var i = 0; i < ItemCount; i++)
        {
            total = T.Max(total, partials[(i * partialsPerItem) + offset]);
        }

        return total;
    }

    /// <summary>A value without spatial axes: <paramref name="batches"/> (or 0) by <paramref name="classes"/> (or 0).</summary>
    protected static View<T> Small(int batches, int classes) =>
        new(new T[Math.Max(batches, 1) * Math.Max(classes, 1)], 0, batches, classes, 0);

    /// <summary>
    /// A value with positions but no batch axis (a sum or maximum over the batch), kept whole between two passes:
    /// <paramref name="classes"/> rows (1 when it has no class axis) of every position. Pinned, as the fields are:
    /// the partial last vector of a row is read and written through its address.
    /// </summary>
    protected T[] PerPosition(int classes) => Keep(0, classes);

    /// <summary>
    /// A value kept whole between passes (a reduction over the batch, or a value a later pass would otherwise
    /// recompute at a high cost): <paramref name="batches"/> (or 0) by <paramref name="classes"/> (or 0) rows of every
    /// position. Pooled and pinned for the call (the partial last vector of a row is read and written through its
    /// address), returned when the call ends.
    /// </summary>
    protected T[] Keep(int batches, int classes)
    {
        var array = System.Buffers.ArrayPool<T>.Shared.Rent(Math.Max(batches, 1) * Math.Max(classes, 1) * Shape.Positions);
        kept.Add((array, System.Runtime.InteropServices.GCHandle.Alloc(array, System.Runtime.InteropServices.GCHandleType.Pinned)));
        return array;
    }

    /// <summary>
    /// The first element of a value kept whole (<see cref="Keep"/>, <see cref="PerPosition"/>), once checked to hold
    /// <paramref name="batches"/> (or 1) by <paramref name="classes"/> (or 1) rows of every position: a pass then
    /// reads and writes it like a field, at row offsets computed once per row rather than per vector.
    /// </summary>
    /// <exception cref="InvalidOperationException">The array is shorter (a value not kept for this call).</exception>
    protected ref T Kept(T[] values, int batches, int classes)
    {
        if (values.Length < (long)Math.Max(batches, 1) * Math.Max(classes, 1) * Shape.Positions)
        {
            throw new InvalidOperationException($"a value kept whole has {values.Length} elements, fewer than its rows of {Shape.Positions} positions");
        }

        return ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(values);
    }

    /// <summary>The number of elements along the chosen axes (the divisor of a mean).</summary>
    protected T Extent(bool batch, int classes, bool spatial) =>
        T.CreateChecked((batch ? Shape.Batches : 1L) * Math.Max(classes, 1) * (spatial ? (long)Shape.Positions : 1L));

    // The vector vocabulary of the generated passes (see Lanes<T>), inherited so that the generated code reads
    // like the formula: Exp(x), Load(ref probs, At(b, c, p), lanes).

    /// <summary>Positions per vector.</summary>
    protected static int Width => Vector<T>.Count;

    /// <summary>
    /// Vectors per tile: a pass body runs block by block over a tile of positions (each block an inner loop over the
    /// tile's vectors), so the loops stay short and simple while what one block hands to the next stays in L1.
    /// </summary>
    protected const int TileVectors = 64;

    /// <summary>Positions per tile.</summary>
    protected static int TileLength => TileVectors * Vector<T>.Count;

    /// <summary>The vectors of the tile at <paramref name="tile"/> in a work item ending at <paramref name="end"/>.</summary>
    protected static int VectorsIn(int tile, int end) => (Math.Min(end - tile, TileLength) + Vector<T>.Count - 1) / Vector<T>.Count;

    /// <summary>
    /// Slot (<paramref name="c"/>, <paramref name="v"/>) of per-class tile slots (<see cref="TileSlots"/>), by
    /// reference (unchecked, as <see cref="Slots{T}"/> says why).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static ref Vector<T> Slot(Slots<T> slots, int c, int v) => ref slots[(c * TileVectors) + v];

    /// <summary>Per-class slots of an accumulator over the positions (one vector per class), zeroed.</summary>
    protected static Slots<T> ClassSlots(int classes) => new(SlotArena<T>.Rent(Math.Max(classes, 1)));

    /// <summary>A value of the current tile, per vector (and per class: <paramref name="classes"/> rows of <see cref="TileVectors"/>), zeroed.</summary>
    protected static Slots<T> TileSlots(int classes) => new(SlotArena<T>.Rent(Math.Max(classes, 1) * TileVectors));

    private static void RunItemWithFreshSlots(Action<int, T[]> pass, int item, T[] partials)
    {
        SlotArena<T>.Reset();
        pass(item, partials);
    }

    /// <summary>See <see cref="Lanes{T}.Load(ref T, int, int)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static Vector<T> Load(ref T origin, int index, int count) => Lanes<T>.Load(ref origin, index, count);

    /// <summary>See <see cref="Lanes{T}.Store(Vector{T}, ref T, int, int)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static void Store(Vector<T> value, ref T origin, int index, int count) => Lanes<T>.Store(value, ref origin, index, count);

    /// <summary>See <see cref="Lanes{T}.AddInto"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static void AddInto(Vector<T> value, ref T origin, int index, int count, bool first) => Lanes<T>.AddInto(value, ref origin, index, count, first);

    /// <summary>See <see cref="Lanes{T}.MaxInto"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static void MaxInto(Vector<T> value, ref T origin, int index, int count, bool first) => Lanes<T>.MaxInto(value, ref origin, index, count, first);

    /// <summary>See <see cref="Lanes{T}.ForSum"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static Vector<T> ForSum(Vector<T> value, int count) => Lanes<T>.ForSum(value, count);

    /// <summary>See <see cref="Lanes{T}.ForMax"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static Vector<T> ForMax(Vector<T> value, int count) => Lanes<T>.ForMax(value, count);

    /// <summary>The sum of the lanes.</summary>
    protected static T SumLanes(Vector<T> value) => Lanes<T>.Sum(value);

    /// <summary>The largest lane.</summary>
    protected static T MaxLanes(Vector<T> value) => Lanes<T>.Max(value);

    /// <summary>Each per-class accumulator's lanes, summed, into <paramref name="partials"/> from <paramref name="index"/> on.</summary>
    protected static void SumLanes(ReadOnlySpan<Vector<T>> accumulators, T[] partials, int index)
    {
        for (var c = 0; c < accumulators.Length; c++)
        {
            partials[index + c] = Lanes<T>.Sum(accumulators[c]);
        }
    }

    /// <summary>Each per-class accumulator's largest lane into <paramref name="partials"/> from <paramref name="index"/> on.</summary>
    protected static void MaxLanes(ReadOnlySpan<Vector<T>> accumulators, T[] partials, int index)
    {
        for (var c = 0; c < accumulators.Length; c++)
        {
            partials[index + c] = Lanes<T>.Max(accumulators[c]);
        }
    }

    /// <summary>A value without positions in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static Vector<T> Broadcast(T value) => new(value);

    /// <summary>eˣ.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static Vector<T> Exp(Vector<T> x) => Lanes<T>.Exp(x);

    /// <summary>ln x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static Vector<T> Log(Vector<T> x) => Lanes<T>.Log(x);

    /// <summary>√x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static Vector<T> Sqrt(Vector<T> x) => Vector.SquareRoot(x);

    /// <summary>|x|.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static Vector<T> Abs(Vector<T> x) => Vector.Abs(x);

    /// <summary>min(a, b), NaN-propagating, −0 &lt; +0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static Vector<T> Min(Vector<T> a, Vector<T> b) => Vector.Min(a, b);

    /// <summary>max(a, b), NaN-propagating, −0 &lt; +0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static Vector<T> Max(Vector<T> a, Vector<T> b) => Vector.Max(a, b);

    /// <summary>1/(1 + e⁻ˣ).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static Vector<T> Sigmoid(Vector<T> x) => Lanes<T>.Sigmoid(x);

    /// <summary>aᵇ.</summary>
    protected static Vector<T> Pow(Vector<T> a, Vector<T> b) => Lanes<T>.Pow(a, b);

    /// <summary>sign(x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static Vector<T> Sign(Vector<T> x) => Lanes<T>.Sign(x);

    /// <summary>1 where x &gt; 0, else 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static Vector<T> Step(Vector<T> x) => Lanes<T>.Step(x);

    /// <summary>1 where a ≥ b, else 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static Vector<T> GreaterOrEqual(Vector<T> a, Vector<T> b) => Lanes<T>.GreaterOrEqual(a, b);

    /// <summary>Zeroes the gradient of field <paramref name="index"/> when it is wanted (a loss that does not depend on the field).</summary>
    protected void ClearGradient(int index)
    {
        if (WantsGradient(index))
        {
            System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref Gradient(index), lengths[fieldCount + index]).Clear();
        }
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
