using System;
using System.Runtime.InteropServices;

namespace LossDsl.Cli.Demo;

/// <summary>
/// glibc's malloc settings for the demo's process. libtorch's CPU tensors come from malloc; blocks at or above its
/// dynamic mmap threshold are mapped and unmapped on every allocation, and every first touch of a fresh page then
/// faults (≈ 1.5 µs per 4 KiB page on this project's VM; docs/performance.md, "The allocator"). A fixed, high mmap
/// threshold and trim threshold keep freed buffers in the heap for the next step instead.
/// </summary>
internal static class NativeAllocator
{
    private const int M_TRIM_THRESHOLD = -1;
    private const int M_MMAP_THRESHOLD = -3;

    /// <summary>glibc's largest accepted mmap threshold on 64-bit (HEAP_MAX_SIZE / 2): 32 MiB, far above the demo's tensors.</summary>
    public const int MmapThreshold = 32 << 20;

    /// <summary>Heap memory kept at the top before it is given back: 1 GiB.</summary>
    public const int TrimThreshold = 1 << 30;

    /// <summary>Applies the settings once per process (Linux with glibc only); returns whether both were accepted.</summary>
    public static bool KeepFreedMemory()
    {
        if (!OperatingSystem.IsLinux())
            return false;
        try
        {
            return mallopt(M_MMAP_THRESHOLD, MmapThreshold) == 1 & mallopt(M_TRIM_THRESHOLD, TrimThreshold) == 1;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false; // not glibc (musl has no mallopt): nothing to set
        }
    }

    [DllImport("libc")]
    private static extern int mallopt(int param, int value);
}
