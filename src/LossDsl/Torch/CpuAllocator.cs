using System;
using System.Runtime.InteropServices;

namespace LossDsl.Torch;

/// <summary>
/// glibc's malloc settings for a process that trains on the CPU. libtorch's CPU tensors come from malloc; blocks at or
/// above its dynamic mmap threshold, and the free top of the heap beyond its trim threshold, go back to the system when
/// freed, so buffers freed and allocated every step are mapped anew and every first touch of a fresh page faults
/// (≈ 1.5 µs per 4 KiB page on this project's VM; <c>docs/torchsharp-backend.md</c>, "The allocator"). A fixed, high
/// mmap threshold and trim threshold keep freed buffers in the heap for the next step instead.
/// </summary>
/// <remarks>
/// Whether the process keeps freed memory also decides which CPU path a generated TorchSharp loss prefers where
/// hand-written sweeps cover it: the sweeps (whose ATen temporaries are fresh buffers every call) only when it does,
/// the generated passes (which allocate nothing full-size but the gradients) otherwise.
/// </remarks>
public static class CpuAllocator
{
    private const int M_TRIM_THRESHOLD = -1;
    private const int M_MMAP_THRESHOLD = -3;

    /// <summary>glibc's largest accepted mmap threshold on 64-bit (HEAP_MAX_SIZE / 2): 32 MiB, above a training step's full-size buffers.</summary>
    public const int MmapThreshold = 32 << 20;

    /// <summary>Heap memory kept at the top before it is given back: 1 GiB.</summary>
    public const int TrimThreshold = 1 << 30;

    private static readonly bool FromEnvironment = TunablesKeepFreedMemory(Environment.GetEnvironmentVariable("GLIBC_TUNABLES"));

    private static volatile bool set;

    /// <summary>Test seam: what this thread's calls assume, instead of the process's setting.</summary>
    [ThreadStatic]
    internal static bool? Assumed;

    /// <summary>
    /// Whether this process keeps freed memory in the heap: <see cref="KeepFreedMemory"/> succeeded, or the process
    /// started with <c>GLIBC_TUNABLES</c> setting both <c>glibc.malloc.mmap_threshold</c> and
    /// <c>glibc.malloc.trim_threshold</c> (to at least 8 MiB and 32 MiB: full-size buffers stay in the heap).
    /// </summary>
    public static bool KeepsFreedMemory => Assumed ?? (set || FromEnvironment);

    /// <summary>
    /// Applies the settings, process-wide (Linux with glibc only; call it before the first tensor); returns whether
    /// both were accepted. Elsewhere nothing is set and it returns false.
    /// </summary>
    public static bool KeepFreedMemory()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            var accepted = mallopt(M_MMAP_THRESHOLD, MmapThreshold) == 1 & mallopt(M_TRIM_THRESHOLD, TrimThreshold) == 1;
            set |= accepted;
            return accepted;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false; // not glibc (musl has no mallopt): nothing to set
        }
    }

    /// <summary>
    /// Whether a <c>GLIBC_TUNABLES</c> value (colon-separated <c>name=value</c> pairs) fixes both thresholds high
    /// enough: the mmap threshold at 8 MiB or more, the trim threshold at 32 MiB or more. Setting only the trim
    /// threshold fixes the mmap threshold at its 128 KiB default, which maps every full-size buffer.
    /// </summary>
    internal static bool TunablesKeepFreedMemory(string? tunables)
    {
        long mmap = 0, trim = 0;
        foreach (var pair in (tunables ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            if (parts.Length == 2 && long.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value))
            {
                mmap = parts[0] == "glibc.malloc.mmap_threshold" ? value : mmap;
                trim = parts[0] == "glibc.malloc.trim_threshold" ? value : trim;
            }
        }

        return mmap >= 8L << 20 && trim >= 32L << 20;
    }

    [DllImport("libc")]
    private static extern int mallopt(int param, int value);
}
