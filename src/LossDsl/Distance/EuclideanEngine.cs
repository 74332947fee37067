using System;
using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;

namespace LossDsl.Distance;

/// <summary>
/// The separable exact squared Euclidean distance transform behind <see cref="DistanceTransform"/> and
/// <see cref="SignedDistance"/>.
/// </summary>
/// <remarks>
/// <para>
/// The input is a grid of byte <em>tags</em>. Elements tagged 0 are fixed zeros (never computed); every other
/// element receives the squared physical distance to the nearest element whose tag differs from its own
/// (+∞ when there is none). One formulation covers all cases:
/// plain EDT (mask≠0 → 1, mask=0 → 0), the reference signed map (object → 1, background → 2: both sides at once)
/// and the contour signed map (object interior → 1, inner boundary → 0, background → 2).
/// </para>
/// <para>
/// Algorithm: axis by axis (Felzenszwalb &amp; Huttenlocher 2012, lower envelope of parabolas), last (contiguous)
/// axis first. Along any line, an element of tag <c>t</c> only sees sites of tag <c>t</c>; an element of another
/// tag is a site at height 0 that hides everything behind it. So every maximal run of equal tags is solved on its
/// own, bounded by its two neighbours: the same exact result as one envelope per class, with one sweep over memory
/// for both signs and short envelopes.
/// </para>
/// <para>
/// Passes over non-contiguous axes copy tiles of <see cref="TileWidth"/> adjacent lines (contiguous row segments)
/// into a small scratch tile, so reads and writes stream whole cache lines without a global transpose. Work units
/// (rows or tiles) are independent and each is computed the same way whatever thread runs it, so the result does
/// not depend on the thread count, bit for bit.
/// </para>
/// </remarks>
internal static unsafe class EuclideanEngine
{
    /// <summary>Adjacent lines processed together in non-contiguous passes (one 64-byte cache line of floats).</summary>
    internal const int TileWidth = 16;

    /// <summary>Rows per work unit in the contiguous pass.</summary>
    private const int RowsPerUnit = 16;

    /// <summary>Computes squared distances into <paramref name="work"/> (same length as <paramref name="tags"/>).</summary>
    public static void SquaredDistances<T>(ReadOnlySpan<byte> tags, ReadOnlySpan<int> shape, ReadOnlySpan<double> spacing, Span<T> work, int maxDegreeOfParallelism)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rank = shape.Length;
        if (work.Length == 0) return;
        fixed (byte* pt = tags)
        fixed (T* pw = work)
        {
            int n = shape[rank - 1];
            int rows = work.Length / n;
            double s = spacing.IsEmpty ? 1.0 : spacing[rank - 1];
            var table = new T[n + 1];
            for (int d = 0; d <= n; d++) table[d] = T.CreateTruncating(d * (double)d * (s * s));
            var grid = new Grid<T>(pt, pw);
            fixed (T* ptable = table)
            {
                nint tableAddress = (nint)ptable;
                For((rows + RowsPerUnit - 1) / RowsPerUnit, maxDegreeOfParallelism, (from, to) =>
                {
                    for (int u = from; u < to; u++)
                    {
                        int r0 = u * RowsPerUnit, r1 = Math.Min(rows, r0 + RowsPerUnit);
                        for (int r = r0; r < r1; r++)
                            RowPass(grid.Tags + (long)r * n, grid.Work + (long)r * n, n, (T*)tableAddress);
                    }
                });
            }

            long inner = n;
            for (int axis = rank - 2; axis >= 0; axis--)
            {
                int len = shape[axis];
                long outer = work.Length / (inner * len);
                double sq = spacing.IsEmpty ? 1.0 : spacing[axis] * spacing[axis];
                if (len > 1)
                    ColumnPass(grid, len, inner, outer, sq, maxDegreeOfParallelism);
                inner *= len;
            }
        }
    }

    /// <summary>Pointers to the shared grid, so that parallel work units can address it (spans cannot be captured).</summary>
    private readonly struct Grid<T>(byte* tags, T* work)
        where T : unmanaged
    {
        public readonly byte* Tags = tags;
        public readonly T* Work = work;
    }

    /// <summary>
    /// 1-D pass along a contiguous row: squared distance to the nearest element of another tag in the row.
    /// <paramref name="table"/>[d] = (d·s)² for d = 0…n; runs are filled by copying from it (vectorized copies, no
    /// per-element conversions).
    /// </summary>
    private static void RowPass<T>(byte* tags, T* w, int n, T* table)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var row = new ReadOnlySpan<byte>(tags, n);
        int a = 0;
        while (a < n)
        {
            byte t = row[a];
            int end = row.Slice(a).IndexOfAnyExcept(t);
            int b = end < 0 ? n : a + end;
            var run = new Span<T>(w + a, b - a);
            if (t == 0)
            {
                run.Clear();
            }
            else if (a == 0 && b == n)
            {
                run.Fill(T.PositiveInfinity);
            }
            else if (a == 0)
            {
                // Only a right neighbour: distances len, len−1, …, 1 (the table read backwards).
                for (int i = 0; i < run.Length; i++) run[i] = table[run.Length - i];
            }
            else if (b == n)
            {
                new ReadOnlySpan<T>(table + 1, run.Length).CopyTo(run);
            }
            else
            {
                // Both neighbours: 1, 2, …, up to the middle, then back down to 1.
                int half = (run.Length + 1) / 2;
                new ReadOnlySpan<T>(table + 1, half).CopyTo(run);
                for (int i = half; i < run.Length; i++) run[i] = table[run.Length - i];
            }
            a = b;
        }
    }

    /// <summary>Envelope pass along a non-contiguous axis of length <paramref name="len"/> and stride <paramref name="inner"/>.</summary>
    private static void ColumnPass<T>(Grid<T> grid, int len, long inner, long outer, double sq, int dop)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long tilesPerSlab = (inner + TileWidth - 1) / TileWidth;
        long units = outer * tilesPerSlab;
        For(checked((int)units), dop, (from, to) =>
        {
            var tileW = ArrayPool<T>.Shared.Rent(len * TileWidth);
            var tileT = ArrayPool<byte>.Shared.Rent(len * TileWidth);
            var v = ArrayPool<int>.Shared.Rent(len + 2);
            var z = ArrayPool<double>.Shared.Rent(len + 2);
            var g = ArrayPool<double>.Shared.Rent(len + 2);
            try
            {
                fixed (T* tw = tileW)
                fixed (byte* tt = tileT)
                fixed (int* pv = v)
                fixed (double* pz = z, pg = g)
                {
                    for (int u = from; u < to; u++)
                    {
                        long o = u / tilesPerSlab;
                        long i0 = u % tilesPerSlab * TileWidth;
                        int width = (int)Math.Min(TileWidth, inner - i0);
                        long baseIndex = o * len * inner + i0;
                        // Gather: row segments of `width` contiguous elements, one per position along the axis.
                        for (int k = 0; k < len; k++)
                        {
                            long src = baseIndex + k * inner;
                            new ReadOnlySpan<T>(grid.Work + src, width).CopyTo(new Span<T>(tw + k * TileWidth, width));
                            new ReadOnlySpan<byte>(grid.Tags + src, width).CopyTo(new Span<byte>(tt + k * TileWidth, width));
                        }
                        for (int c = 0; c < width; c++)
                            Line(tt + c, tw + c, len, TileWidth, sq, pv, pz, pg);
                        for (int k = 0; k < len; k++)
                            new ReadOnlySpan<T>(tw + k * TileWidth, width).CopyTo(new Span<T>(grid.Work + baseIndex + k * inner, width));
                    }
                }
            }
            finally
            {
                ArrayPool<double>.Shared.Return(g);
                ArrayPool<double>.Shared.Return(z);
                ArrayPool<int>.Shared.Return(v);
                ArrayPool<byte>.Shared.Return(tileT);
                ArrayPool<T>.Shared.Return(tileW);
            }
        });
    }

    /// <summary>One line (stride <paramref name="stride"/>) of the envelope pass, run by run.</summary>
    private static void Line<T>(byte* tags, T* w, int len, int stride, double sq, int* v, double* z, double* g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double invSq = 1.0 / sq;
        int a = 0;
        while (a < len)
        {
            byte t = tags[a * stride];
            int b = a + 1;
            while (b < len && tags[b * stride] == t) b++;
            if (t != 0)
                Run(w, a, b, len, stride, sq, invSq, v, z, g);
            a = b;
        }
    }

    /// <summary>
    /// Solves D(x) = min_q sq·(x − q)² + f(q) for x in the run [a, b); the sites are the run's finite elements and its
    /// neighbours a − 1 and b (another tag: height 0), which hide everything beyond them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<T>(T* w, int a, int b, int len, int stride, double sq, double invSq, int* v, double* z, double* g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Heights are kept in index units (f / sq) so the intersection needs no spacing factor.
        int k = -1;
        int lo = a > 0 ? a - 1 : a;
        int hi = b < len ? b : b - 1;
        for (int q = lo; q <= hi; q++)
        {
            double gq;
            if (q < a || q >= b)
            {
                gq = 0.0;
            }
            else
            {
                T f = w[q * stride];
                if (T.IsPositiveInfinity(f)) continue;
                gq = double.CreateTruncating(f) * invSq;
            }
            if (k < 0)
            {
                k = 0;
                v[0] = q;
                g[0] = gq;
                z[0] = double.NegativeInfinity;
                continue;
            }
            // z[0] = −∞ ends the loop: the first parabola is never hidden from the left.
            int vk = v[k];
            double s = 0.5 * ((gq - g[k]) / (q - vk) + q + vk);
            while (s <= z[k])
            {
                k--;
                vk = v[k];
                s = 0.5 * ((gq - g[k]) / (q - vk) + q + vk);
            }
            k++;
            v[k] = q;
            g[k] = gq;
            z[k] = s;
        }
        if (k < 0) return; // no finite site: the run stays +∞
        int m = k;
        z[m + 1] = double.PositiveInfinity;
        k = 0;
        for (int x = a; x < b; x++)
        {
            while (z[k + 1] < x) k++;
            double d = x - v[k];
            w[x * stride] = T.CreateTruncating(sq * (d * d + g[k]));
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/> over [0, <paramref name="count"/>) in fixed chunks. The chunking does not affect
    /// results (units are independent); it only bounds scheduling overhead.
    /// </summary>
    internal static void For(int count, int dop, Action<int, int> body)
    {
        if (count <= 0) return;
        int threads = dop == -1 ? Environment.ProcessorCount : dop;
        if (threads <= 1 || count == 1)
        {
            body(0, count);
            return;
        }
        int chunks = Math.Min(count, threads * 4);
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads },
            c => body((int)((long)c * count / chunks), (int)((long)(c + 1) * count / chunks)));
    }
}
