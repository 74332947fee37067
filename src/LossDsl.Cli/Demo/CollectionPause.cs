using System;
using System.Runtime;

namespace LossDsl.Cli.Demo;

/// <summary>
/// No garbage collection while libtorch works on a batch, in a worker process. TorchSharp 0.107 hands libtorch
/// temporary native scalars it does not keep alive (implicit conversions, e.g. BatchNorm's
/// <c>num_batches_tracked.add_(1)</c>): once the call has read the handle nothing references the object, and a
/// collection during the native call — triggered by any other thread that allocates, the finalizer thread included —
/// lets its finalizer free the scalar while libtorch reads it. Seen here as "Unknown scalar type" and "For integral
/// input tensors, argument alpha must not be a floating point number", in about one training in ten even with a single
/// training thread per process. Between batches this collects, runs the pending finalizers, and starts a no-GC region
/// large enough for a batch; the region ends after the batch.
/// </summary>
internal sealed class CollectionPause : IDisposable
{
    /// <summary>What a batch (or an evaluation) may allocate without a collection; a batch of the demo allocates a few MB.</summary>
    private const long Budget = 64L << 20;

    private readonly bool _active;

    private CollectionPause(bool active) => _active = active;

    /// <summary>Starts a pause (when <paramref name="enabled"/>: only where one thread does all the work, a worker process).</summary>
    public static CollectionPause Begin(bool enabled)
    {
        if (!enabled)
            return new CollectionPause(false);
        // The finalizers of everything already dead run now, before libtorch is called, not during a call.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        try
        {
            return new CollectionPause(GC.TryStartNoGCRegion(Budget));
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentOutOfRangeException)
        {
            return new CollectionPause(false);
        }
    }

    public void Dispose()
    {
        if (!_active || GCSettings.LatencyMode != GCLatencyMode.NoGCRegion)
            return;
        try
        {
            GC.EndNoGCRegion();
        }
        catch (InvalidOperationException)
        {
            // The budget was exceeded and a collection ended the region early: nothing to end.
        }
    }
}
