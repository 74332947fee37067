using System;

namespace LossDsl.Metrics;

/// <summary>Argument checks shared by the metrics, with messages that name the argument and the value seen.</summary>
internal static class MaskArguments
{
    /// <summary>Checks a spatial shape (every extent ≥ 1, at least one axis) and returns its element count.</summary>
    public static int ElementCount(ReadOnlySpan<int> shape, string shapeName)
    {
        if (shape.Length == 0)
            throw new ArgumentException("The shape must have at least one axis; got an empty shape.", shapeName);
        long count = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] <= 0)
                throw new ArgumentException($"Every extent must be ≥ 1; {shapeName}[{i}] is {shape[i]} (shape {Describe(shape)}).", shapeName);
            count *= shape[i];
            if (count > int.MaxValue)
                throw new ArgumentException($"The shape {Describe(shape)} has more than {int.MaxValue} elements.", shapeName);
        }
        return (int)count;
    }

    /// <summary>Checks that a mask has exactly the element count of its shape.</summary>
    public static void RequireLength(int length, int expected, ReadOnlySpan<int> shape, string maskName)
    {
        if (length != expected)
            throw new ArgumentException(
                $"{maskName} has {length} elements but the shape {Describe(shape)} needs {expected}.", maskName);
    }

    /// <summary>Checks that every element is 0 or 1; the message gives the first offending index and value.</summary>
    public static void RequireBinary(ReadOnlySpan<byte> mask, string maskName)
    {
        int bad = mask.IndexOfAnyExcept((byte)0, (byte)1);
        if (bad >= 0)
            throw new ArgumentException(
                $"{maskName} must be binary (0 or 1); element {bad} is {mask[bad]}.", maskName);
    }

    /// <summary>Returns the spacing to use: one positive finite value per axis, or all ones when <paramref name="spacing"/> is empty.</summary>
    public static double[] Spacing(ReadOnlySpan<double> spacing, int rank, string spacingName)
    {
        if (spacing.IsEmpty)
        {
            var ones = new double[rank];
            Array.Fill(ones, 1.0);
            return ones;
        }
        if (spacing.Length != rank)
            throw new ArgumentException(
                $"{spacingName} must have one value per spatial axis ({rank}); got {spacing.Length} values.", spacingName);
        for (int i = 0; i < spacing.Length; i++)
        {
            if (!(spacing[i] > 0) || double.IsInfinity(spacing[i]))
                throw new ArgumentException(
                    $"Every spacing must be positive and finite; {spacingName}[{i}] is {spacing[i]}.", spacingName);
        }
        return spacing.ToArray();
    }

    /// <summary>Checks a batched one-hot shape (B, C, *S) and returns (B·C, spatial element count).</summary>
    public static (int Planes, int PlaneSize) Batched(ReadOnlySpan<int> shape, string shapeName)
    {
        if (shape.Length < 3)
            throw new ArgumentException(
                $"A batched shape is (B, C, *spatial) with at least one spatial axis; got {Describe(shape)}.", shapeName);
        int total = ElementCount(shape, shapeName);
        int planes = shape[0] * shape[1];
        return (planes, total / planes);
    }

    /// <summary>Formats a shape as <c>(2, 3, 4)</c> for messages.</summary>
    public static string Describe(ReadOnlySpan<int> shape) => "(" + string.Join(", ", shape.ToArray()) + ")";
}
