using System;
using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
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

    /// <summary>What to do with squared distances once they are final.</summary>
    internal enum Finish
    {
        /// <summary>Keep squared distances.</summary>
        Squared,
        /// <summary>Square roots (plain EDT).</summary>
        Root,
        /// <summary>Square roots; tag-1 elements become 1 − d (reference signed map).</summary>
        SignedReference,
        /// <summary>Square roots; tag-1 elements become −d (contour signed map).</summary>
        SignedContour,
    }

    /// <summary>
    /// Computes distances into <paramref name="work"/> (same length as <paramref name="tags"/>), finished as
    /// <paramref name="finish"/> says. Finishing happens inside the last pass, on data still in cache.
    /// </summary>
    public static void Distances<T>(ReadOnlySpan<byte> tags, ReadOnlySpan<int> shape, ReadOnlySpan<double> spacing, Span<T> work, int maxDegreeOfParallelism, Finish finish)
        where T : unmanaged, IFloatingPointIeee754<T>, IRootFunctions<T>
    {
        int rank = shape.Length;
        if (work.Length == 0) return;
        fixed (byte* pt = tags)
        fixed (T* pw = work)
        {
            int n = shape[rank - 1];
            int rows = work.Length / n;
            double s = spacing.IsEmpty ? 1.0 : spacing[rank - 1];
            var table = GC.AllocateUninitializedArray<T>(n + 1, pinned: true);
            for (int d = 0; d <= n; d++) table[d] = T.CreateTruncating(d * (double)d * (s * s));
            T* ptable = (T*)Unsafe.AsPointer(ref table[0]);
            var grid = new Grid<T>(pt, pw);
            int threads = maxDegreeOfParallelism == -1 ? Environment.ProcessorCount : maxDegreeOfParallelism;

            // The outermost axis longer than 1 gets the last envelope pass, which also finishes the values.
            int lastAxis = -1;
            for (int axis = 0; axis < rank - 1 && lastAxis < 0; axis++)
            {
                if (shape[axis] > 1) lastAxis = axis;
            }

            int firstColumnAxis = rank - 2;
            int planeLen = rank >= 2 ? shape[rank - 2] : 1;
            long planes = rank >= 2 ? work.Length / ((long)planeLen * n) : 0;
            if (rank >= 2 && planeLen > 1 && planes >= 4L * threads)
            {
                // Many planes (3-D and up): rows and the first envelope pass of each plane in one work unit, while the
                // plane is in cache; one parallel loop instead of two.
                double sq = spacing.IsEmpty ? 1.0 : spacing[rank - 2] * spacing[rank - 2];
                Finish planeFinish = lastAxis == rank - 2 ? finish : Finish.Squared;
                For(checked((int)planes), maxDegreeOfParallelism, (from, to) =>
                {
                    var scratch = Scratch<T>.Get(planeLen);
                    for (int p = from; p < to; p++)
                    {
                        long plane = (long)p * planeLen * n;
                        for (int r = 0; r < planeLen; r++)
                            RowPass(grid.Tags + plane + (long)r * n, grid.Work + plane + (long)r * n, n, ptable);
                        for (int i0 = 0; i0 < n; i0 += TileWidth)
                            Tile(grid, scratch, plane + i0, Math.Min(TileWidth, n - i0), planeLen, n, sq, planeFinish);
                    }
                });
                firstColumnAxis = rank - 3;
            }
            else
            {
                For((rows + RowsPerUnit - 1) / RowsPerUnit, maxDegreeOfParallelism, (from, to) =>
                {
                    for (int u = from; u < to; u++)
                    {
                        int r0 = u * RowsPerUnit, r1 = Math.Min(rows, r0 + RowsPerUnit);
                        for (int r = r0; r < r1; r++)
                            RowPass(grid.Tags + (long)r * n, grid.Work + (long)r * n, n, ptable);
                    }
                });
            }

            long inner = n;
            for (int axis = rank - 2; axis > firstColumnAxis; axis--) inner *= shape[axis];
            for (int axis = firstColumnAxis; axis >= 0; axis--)
            {
                int len = shape[axis];
                long outer = work.Length / (inner * len);
                double sq = spacing.IsEmpty ? 1.0 : spacing[axis] * spacing[axis];
                if (len > 1)
                    ColumnPass(grid, len, inner, outer, sq, maxDegreeOfParallelism, axis == lastAxis ? finish : Finish.Squared);
                inner *= len;
            }
            GC.KeepAlive(table);
            if (lastAxis < 0 && finish != Finish.Squared)
            {
                // Effectively one-dimensional: finish in fixed chunks.
                const int chunk = 1 << 16;
                int total = work.Length;
                For((total + chunk - 1) / chunk, maxDegreeOfParallelism, (from, to) =>
                {
                    int a = from * chunk, b = Math.Min(total, to * chunk);
                    FinishBlock(grid.Work + a, grid.Tags + a, b - a, finish);
                });
            }
        }
    }

    /// <summary>
    /// Finishes <paramref name="count"/> contiguous values: square roots, then the inside sign and shift of the signed
    /// variants for tag-1 elements. Groups of 16 with one tag (the common case: objects are blobs) take one vector op.
    /// </summary>
    private static void FinishBlock<T>(T* w, byte* tags, int count, Finish finish)
        where T : unmanaged, IFloatingPointIeee754<T>, IRootFunctions<T>
    {
        if (finish == Finish.Squared) return;
        var values = new Span<T>(w, count);
        TensorPrimitives.Sqrt<T>(values, values);
        if (finish == Finish.Root) return;
        T shift = finish == Finish.SignedReference ? T.One : T.Zero;
        var shiftVector = Vector512.Create(shift);
        var one = Vector128.Create((byte)1);
        int i = 0;
        for (; i + 16 <= count; i += 16)
        {
            var t = Vector128.Load(tags + i);
            var isOne = Vector128.Equals(t, one);
            if (isOne == Vector128<byte>.Zero) continue;
            if (isOne == Vector128<byte>.AllBitsSet)
            {
                for (int j = 0; j < 16; j += Vector512<T>.Count)
                    (shiftVector - Vector512.Load(w + i + j)).Store(w + i + j);
                continue;
            }
            for (int j = i; j < i + 16; j++)
            {
                if (tags[j] == 1) w[j] = shift - w[j];
            }
        }
        for (; i < count; i++)
        {
            if (tags[i] == 1) w[i] = shift - w[i];
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

    /// <summary>
    /// Per-thread buffers of the envelope passes, allocated pinned (no <c>fixed</c> needed, no pool traffic): one tile of
    /// <see cref="TileWidth"/> lines and the envelope arrays.
    /// </summary>
    private sealed class Scratch<T>
        where T : unmanaged
    {
        public readonly T* Work;
        public readonly byte* Tags;
        public readonly int* V;
        public readonly double* Z;
        public readonly double* G;
        /// <summary>Keeps the pinned arrays alive as long as the pointers are used.</summary>
        public readonly object[] Arrays;

        [ThreadStatic]
        private static Scratch<T>? t_cached;

        private readonly int _capacity;

        /// <summary>
        /// This thread's scratch, reused across calls (pinned allocations are slow and serialize threads). Contents
        /// are always written before they are read, so reuse cannot change results.
        /// </summary>
        public static Scratch<T> Get(int len)
        {
            var s = t_cached;
            if (s is null || s._capacity < len) t_cached = s = new Scratch<T>(Math.Max(len, 256));
            return s;
        }

        private Scratch(int len)
        {
            _capacity = len;
            var w = GC.AllocateUninitializedArray<T>(len * TileWidth, pinned: true);
            var t = GC.AllocateUninitializedArray<byte>(len * TileWidth, pinned: true);
            var v = GC.AllocateUninitializedArray<int>(len + 2, pinned: true);
            var z = GC.AllocateUninitializedArray<double>(len + 2, pinned: true);
            var g = GC.AllocateUninitializedArray<double>(len + 2, pinned: true);
            Arrays = [w, t, v, z, g];
            Work = (T*)Unsafe.AsPointer(ref w[0]);
            Tags = (byte*)Unsafe.AsPointer(ref t[0]);
            V = (int*)Unsafe.AsPointer(ref v[0]);
            Z = (double*)Unsafe.AsPointer(ref z[0]);
            G = (double*)Unsafe.AsPointer(ref g[0]);
        }
    }

    /// <summary>Envelope pass along a non-contiguous axis of length <paramref name="len"/> and stride <paramref name="inner"/>.</summary>
    private static void ColumnPass<T>(Grid<T> grid, int len, long inner, long outer, double sq, int dop, Finish finish)
        where T : unmanaged, IFloatingPointIeee754<T>, IRootFunctions<T>
    {
        long tilesPerSlab = (inner + TileWidth - 1) / TileWidth;
        long units = outer * tilesPerSlab;
        For(checked((int)units), dop, (from, to) =>
        {
            var scratch = Scratch<T>.Get(len);
            for (int u = from; u < to; u++)
            {
                long o = u / tilesPerSlab;
                long i0 = u % tilesPerSlab * TileWidth;
                Tile(grid, scratch, o * len * inner + i0, (int)Math.Min(TileWidth, inner - i0), len, inner, sq, finish);
            }
        });
    }

    /// <summary>
    /// The envelope pass for <paramref name="width"/> adjacent lines starting at <paramref name="baseIndex"/>: gather
    /// their contiguous row segments into the scratch tile, solve each line, finish, scatter back.
    /// </summary>
    private static void Tile<T>(Grid<T> grid, Scratch<T> scratch, long baseIndex, int width, int len, long inner, double sq, Finish finish)
        where T : unmanaged, IFloatingPointIeee754<T>, IRootFunctions<T>
    {
        T* tw = scratch.Work;
        byte* tt = scratch.Tags;
        for (int k = 0; k < len; k++)
        {
            long src = baseIndex + k * inner;
            new ReadOnlySpan<T>(grid.Work + src, width).CopyTo(new Span<T>(tw + k * TileWidth, width));
            new ReadOnlySpan<byte>(grid.Tags + src, width).CopyTo(new Span<byte>(tt + k * TileWidth, width));
        }
        for (int c = 0; c < width; c++)
            Line(tt + c, tw + c, len, TileWidth, sq, scratch.V, scratch.Z, scratch.G);
        // Columns past `width` hold stale values: finishing them is harmless, they are not written back.
        FinishBlock(tw, tt, len * TileWidth, finish);
        for (int k = 0; k < len; k++)
            new ReadOnlySpan<T>(tw + k * TileWidth, width).CopyTo(new Span<T>(grid.Work + baseIndex + k * inner, width));
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
        // Many more chunks than threads: Parallel.For hands them out dynamically, which evens out uneven runs.
        int chunks = Math.Min(count, threads * 16);
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads },
            c => body((int)((long)c * count / chunks), (int)((long)(c + 1) * count / chunks)));
    }
}
