using System;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace LossDsl.Distance;

/// <summary>Views of System.Numerics.Tensors spans as flat C-order spans plus their shape.</summary>
internal static class TensorSpans
{
    /// <summary>The shape of <paramref name="lengths"/> as ints, checking C-order contiguity of <paramref name="strides"/>.</summary>
    public static int[] Shape(ReadOnlySpan<nint> lengths, ReadOnlySpan<nint> strides, string name)
    {
        var shape = new int[lengths.Length];
        long expected = 1;
        for (int i = lengths.Length - 1; i >= 0; i--)
        {
            shape[i] = checked((int)lengths[i]);
            // Length-1 axes may carry any stride (broadcast views do); others must be row-major and gap-free.
            if (lengths[i] != 1 && strides[i] != expected)
                throw new ArgumentException($"{name} must be dense and row-major (C order); axis {i} has stride {strides[i]}, expected {expected}. Copy it into a dense tensor first.", name);
            expected *= lengths[i];
        }
        return shape;
    }

    public static ReadOnlySpan<T> Data<T>(in ReadOnlyTensorSpan<T> t, string name, out int[] shape)
    {
        shape = Shape(t.Lengths, t.Strides, name);
        return t.FlattenedLength == 0 ? default : MemoryMarshal.CreateReadOnlySpan(in t.GetPinnableReference(), checked((int)t.FlattenedLength));
    }

    public static Span<T> Data<T>(in TensorSpan<T> t, string name, out int[] shape)
    {
        shape = Shape(t.Lengths, t.Strides, name);
        return t.FlattenedLength == 0 ? default : MemoryMarshal.CreateSpan(ref t.GetPinnableReference(), checked((int)t.FlattenedLength));
    }

    public static void SameShape(int[] input, int[] output, string inputName, string outputName)
    {
        if (!input.AsSpan().SequenceEqual(output))
            throw new ArgumentException($"{outputName} has shape ({Checks.Show(output)}) but {inputName} needs ({Checks.Show(input)}).", outputName);
    }
}
