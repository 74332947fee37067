using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;

namespace LossDsl.IO;

/// <summary>
/// An array read from a <c>.npy</c> file: element type, shape (C order) and the raw little-endian bytes.
/// Convert with <see cref="ToByte"/>, <see cref="ToInt32"/>, <see cref="ToInt64"/>, <see cref="ToSingle"/> or <see cref="ToDouble"/>.
/// </summary>
public sealed class NpyArray
{
    private readonly byte[] _data;

    /// <summary>Wraps raw little-endian element bytes; <paramref name="data"/> must hold exactly the product of <paramref name="shape"/> elements.</summary>
    /// <exception cref="ArgumentException">The length of <paramref name="data"/> does not match the shape, or a dimension is negative.</exception>
    public NpyArray(NpyDType dtype, int[] shape, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        long count = Npy.ElementCount(shape, nameof(shape));
        long expected = count * Npy.ItemSize(dtype);
        if (expected != data.LongLength)
            throw new ArgumentException($"Shape ({string.Join(", ", shape)}) of {dtype} needs {expected} bytes, got {data.LongLength}.", nameof(data));
        DType = dtype;
        Shape = (int[])shape.Clone();
        _data = data;
        Length = count;
    }

    /// <summary>The element type.</summary>
    public NpyDType DType { get; }

    /// <summary>The dimensions, outermost first (C order). Empty for a 0-d array.</summary>
    public IReadOnlyList<int> Shape { get; }

    /// <summary>The number of elements (product of <see cref="Shape"/>).</summary>
    public long Length { get; }

    /// <summary>The raw little-endian element bytes.</summary>
    public ReadOnlySpan<byte> RawData => _data;

    /// <summary>The dimensions as a new array.</summary>
    public int[] ShapeArray() => [.. Shape];

    /// <summary>Elements as bytes. Accepts <c>|u1</c>, <c>|b1</c> and integer types whose values fit in 0…255.</summary>
    /// <exception cref="InvalidDataException">Float dtype, or an integer value out of range (the message gives its flat index).</exception>
    public byte[] ToByte()
    {
        if (DType is NpyDType.UInt8 or NpyDType.Bool) return (byte[])_data.Clone();
        var src = ToInt64();
        var dst = new byte[src.Length];
        for (int i = 0; i < src.Length; i++)
        {
            if ((ulong)src[i] > byte.MaxValue)
                throw new InvalidDataException($"Value {src[i]} at flat index {i} does not fit in a byte.");
            dst[i] = (byte)src[i];
        }
        return dst;
    }

    /// <summary>Elements as 32-bit integers. Accepts integer and bool dtypes.</summary>
    /// <exception cref="InvalidDataException">Float dtype, or an <c>&lt;i8</c> value out of range (the message gives its flat index).</exception>
    public int[] ToInt32()
    {
        var dst = new int[Length];
        switch (DType)
        {
            case NpyDType.UInt8 or NpyDType.Bool:
                for (int i = 0; i < dst.Length; i++) dst[i] = _data[i];
                break;
            case NpyDType.Int32:
                MemoryMarshal.Cast<byte, int>(_data).CopyTo(dst);
                break;
            case NpyDType.Int64:
                var src = MemoryMarshal.Cast<byte, long>(_data);
                for (int i = 0; i < dst.Length; i++)
                {
                    if (src[i] is < int.MinValue or > int.MaxValue)
                        throw new InvalidDataException($"Value {src[i]} at flat index {i} does not fit in a 32-bit integer.");
                    dst[i] = (int)src[i];
                }
                break;
            default:
                throw new InvalidDataException($"Expected an integer or bool array, got dtype {Npy.Descr(DType)}.");
        }
        return dst;
    }

    /// <summary>Elements as 64-bit integers. Accepts integer and bool dtypes.</summary>
    /// <exception cref="InvalidDataException">Float dtype.</exception>
    public long[] ToInt64()
    {
        if (DType == NpyDType.Int64) return MemoryMarshal.Cast<byte, long>(_data).ToArray();
        var src = ToInt32();
        var dst = new long[src.Length];
        for (int i = 0; i < src.Length; i++) dst[i] = src[i];
        return dst;
    }

    /// <summary>Elements converted to single precision (any dtype).</summary>
    public float[] ToSingle()
    {
        if (DType == NpyDType.Float32) return MemoryMarshal.Cast<byte, float>(_data).ToArray();
        var src = ToDouble();
        var dst = new float[src.Length];
        for (int i = 0; i < src.Length; i++) dst[i] = (float)src[i];
        return dst;
    }

    /// <summary>Elements converted to double precision (any dtype; <c>&lt;i8</c> beyond 2^53 rounds).</summary>
    public double[] ToDouble()
    {
        var dst = new double[Length];
        switch (DType)
        {
            case NpyDType.UInt8 or NpyDType.Bool:
                for (int i = 0; i < dst.Length; i++) dst[i] = _data[i];
                break;
            case NpyDType.Int32:
                var i4 = MemoryMarshal.Cast<byte, int>(_data);
                for (int i = 0; i < dst.Length; i++) dst[i] = i4[i];
                break;
            case NpyDType.Int64:
                var i8 = MemoryMarshal.Cast<byte, long>(_data);
                for (int i = 0; i < dst.Length; i++) dst[i] = i8[i];
                break;
            case NpyDType.Float32:
                var f4 = MemoryMarshal.Cast<byte, float>(_data);
                for (int i = 0; i < dst.Length; i++) dst[i] = f4[i];
                break;
            default:
                MemoryMarshal.Cast<byte, double>(_data).CopyTo(dst);
                break;
        }
        return dst;
    }
}
