using System;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace LossDsl.Cpu;

/// <summary>Argument checks of the generated CPU entry points; every failure names the argument and the shapes involved.</summary>
public static class CpuArguments
{
    /// <summary>The shape of the first field argument, which every other field must match.</summary>
    public static FieldShape ShapeOf<T>(ReadOnlyTensorSpan<T> field, string name)
    {
        var lengths = field.Lengths;
        var description = Describe(lengths);
        if (lengths.Length < 2)
        {
            throw new ArgumentException($"{name} must be laid out (B, C, *spatial) with at least 2 dimensions, but its shape is {description}.", name);
        }

        long positions = 1;
        for (var axis = 2; axis < lengths.Length; axis++)
        {
            positions *= lengths[axis];
        }

        if (lengths[0] == 0 || lengths[1] == 0 || positions == 0)
        {
            throw new ArgumentException($"{name} is empty: shape {description}; a loss needs at least one batch item, class and position.", name);
        }

        if ((long)lengths[0] * lengths[1] * positions > int.MaxValue)
        {
            throw new ArgumentException($"{name} has shape {description}, more than {int.MaxValue} elements; split the batch.", name);
        }

        return new FieldShape((int)lengths[0], (int)lengths[1], (int)positions, description);
    }

    /// <summary>Checks that <paramref name="field"/> has exactly the shape of the first field.</summary>
    public static void RequireShape<T>(ReadOnlyTensorSpan<T> field, string name, FieldShape shape, string firstName, ReadOnlyTensorSpan<T> first)
    {
        if (!field.Lengths.SequenceEqual(first.Lengths))
        {
            throw new ArgumentException(
                $"all fields of one loss must have the same shape, but {name} is {Describe(field.Lengths)} and {firstName} is {shape.Description}.",
                name);
        }
    }

    /// <summary>The elements of a field in (B, C, *spatial) order; the field must be dense (contiguous).</summary>
    public static ReadOnlySpan<T> Data<T>(ReadOnlyTensorSpan<T> field, string name)
    {
        if (!field.IsDense)
        {
            throw new ArgumentException($"{name} must be contiguous (dense, row-major); copy it into a dense tensor first.", name);
        }

        return MemoryMarshal.CreateReadOnlySpan(in field.GetPinnableReference(), checked((int)field.FlattenedLength));
    }

    /// <summary>
    /// The destination of a gradient: empty (not wanted) or dense and shaped exactly like the first field.
    /// </summary>
    public static Span<T> Gradient<T>(TensorSpan<T> gradient, string name, FieldShape shape, string firstName, ReadOnlyTensorSpan<T> first)
    {
        if (gradient.IsEmpty)
        {
            return Span<T>.Empty;
        }

        if (!gradient.Lengths.SequenceEqual(first.Lengths))
        {
            throw new ArgumentException(
                $"{name} must be empty (gradient not wanted) or have the shape of the fields, {shape.Description} (from {firstName}), but it is {Describe(gradient.Lengths)}.",
                name);
        }

        if (!gradient.IsDense)
        {
            throw new ArgumentException($"{name} must be contiguous (dense, row-major).", name);
        }

        return MemoryMarshal.CreateSpan(ref gradient.GetPinnableReference(), checked((int)gradient.FlattenedLength));
    }

    /// <summary>Checks a class list: not null, not empty, every index in 0..C−1.</summary>
    public static int[] ClassList(int[]? classes, string name, FieldShape shape)
    {
        if (classes is null)
        {
            throw new ArgumentNullException(name, $"{name} (the list of classes to use) is null.");
        }

        if (classes.Length == 0)
        {
            throw new ArgumentException($"{name} is empty: list at least one class index in 0..{shape.Classes - 1}.", name);
        }

        for (var i = 0; i < classes.Length; i++)
        {
            if ((uint)classes[i] >= (uint)shape.Classes)
            {
                throw new ArgumentException(
                    $"{name}[{i}] = {classes[i]} is not a class of fields of shape {shape.Description}: use indices 0..{shape.Classes - 1}.",
                    name);
            }
        }

        return classes;
    }

    /// <summary>A field given as an array: it must not be null.</summary>
    public static FieldArray<T> NotNull<T>(FieldArray<T>? field, string name) =>
        field ?? throw new ArgumentNullException(name, $"{name} is null: pass a FieldArray of shape (B, C, *spatial).");

    /// <summary>A shape as people write it, e.g. <c>(2, 3, 17, 9)</c>.</summary>
    public static string Describe(ReadOnlySpan<nint> lengths)
    {
        var parts = new string[lengths.Length];
        for (var i = 0; i < lengths.Length; i++)
        {
            parts[i] = lengths[i].ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return "(" + string.Join(", ", parts) + ")";
    }
}
