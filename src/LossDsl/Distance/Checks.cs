using System;

namespace LossDsl.Distance;

/// <summary>Argument checks shared by the distance APIs; messages name the argument and the values seen.</summary>
internal static class Checks
{
    /// <summary>Validates a spatial shape and its spacing; returns the element count.</summary>
    public static long Grid(ReadOnlySpan<int> shape, ReadOnlySpan<double> spacing, string shapeName, string spacingName)
    {
        if (shape.IsEmpty)
            throw new ArgumentException("The shape needs at least one axis.", shapeName);
        long count = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] < 0)
                throw new ArgumentException($"{shapeName}[{i}] is {shape[i]}; dimensions must be ≥ 0 (shape ({Show(shape)})).", shapeName);
            count = checked(count * shape[i]);
        }
        if (!spacing.IsEmpty)
        {
            if (spacing.Length != shape.Length)
                throw new ArgumentException($"{spacingName} has {spacing.Length} values ({Show(spacing)}) but the shape ({Show(shape)}) has {shape.Length} axes; give one spacing per axis, in array order.", spacingName);
            for (int i = 0; i < spacing.Length; i++)
            {
                if (!double.IsFinite(spacing[i]) || spacing[i] <= 0)
                    throw new ArgumentException($"{spacingName}[{i}] is {spacing[i]}; every spacing must be a positive finite number ({spacingName} ({Show(spacing)})).", spacingName);
            }
        }
        return count;
    }

    public static void Length(int actual, long expected, ReadOnlySpan<int> shape, string name)
    {
        if (actual != expected)
            throw new ArgumentException($"{name} has {actual} elements but the shape ({Show(shape)}) needs {expected}.", name);
    }

    public static void Parallelism(int maxDegreeOfParallelism)
    {
        if (maxDegreeOfParallelism == 0 || maxDegreeOfParallelism < -1)
            throw new ArgumentOutOfRangeException(nameof(maxDegreeOfParallelism), maxDegreeOfParallelism, "Use −1 (all processors) or a positive thread count.");
    }

    public static string Show(ReadOnlySpan<int> values) => string.Join(", ", values.ToArray());

    public static string Show(ReadOnlySpan<double> values) => string.Join(", ", values.ToArray());

    /// <summary>Describes a flat index within a spatial shape as a position tuple, e.g. <c>(3, 17)</c>.</summary>
    public static string Position(long flat, ReadOnlySpan<int> shape)
    {
        var pos = new long[shape.Length];
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            pos[i] = shape[i] == 0 ? 0 : flat % shape[i];
            flat = shape[i] == 0 ? 0 : flat / shape[i];
        }
        return "(" + string.Join(", ", pos) + ")";
    }
}
