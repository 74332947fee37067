using System;

namespace LossDsl.Cpu;

/// <summary>Settings of the SIMD CPU back end.</summary>
public static class CpuBackend
{
    private static int maxDegreeOfParallelism = -1;

    /// <summary>
    /// The most threads one generated CPU call uses (−1: as many as the machine has, the default). Results do not
    /// depend on it: the work is split into chunks fixed by the input shape and combined in chunk order.
    /// </summary>
    public static int MaxDegreeOfParallelism
    {
        get => maxDegreeOfParallelism;
        set
        {
            if (value == 0 || value < -1)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "use −1 (all cores) or a positive thread count");
            }

            maxDegreeOfParallelism = value;
        }
    }

    // The TorchSharp entry points run the generated programs with libtorch's thread setting (torch.set_num_threads),
    // as libtorch's own operations do; per thread, so that concurrent calls do not see each other's limit.
    [ThreadStatic]
    private static int threadsOfThisCall;

    /// <summary>The thread limit of the call running on this thread: <see cref="MaxDegreeOfParallelism"/> unless limited.</summary>
    internal static int ThreadsOfThisCall => threadsOfThisCall > 0 ? threadsOfThisCall : maxDegreeOfParallelism;

    /// <summary>Limits the generated programs run on this thread to <paramref name="threads"/> threads until disposed.</summary>
    internal static ThreadLimit LimitThreadsOfThisCall(int threads)
    {
        var previous = threadsOfThisCall;
        threadsOfThisCall = Math.Max(1, threads);
        return new ThreadLimit(previous);
    }

    /// <summary>Restores the limit in force before <see cref="LimitThreadsOfThisCall"/>.</summary>
    internal readonly struct ThreadLimit : IDisposable
    {
        private readonly int previous;

        public ThreadLimit(int previous) => this.previous = previous;

        public void Dispose() => threadsOfThisCall = previous;
    }

    /// <summary>Inputs smaller than this many elements run on the calling thread only (threads cost more than they save).</summary>
    public const long ParallelThreshold = 1 << 16;
}
