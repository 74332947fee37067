using System;
using System.Linq;

namespace LossDsl.Testing;

/// <summary>
/// The shape of a segmentation batch laid out <c>(B, C, *spatial)</c>: batch size, number of classes and one or more
/// spatial axes (2D and 3D are what the generators produce).
/// </summary>
public sealed record SegmentationShape
{
    private readonly int[] _spatial;

    /// <summary>Creates a shape.</summary>
    /// <param name="batch">B ≥ 1.</param>
    /// <param name="classes">C ≥ 1.</param>
    /// <param name="spatial">The spatial sizes (at least one axis, each ≥ 1).</param>
    /// <exception cref="ArgumentException">A size below 1, or no spatial axis.</exception>
    public SegmentationShape(int batch, int classes, params int[] spatial)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        ArgumentNullException.ThrowIfNull(spatial);
        if (spatial.Length == 0 || spatial.Any(n => n < 1))
            throw new ArgumentException($"Expected one or more spatial sizes ≥ 1; got ({string.Join(", ", spatial)}).", nameof(spatial));
        Batch = batch;
        Classes = classes;
        _spatial = (int[])spatial.Clone();
    }

    /// <summary>B.</summary>
    public int Batch { get; }

    /// <summary>C.</summary>
    public int Classes { get; }

    /// <summary>The spatial sizes (a copy).</summary>
    public int[] Spatial => (int[])_spatial.Clone();

    /// <summary>The number of spatial axes (2 for images, 3 for volumes).</summary>
    public int Rank => _spatial.Length;

    /// <summary>|Ω|: the number of spatial positions of one image.</summary>
    public int Plane => _spatial.Aggregate(1, (a, b) => a * b);

    /// <summary>B·C·|Ω|: the number of elements of a field.</summary>
    public int Count => Batch * Classes * Plane;

    /// <summary>The field shape <c>(B, C, *spatial)</c> as a new array.</summary>
    public int[] Dims => [Batch, Classes, .. _spatial];

    /// <summary>The label shape <c>(B, *spatial)</c> as a new array.</summary>
    public int[] LabelDims => [Batch, .. _spatial];

    /// <summary>Index of element (b, c, s) in a C-order field, s the flat spatial position.</summary>
    public int Index(int b, int c, int s) => ((b * Classes) + c) * Plane + s;

    /// <summary>The same shape with another batch size.</summary>
    public SegmentationShape WithBatch(int batch) => new(batch, Classes, _spatial);

    /// <summary>The same shape with another number of classes.</summary>
    public SegmentationShape WithClasses(int classes) => new(Batch, classes, _spatial);

    /// <summary>The same shape with other spatial sizes.</summary>
    public SegmentationShape WithSpatial(params int[] spatial) => new(Batch, Classes, spatial);

    /// <summary>A shape from <c>(B, C, *spatial)</c>.</summary>
    /// <exception cref="ArgumentException">Fewer than three dimensions, or a size below 1.</exception>
    public static SegmentationShape FromDims(int[] dims)
    {
        ArgumentNullException.ThrowIfNull(dims);
        if (dims.Length < 3)
            throw new ArgumentException($"Expected (B, C, *spatial) with at least one spatial axis; got ({string.Join(", ", dims)}).", nameof(dims));
        return new(dims[0], dims[1], dims[2..]);
    }

    /// <inheritdoc/>
    public bool Equals(SegmentationShape? other)
        => other is not null && Batch == other.Batch && Classes == other.Classes && _spatial.AsSpan().SequenceEqual(other._spatial);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Batch);
        hash.Add(Classes);
        foreach (int n in _spatial) hash.Add(n);
        return hash.ToHashCode();
    }

    /// <summary>"(B, C, H, W)".</summary>
    public override string ToString() => $"({string.Join(", ", Dims)})";
}
