using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LossDsl.Distance;

/// <summary>
/// The byte tags <see cref="EuclideanEngine"/> reads (see its remarks for what each tag means): written from a mask,
/// in buffers kept per thread between calls.
/// </summary>
internal static class DistanceTags
{
    /// <summary>Tags from a mask: <paramref name="inside"/> where mask ≠ 0, <paramref name="outside"/> where it is 0.</summary>
    internal static void FromMask(ReadOnlySpan<byte> mask, Span<byte> tags, byte inside, byte outside)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var zero = Vector512<byte>.Zero;
            var vin = Vector512.Create(inside);
            var vout = Vector512.Create(outside);
            for (; i + 64 <= mask.Length; i += 64)
            {
                var m = Vector512.LoadUnsafe(ref Unsafe.AsRef(in mask[i]));
                Vector512.ConditionalSelect(Vector512.Equals(m, zero), vout, vin).StoreUnsafe(ref tags[i]);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var zero = Vector256<byte>.Zero;
            var vin = Vector256.Create(inside);
            var vout = Vector256.Create(outside);
            for (; i + 32 <= mask.Length; i += 32)
            {
                var m = Vector256.LoadUnsafe(ref Unsafe.AsRef(in mask[i]));
                Vector256.ConditionalSelect(Vector256.Equals(m, zero), vout, vin).StoreUnsafe(ref tags[i]);
            }
        }
        for (; i < mask.Length; i++) tags[i] = mask[i] == 0 ? outside : inside;
    }

    [ThreadStatic]
    private static byte[]? t_tags;

    /// <summary>Largest tag buffer kept per thread between calls (16 MiB: a 256³ volume); larger ones are left to the GC.</summary>
    private const int MaxCachedTags = 16 << 20;

    /// <summary>
    /// A tag buffer of at least <paramref name="length"/> bytes. The calling thread's last buffer is reused: allocating
    /// (and first touching) megabytes per map cost as much as a whole pass, and ran on one thread.
    /// </summary>
    internal static byte[] Rent(int length)
    {
        var cached = t_tags;
        if (cached is not null && cached.Length >= length)
        {
            t_tags = null;
            return cached;
        }
        return GC.AllocateUninitializedArray<byte>(length);
    }

    /// <summary>Gives a buffer from <see cref="Rent"/> back to this thread's cache.</summary>
    internal static void Return(byte[] buffer)
    {
        if (buffer.Length <= MaxCachedTags && (t_tags is null || t_tags.Length < buffer.Length)) t_tags = buffer;
    }
}
