using System;
using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Threading.Tasks;

namespace LossDsl.Distance;

/// <summary>How the inside of a signed distance map is measured.</summary>
public enum SignedDistanceVariant
{
    /// <summary>
    /// The reference <c>one_hot2dist</c> exactly: outside = distance to the nearest object element; inside =
    /// −(distance to the nearest background element − 1). At unit spacing, object elements with a face neighbour
    /// outside get 0. With anisotropic spacing the "− 1" is not one element step, so inner boundary elements are not 0
    /// (reference issue #45): kept for fidelity.
    /// </summary>
    Reference,

    /// <summary>
    /// Spacing-correct: outside as <see cref="Reference"/>; inside = −(distance to the nearest inner boundary
    /// element), where the inner boundary is the object elements with at least one face neighbour (±1 along one axis)
    /// in the background. Inner boundary elements are 0 under any spacing.
    /// </summary>
    Contour,
}

/// <summary>
/// Signed distance maps φ for the boundary loss: φ &gt; 0 outside the object (distance to it), φ ≤ 0 inside, in
/// physical units. Empty class → all zeros (no supervision); a class covering the whole image (no background in
/// view) → all zeros as well (no boundary in view). See <c>docs/distance-maps.md</c>.
/// </summary>
/// <remarks>
/// Layouts are C order. A one-hot input is <c>(B, K, *S)</c>, labels are <c>(B, *S)</c>; outputs are
/// <c>(B, K, *S)</c>. Spacing has one value per spatial axis (in array order) or is empty for unit spacing.
/// Results do not depend on <c>maxDegreeOfParallelism</c> (−1: all processors).
/// </remarks>
public static partial class SignedDistance
{
    /// <summary>
    /// One class: <c>φ = edt(¬pos)·¬pos − (edt(pos) − 1)·pos</c> (<see cref="SignedDistanceVariant.Reference"/>) or the
    /// spacing-correct <see cref="SignedDistanceVariant.Contour"/> map, where pos = (<paramref name="mask"/> ≠ 0).
    /// </summary>
    /// <param name="mask">The class mask, <paramref name="spatialShape"/> elements in C order.</param>
    /// <param name="spatialShape">The spatial dimensions (one or more axes).</param>
    /// <param name="spacing">One spacing per axis (positive, finite), or empty for unit spacing.</param>
    /// <param name="output">Receives φ; same length as <paramref name="mask"/>.</param>
    /// <param name="variant">How the inside is measured.</param>
    /// <param name="maxDegreeOfParallelism">Threads to use; −1 for all processors.</param>
    /// <exception cref="ArgumentException">Shape, spacing or lengths are inconsistent.</exception>
    public static void FromMask(ReadOnlySpan<byte> mask, ReadOnlySpan<int> spatialShape, ReadOnlySpan<double> spacing, Span<float> output, SignedDistanceVariant variant = SignedDistanceVariant.Reference, int maxDegreeOfParallelism = -1)
        => FromMasksCore(mask, 1, spatialShape, spacing, output, variant, maxDegreeOfParallelism);

    /// <inheritdoc cref="FromMask(ReadOnlySpan{byte}, ReadOnlySpan{int}, ReadOnlySpan{double}, Span{float}, SignedDistanceVariant, int)"/>
    public static void FromMask(ReadOnlySpan<byte> mask, ReadOnlySpan<int> spatialShape, ReadOnlySpan<double> spacing, Span<double> output, SignedDistanceVariant variant = SignedDistanceVariant.Reference, int maxDegreeOfParallelism = -1)
        => FromMasksCore(mask, 1, spatialShape, spacing, output, variant, maxDegreeOfParallelism);

    /// <summary>
    /// Independent masks laid out <c>(count, *S)</c> (for example multi-label targets, where classes may overlap):
    /// one map per mask, as <see cref="FromMask(ReadOnlySpan{byte}, ReadOnlySpan{int}, ReadOnlySpan{double}, Span{float}, SignedDistanceVariant, int)"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Shape, spacing or lengths are inconsistent.</exception>
    public static void FromMasks(ReadOnlySpan<byte> masks, int count, ReadOnlySpan<int> spatialShape, ReadOnlySpan<double> spacing, Span<float> output, SignedDistanceVariant variant = SignedDistanceVariant.Reference, int maxDegreeOfParallelism = -1)
        => FromMasksCore(masks, count, spatialShape, spacing, output, variant, maxDegreeOfParallelism);

    /// <inheritdoc cref="FromMasks(ReadOnlySpan{byte}, int, ReadOnlySpan{int}, ReadOnlySpan{double}, Span{float}, SignedDistanceVariant, int)"/>
    public static void FromMasks(ReadOnlySpan<byte> masks, int count, ReadOnlySpan<int> spatialShape, ReadOnlySpan<double> spacing, Span<double> output, SignedDistanceVariant variant = SignedDistanceVariant.Reference, int maxDegreeOfParallelism = -1)
        => FromMasksCore(masks, count, spatialShape, spacing, output, variant, maxDegreeOfParallelism);

    /// <summary>
    /// Batched one-hot <c>(B, K, *S)</c> → maps <c>(B, K, *S)</c>: the reference <c>one_hot2dist</c> applied to every
    /// batch item. The input must be one-hot (values 0 or 1, exactly one class set at each position).
    /// </summary>
    /// <param name="oneHot">The one-hot ground truth, C order.</param>
    /// <param name="shape">The full shape <c>(B, K, *S)</c>, at least one spatial axis.</param>
    /// <param name="spacing">One spacing per spatial axis, or empty for unit spacing.</param>
    /// <param name="output">Receives the maps, same length as <paramref name="oneHot"/>.</param>
    /// <param name="variant">How the inside is measured.</param>
    /// <param name="maxDegreeOfParallelism">Threads to use; −1 for all processors.</param>
    /// <exception cref="ArgumentException">Bad shape or spacing, or the input is not one-hot (the message gives batch item, position and what was found).</exception>
    public static void FromOneHot(ReadOnlySpan<byte> oneHot, ReadOnlySpan<int> shape, ReadOnlySpan<double> spacing, Span<float> output, SignedDistanceVariant variant = SignedDistanceVariant.Reference, int maxDegreeOfParallelism = -1)
        => FromOneHotCore(oneHot, shape, spacing, output, variant, maxDegreeOfParallelism);

    /// <inheritdoc cref="FromOneHot(ReadOnlySpan{byte}, ReadOnlySpan{int}, ReadOnlySpan{double}, Span{float}, SignedDistanceVariant, int)"/>
    public static void FromOneHot(ReadOnlySpan<byte> oneHot, ReadOnlySpan<int> shape, ReadOnlySpan<double> spacing, Span<double> output, SignedDistanceVariant variant = SignedDistanceVariant.Reference, int maxDegreeOfParallelism = -1)
        => FromOneHotCore(oneHot, shape, spacing, output, variant, maxDegreeOfParallelism);

    /// <summary>
    /// Class-index labels <c>(B, *S)</c> with values in 0…K−1 → maps <c>(B, K, *S)</c>, as if one-hot encoded first.
    /// </summary>
    /// <param name="labels">The labels, C order.</param>
    /// <param name="shape">The label shape <c>(B, *S)</c>, at least one spatial axis.</param>
    /// <param name="numClasses">K, the number of classes.</param>
    /// <param name="spacing">One spacing per spatial axis, or empty for unit spacing.</param>
    /// <param name="output">Receives the maps, <c>B·K·|S|</c> elements.</param>
    /// <param name="variant">How the inside is measured.</param>
    /// <param name="maxDegreeOfParallelism">Threads to use; −1 for all processors.</param>
    /// <exception cref="ArgumentException">Bad shape or spacing, or a label outside 0…K−1 (the message gives batch item and position).</exception>
    public static void FromLabels(ReadOnlySpan<int> labels, ReadOnlySpan<int> shape, int numClasses, ReadOnlySpan<double> spacing, Span<float> output, SignedDistanceVariant variant = SignedDistanceVariant.Reference, int maxDegreeOfParallelism = -1)
        => FromLabelsCore(labels, shape, numClasses, spacing, output, variant, maxDegreeOfParallelism);

    /// <inheritdoc cref="FromLabels(ReadOnlySpan{int}, ReadOnlySpan{int}, int, ReadOnlySpan{double}, Span{float}, SignedDistanceVariant, int)"/>
    public static void FromLabels(ReadOnlySpan<int> labels, ReadOnlySpan<int> shape, int numClasses, ReadOnlySpan<double> spacing, Span<double> output, SignedDistanceVariant variant = SignedDistanceVariant.Reference, int maxDegreeOfParallelism = -1)
        => FromLabelsCore(labels, shape, numClasses, spacing, output, variant, maxDegreeOfParallelism);

    /// <summary>Array form of <see cref="FromOneHot(ReadOnlySpan{byte}, ReadOnlySpan{int}, ReadOnlySpan{double}, Span{float}, SignedDistanceVariant, int)"/>: returns new float32 maps <c>(B, K, *S)</c>.</summary>
    /// <exception cref="ArgumentException">Bad shape or spacing, or the input is not one-hot.</exception>
    public static float[] FromOneHot(byte[] oneHot, int[] shape, double[]? spacing = null, SignedDistanceVariant variant = SignedDistanceVariant.Reference)
    {
        ArgumentNullException.ThrowIfNull(oneHot);
        ArgumentNullException.ThrowIfNull(shape);
        var output = new float[oneHot.Length];
        FromOneHotCore<float>(oneHot, shape, spacing, output, variant, -1);
        return output;
    }

    /// <summary>Array form of <see cref="FromLabels(ReadOnlySpan{int}, ReadOnlySpan{int}, int, ReadOnlySpan{double}, Span{float}, SignedDistanceVariant, int)"/>: returns new float32 maps <c>(B, K, *S)</c>.</summary>
    /// <exception cref="ArgumentException">Bad shape or spacing, or a label outside 0…K−1.</exception>
    public static float[] FromLabels(int[] labels, int[] shape, int numClasses, double[]? spacing = null, SignedDistanceVariant variant = SignedDistanceVariant.Reference)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numClasses);
        var output = new float[checked((long)labels.Length * numClasses)];
        FromLabelsCore<float>(labels, shape, numClasses, spacing, output, variant, -1);
        return output;
    }

    private static void FromOneHotCore<T>(ReadOnlySpan<byte> oneHot, ReadOnlySpan<int> shape, ReadOnlySpan<double> spacing, Span<T> output, SignedDistanceVariant variant, int dop)
        where T : unmanaged, IFloatingPointIeee754<T>, IRootFunctions<T>
    {
        if (shape.Length < 3)
            throw new ArgumentException($"A one-hot input is (B, K, *spatial) with at least one spatial axis; got shape ({Checks.Show(shape)}).", nameof(shape));
        Checks.Grid(shape, default, nameof(shape), nameof(spacing));
        Utilities.OneHot.Check(oneHot, shape);
        FromMasksCore(oneHot, shape[0] * shape[1], shape[2..], spacing, output, variant, dop);
    }

    private static void FromLabelsCore<T>(ReadOnlySpan<int> labels, ReadOnlySpan<int> shape, int numClasses, ReadOnlySpan<double> spacing, Span<T> output, SignedDistanceVariant variant, int dop)
        where T : unmanaged, IFloatingPointIeee754<T>, IRootFunctions<T>
    {
        if (shape.Length < 2)
            throw new ArgumentException($"Labels are (B, *spatial) with at least one spatial axis; got shape ({Checks.Show(shape)}).", nameof(shape));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numClasses);
        long count = Checks.Grid(shape, default, nameof(shape), nameof(spacing));
        Checks.Length(labels.Length, count, shape, nameof(labels));
        var oneHot = new byte[checked(count * numClasses)];
        Utilities.OneHot.FromLabels(labels, shape, numClasses, oneHot);
        FromMasksCore<T>(oneHot, shape[0] * numClasses, shape[1..], spacing, output, variant, dop);
    }

    private static void FromMasksCore<T>(ReadOnlySpan<byte> masks, int count, ReadOnlySpan<int> spatialShape, ReadOnlySpan<double> spacing, Span<T> output, SignedDistanceVariant variant, int dop)
        where T : unmanaged, IFloatingPointIeee754<T>, IRootFunctions<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (variant is not (SignedDistanceVariant.Reference or SignedDistanceVariant.Contour))
            throw new ArgumentOutOfRangeException(nameof(variant), variant, "Unknown variant.");
        long plane = Checks.Grid(spatialShape, spacing, nameof(spatialShape), nameof(spacing));
        long total = checked(plane * count);
        Checks.Length(masks.Length, total, spatialShape, count == 1 ? "mask" : "masks");
        Checks.Length(output.Length, total, spatialShape, nameof(output));
        Checks.Parallelism(dop);
        if (total == 0) return;

        int threads = dop == -1 ? Environment.ProcessorCount : dop;
        int n = (int)plane;
        if (count >= threads || threads == 1)
        {
            // Enough maps to keep every thread busy: one map per work item, each single-threaded (no per-pass sync).
            unsafe
            {
                fixed (byte* pm = masks)
                fixed (T* po = output)
                {
                    nint m = (nint)pm, o = (nint)po;
                    int[] shapeCopy = spatialShape.ToArray();
                    double[] spacingCopy = spacing.ToArray();
                    EuclideanEngine.For(count, threads, (from, to) =>
                    {
                        for (int i = from; i < to; i++)
                            One(new ReadOnlySpan<byte>((byte*)m + (long)i * n, n), shapeCopy, spacingCopy, new Span<T>((T*)o + (long)i * n, n), variant, 1);
                    });
                }
            }
        }
        else
        {
            for (int i = 0; i < count; i++)
                One(masks.Slice(i * n, n), spatialShape, spacing, output.Slice(i * n, n), variant, dop);
        }
    }

    /// <summary>One map: tags, squared distances, then sign and shift.</summary>
    private static void One<T>(ReadOnlySpan<byte> mask, ReadOnlySpan<int> shape, ReadOnlySpan<double> spacing, Span<T> output, SignedDistanceVariant variant, int dop)
        where T : unmanaged, IFloatingPointIeee754<T>, IRootFunctions<T>
    {
        int n = mask.Length;
        if (mask.IndexOfAnyExcept((byte)0) < 0 || mask.IndexOf((byte)0) < 0)
        {
            // Empty class: no supervision. Whole-image class: no boundary in view (the object may continue past the
            // image or patch), so no signal either; the reference's value here is a scipy artefact.
            output.Clear();
            return;
        }
        var rented = DistanceTags.Rent(n);
        try
        {
            var tags = rented.AsSpan(0, n);
            // Object → 1, background → 2: the engine computes, for each, the distance to the other. One vectorized
            // sweep (≈ 0.1 ns per element); splitting it across threads cost more in wake-ups than it saved.
            DistanceTags.FromMask(mask, tags, inside: 1, outside: 2);
            if (variant == SignedDistanceVariant.Contour)
                MarkInnerBoundary(tags, shape);
            EuclideanEngine.Distances(tags, shape, spacing, output, dop,
                variant == SignedDistanceVariant.Reference ? EuclideanEngine.Finish.SignedReference : EuclideanEngine.Finish.SignedContour);
        }
        finally
        {
            DistanceTags.Return(rented);
        }
    }

    /// <summary>Re-tags object elements (1) that have a background face neighbour (2) as inner boundary (0).</summary>
    private static void MarkInnerBoundary(Span<byte> tags, ReadOnlySpan<int> shape)
    {
        int inner = 1;
        for (int axis = shape.Length - 1; axis >= 0; axis--)
        {
            int len = shape[axis];
            int outer = tags.Length / (inner * len);
            for (int o = 0; o < outer; o++)
            {
                for (int k = 0; k < len; k++)
                {
                    int baseIndex = (o * len + k) * inner;
                    var here = tags.Slice(baseIndex, inner);
                    // Tag 0 is still object: only background (2) neighbours make a boundary.
                    if (k > 0) Mark(here, tags.Slice(baseIndex - inner, inner));
                    if (k < len - 1) Mark(here, tags.Slice(baseIndex + inner, inner));
                }
            }
            inner *= len;
        }

        static void Mark(Span<byte> here, ReadOnlySpan<byte> neighbour)
        {
            for (int i = 0; i < here.Length; i++)
            {
                if (here[i] == 1 && neighbour[i] == 2) here[i] = 0;
            }
        }
    }
}
