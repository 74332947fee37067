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

    /// <summary>Inputs smaller than this many elements run on the calling thread only (threads cost more than they save).</summary>
    public const long ParallelThreshold = 1 << 16;
}
