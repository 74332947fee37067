using System;

namespace LossDsl.Cpu;

/// <summary>
/// How a generated program splits the positions of every pass into work items: runs of positions of one batch item
/// each, or — where a pass keeps a sum or maximum over the batch per position, which must go through the batch items in
/// order — runs of every batch item together. It depends on the shape alone, never on the machine or the thread count,
/// so the order of every sum is reproducible anywhere.
/// </summary>
internal readonly struct WorkPartition
{
    private readonly FieldShape shape;
    private readonly int runsPerBatch;

    public WorkPartition(FieldShape shape, bool batchesTogether)
    {
        this.shape = shape;
        BatchesPerItem = batchesTogether ? Math.Max(1, shape.Batches) : 1;
        ItemLength = ChooseItemLength(shape, BatchesPerItem);
        runsPerBatch = (shape.Positions + ItemLength - 1) / ItemLength;
        ItemCount = runsPerBatch * (batchesTogether ? 1 : Math.Max(1, shape.Batches));
    }

    /// <summary>Positions per work item (the last run of a row may be shorter).</summary>
    public int ItemLength { get; }

    /// <summary>Number of work items.</summary>
    public int ItemCount { get; }

    /// <summary>Batch items per work item: every one, or one.</summary>
    public int BatchesPerItem { get; }

    /// <summary>
    /// The positions of work item <paramref name="item"/> (its first, and one past its last) and its batch items (the
    /// first, and one past the last): items run batch item by batch item, each over runs of positions.
    /// </summary>
    public (int Start, int End, int FirstBatch, int EndBatch) Range(int item)
    {
        var (batch, run) = Math.DivRem(item, runsPerBatch);
        var start = run * ItemLength;
        return (start, Math.Min(start + ItemLength, shape.Positions), batch * BatchesPerItem, Math.Min((batch + 1) * BatchesPerItem, shape.Batches));
    }

    /// <summary>
    /// About 32k elements of each field per item (its planes: its batch items times the classes; a multiple of 64
    /// positions, at least 64): enough work to amortise a thread hand-off and for the row runs to stream, small enough
    /// to balance two to dozens of cores.
    /// </summary>
    private static int ChooseItemLength(FieldShape shape, int batchesPerItem)
    {
        var planes = Math.Max(1, batchesPerItem * shape.Classes);
        var length = Math.Max(64, 32768 / planes / 64 * 64);
        return Math.Max(1, Math.Min(length, shape.Positions));
    }
}
