using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using LossDsl.Distance;

namespace LossDsl.Testing;

/// <summary>
/// One generated batch: class-index labels, the one-hot target, its signed distance maps, and a prediction (logits and
/// their softmax), all laid out <c>(B, C, *spatial)</c> (labels <c>(B, *spatial)</c>) in C order, in double precision.
/// </summary>
/// <remarks>
/// Only the labels and the logits are free: the target, the probabilities and the distance maps are derived from them,
/// so every transformation (cropping, dropping images, merging classes, permuting the batch) keeps them consistent.
/// <see cref="Shrink"/> lists the smaller samples FsCheck tries when a property fails.
/// </remarks>
public sealed class SegmentationSample
{
    private readonly int[] _labels;
    private readonly double[] _logits;

    /// <summary>A sample from labels and logits; the rest is derived.</summary>
    /// <param name="shape">The field shape.</param>
    /// <param name="labels">Class indices <c>(B, *spatial)</c>, each in 0…C−1.</param>
    /// <param name="logits">Scores <c>(B, C, *spatial)</c>, finite.</param>
    /// <param name="description">What was generated (shown in failure reports).</param>
    /// <exception cref="ArgumentException">Lengths do not match the shape, a label is out of range, or a logit is not finite.</exception>
    public SegmentationSample(SegmentationShape shape, int[] labels, double[] logits, string description = "")
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(logits);
        if (labels.Length != shape.Batch * shape.Plane)
            throw new ArgumentException($"{nameof(labels)} has {labels.Length} elements; shape {shape} needs B·|Ω| = {shape.Batch * shape.Plane}.", nameof(labels));
        if (logits.Length != shape.Count)
            throw new ArgumentException($"{nameof(logits)} has {logits.Length} elements; shape {shape} needs {shape.Count}.", nameof(logits));
        if (Array.FindIndex(labels, k => (uint)k >= (uint)shape.Classes) is var bad and >= 0)
            throw new ArgumentException($"Label {labels[bad]} at flat position {bad} is outside 0…{shape.Classes - 1}.", nameof(labels));
        if (Array.FindIndex(logits, v => !double.IsFinite(v)) is var nf and >= 0)
            throw new ArgumentException($"Logit {logits[nf]} at flat position {nf} is not finite.", nameof(logits));
        Shape = shape;
        _labels = (int[])labels.Clone();
        _logits = (double[])logits.Clone();
        Description = description ?? "";
        Probabilities = Softmax(shape, _logits);
        Target = new double[shape.Count];
        var oneHot = new byte[shape.Count];
        int plane = shape.Plane;
        for (int b = 0; b < shape.Batch; b++)
        {
            for (int s = 0; s < plane; s++)
            {
                int i = shape.Index(b, _labels[(b * plane) + s], s);
                Target[i] = 1;
                oneHot[i] = 1;
            }
        }

        Distance = new double[shape.Count];
        SignedDistance.FromOneHot(oneHot, shape.Dims, default, Distance, SignedDistanceVariant.Reference, maxDegreeOfParallelism: 1);
    }

    /// <summary>The field shape <c>(B, C, *spatial)</c>.</summary>
    public SegmentationShape Shape { get; }

    /// <summary>What was generated, for failure reports (e.g. "image 0: tiny object; image 1: empty").</summary>
    public string Description { get; }

    /// <summary>Class-index labels <c>(B, *spatial)</c> (a copy).</summary>
    public int[] Labels => (int[])_labels.Clone();

    /// <summary>The logits <c>(B, C, *spatial)</c> (a copy).</summary>
    public double[] Logits => (double[])_logits.Clone();

    /// <summary>softmax(<see cref="Logits"/>) over C: a simplex at every position. Shared array: do not modify.</summary>
    public double[] Probabilities { get; }

    /// <summary>The one-hot ground truth of <see cref="Labels"/>. Shared array: do not modify.</summary>
    public double[] Target { get; }

    /// <summary>Signed distance maps of <see cref="Target"/> (reference variant, unit spacing; empty and whole-image
    /// classes give all zeros). Shared array: do not modify.</summary>
    public double[] Distance { get; }

    /// <summary>The field for a role (the shared array).</summary>
    public double[] Field(FieldRole role) => role switch
    {
        FieldRole.Probabilities => Probabilities,
        FieldRole.Logits => _logits,
        FieldRole.Target => Target,
        FieldRole.SignedDistance => Distance,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Unknown field role."),
    };

    /// <summary>Fresh copies of the fields for the given roles, in that order.</summary>
    public double[][] Fields(IReadOnlyList<FieldRole> roles)
    {
        ArgumentNullException.ThrowIfNull(roles);
        return roles.Select(r => (double[])Field(r).Clone()).ToArray();
    }

    /// <summary>The number of pixels of class <paramref name="k"/> in image <paramref name="b"/>.</summary>
    public int ObjectSize(int b, int k)
    {
        int plane = Shape.Plane, n = 0;
        for (int s = 0; s < plane; s++) n += _labels[(b * plane) + s] == k ? 1 : 0;
        return n;
    }

    /// <summary>The same ground truth with other logits.</summary>
    public SegmentationSample WithLogits(double[] logits, string? description = null)
        => new(Shape, _labels, logits, description ?? Description);

    /// <summary>The batch reordered: image <c>i</c> of the result is image <c>order[i]</c> of this one.</summary>
    /// <exception cref="ArgumentException"><paramref name="order"/> is not a permutation of 0…B−1.</exception>
    public SegmentationSample PermuteBatch(int[] order)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (order.Length != Shape.Batch || !order.OrderBy(i => i).SequenceEqual(Enumerable.Range(0, Shape.Batch)))
            throw new ArgumentException($"Expected a permutation of 0…{Shape.Batch - 1}; got [{string.Join(", ", order)}].", nameof(order));
        return SelectImages(order, Description + $"; batch permuted [{string.Join(", ", order)}]");
    }

    /// <summary>Reorders a field <c>(B, C, *S)</c> the way <see cref="PermuteBatch(int[])"/> reorders the sample.</summary>
    public static double[] PermuteBatch(double[] field, SegmentationShape shape, int[] order)
    {
        ArgumentNullException.ThrowIfNull(field);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(order);
        int image = shape.Classes * shape.Plane;
        var result = new double[order.Length * image];
        for (int i = 0; i < order.Length; i++) Array.Copy(field, order[i] * image, result, i * image, image);
        return result;
    }

    /// <summary>
    /// Smaller samples, the most drastic first: fewer images (down to <paramref name="minBatch"/>), fewer classes (the
    /// last class merged into background, down to <paramref name="minClasses"/>), cropped spatial axes (halved, or one
    /// slice off either end), and simpler logits (rounded to integers, then all zero). Every candidate is consistent.
    /// </summary>
    public IEnumerable<SegmentationSample> Shrink(int minBatch = 1, int minClasses = 1)
    {
        string shrunk = ShrunkDescription;
        int batch = Shape.Batch;
        if (batch > minBatch)
        {
            if (batch / 2 >= minBatch && batch / 2 < batch - 1)
                yield return SelectImages(Enumerable.Range(0, batch / 2).ToArray(), shrunk);
            for (int drop = 0; drop < batch; drop++)
                yield return SelectImages(Enumerable.Range(0, batch).Where(i => i != drop).ToArray(), shrunk);
        }

        if (Shape.Classes > Math.Max(1, minClasses))
            yield return MergeLastClass(shrunk);

        var spatial = Shape.Spatial;
        for (int axis = 0; axis < spatial.Length; axis++)
        {
            int n = spatial[axis];
            if (n <= 1) continue;
            if (n / 2 < n - 1) yield return Crop(axis, 0, n / 2, shrunk);
            yield return Crop(axis, 0, n - 1, shrunk);
            yield return Crop(axis, 1, n - 1, shrunk);
        }

        if (_logits.Any(v => v != Math.Round(v)))
            yield return WithLogits(_logits.Select(v => Math.Round(v)).ToArray(), shrunk);
        else if (_logits.Any(v => v != 0))
            yield return WithLogits(new double[_logits.Length], shrunk);
    }

    /// <summary>The description of a shrunk sample: where it came from (the per-image notes no longer apply).</summary>
    private string ShrunkDescription => Description.StartsWith("shrunk", StringComparison.Ordinal)
        ? Description
        : "shrunk from " + (Description.Split(';')[0] is { Length: > 0 } origin ? origin : "a generated sample");

    /// <summary>A compact report: shape, what was generated, object sizes; the values themselves when small.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"shape {Shape}");
        if (Description.Length > 0) text.Append(CultureInfo.InvariantCulture, $" [{Description}]");
        text.Append("; object pixels per image and class: ");
        text.Append(string.Join(" | ", Enumerable.Range(0, Shape.Batch).Select(b =>
            string.Join(",", Enumerable.Range(0, Shape.Classes).Select(k => ObjectSize(b, k).ToString(CultureInfo.InvariantCulture))))));
        double minP = Probabilities.Min();
        text.Append(CultureInfo.InvariantCulture, $"; min probability {minP:G3}");
        if (Shape.Count <= 48)
        {
            text.Append("; labels [").Append(string.Join(" ", _labels)).Append(']');
            text.Append("; logits [").Append(string.Join(" ", _logits.Select(v => v.ToString("G4", CultureInfo.InvariantCulture)))).Append(']');
        }

        return text.ToString();
    }

    /// <summary>softmax over the class axis, stable (max subtracted), in double.</summary>
    public static double[] Softmax(SegmentationShape shape, double[] logits)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(logits);
        var probs = new double[logits.Length];
        int plane = shape.Plane, classes = shape.Classes;
        for (int b = 0; b < shape.Batch; b++)
        {
            for (int s = 0; s < plane; s++)
            {
                double max = double.NegativeInfinity;
                for (int k = 0; k < classes; k++) max = Math.Max(max, logits[shape.Index(b, k, s)]);
                double total = 0;
                for (int k = 0; k < classes; k++) total += Math.Exp(logits[shape.Index(b, k, s)] - max);
                for (int k = 0; k < classes; k++) probs[shape.Index(b, k, s)] = Math.Exp(logits[shape.Index(b, k, s)] - max) / total;
            }
        }

        return probs;
    }

    private SegmentationSample SelectImages(int[] images, string description)
    {
        var shape = Shape.WithBatch(images.Length);
        int plane = Shape.Plane;
        var labels = new int[images.Length * plane];
        for (int i = 0; i < images.Length; i++) Array.Copy(_labels, images[i] * plane, labels, i * plane, plane);
        return new(shape, labels, PermuteBatch(_logits, Shape, images), description);
    }

    private SegmentationSample MergeLastClass(string description)
    {
        int last = Shape.Classes - 1;
        var shape = Shape.WithClasses(last);
        var labels = _labels.Select(k => k == last ? 0 : k).ToArray();
        var logits = new double[shape.Count];
        for (int b = 0; b < shape.Batch; b++)
        {
            for (int k = 0; k < last; k++)
                Array.Copy(_logits, Shape.Index(b, k, 0), logits, shape.Index(b, k, 0), Shape.Plane);
        }

        return new(shape, labels, logits, description);
    }

    /// <summary>Keeps <paramref name="length"/> slices from <paramref name="start"/> along spatial axis <paramref name="axis"/>.</summary>
    private SegmentationSample Crop(int axis, int start, int length, string description)
    {
        var spatial = Shape.Spatial;
        var cropped = (int[])spatial.Clone();
        cropped[axis] = length;
        var shape = Shape.WithSpatial(cropped);
        int oldPlane = Shape.Plane, newPlane = shape.Plane;
        // Map each new flat spatial position to the old one.
        var map = new int[newPlane];
        var index = new int[spatial.Length];
        for (int s = 0; s < newPlane; s++)
        {
            int rest = s;
            for (int a = spatial.Length - 1; a >= 0; a--) { index[a] = rest % cropped[a]; rest /= cropped[a]; }
            index[axis] += start;
            int old = 0;
            for (int a = 0; a < spatial.Length; a++) old = (old * spatial[a]) + index[a];
            map[s] = old;
        }

        var labels = new int[shape.Batch * newPlane];
        var logits = new double[shape.Count];
        for (int b = 0; b < shape.Batch; b++)
        {
            for (int s = 0; s < newPlane; s++) labels[(b * newPlane) + s] = _labels[(b * oldPlane) + map[s]];
            for (int k = 0; k < shape.Classes; k++)
            {
                for (int s = 0; s < newPlane; s++) logits[shape.Index(b, k, s)] = _logits[Shape.Index(b, k, map[s])];
            }
        }

        return new(shape, labels, logits, description);
    }
}
