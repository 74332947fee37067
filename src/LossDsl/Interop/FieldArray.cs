using System;
using System.Linq;
using System.Numerics.Tensors;

namespace LossDsl;

/// <summary>
/// A dense field as a plain array plus its shape <c>(B, C, *spatial)</c> (C order): the array alternative to
/// <see cref="ReadOnlyTensorSpan{T}"/> for callers that cannot hold a ref struct (F# closures, async code, fields of
/// classes). Converts implicitly to <see cref="ReadOnlyTensorSpan{T}"/> and <see cref="TensorSpan{T}"/> over the same
/// memory, so it can be passed to every generated <c>NameCpu</c>/<c>NameCpuGradient</c> entry point.
/// </summary>
/// <typeparam name="T">The element type (float or double for the generated losses).</typeparam>
/// <example>
/// F#: <c>SegmentationLosses.BoundaryCpu(FieldArray(probs, shape).AsReadOnlyTensorSpan(), FieldArray(dist, shape).AsReadOnlyTensorSpan(), [| 1 |])</c>.
/// </example>
public sealed class FieldArray<T>
{
    private readonly int[] _shape;

    /// <summary>Wraps <paramref name="data"/> (not copied) with a shape.</summary>
    /// <param name="data">The elements, C order; its length must be the product of <paramref name="shape"/>.</param>
    /// <param name="shape">The dimensions, each ≥ 0.</param>
    /// <exception cref="ArgumentException">A negative dimension, or a length that does not match the shape.</exception>
    public FieldArray(T[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Any(n => n < 0))
            throw new ArgumentException($"Dimensions must be ≥ 0; got ({string.Join(", ", shape)}).", nameof(shape));
        long count = shape.Aggregate(1L, (a, n) => a * n);
        if (count != data.Length)
            throw new ArgumentException($"{nameof(data)} has {data.Length} elements but shape ({string.Join(", ", shape)}) needs {count}.", nameof(data));
        Data = data;
        _shape = (int[])shape.Clone();
    }

    /// <summary>The elements (the wrapped array itself).</summary>
    public T[] Data { get; }

    /// <summary>The dimensions (a copy).</summary>
    public int[] Shape => (int[])_shape.Clone();

    /// <summary>The number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>The number of elements.</summary>
    public int Length => Data.Length;

    /// <summary>A new zero-filled field of the given shape (e.g. to receive a gradient).</summary>
    /// <exception cref="ArgumentException">A negative dimension.</exception>
    public static FieldArray<T> Zeros(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Any(n => n < 0))
            throw new ArgumentException($"Dimensions must be ≥ 0; got ({string.Join(", ", shape)}).", nameof(shape));
        return new FieldArray<T>(new T[shape.Aggregate(1L, (a, n) => a * n)], shape);
    }

    /// <summary>A new zero-filled field shaped like this one.</summary>
    public FieldArray<T> ZerosLike() => Zeros(_shape);

    /// <summary>A read-only tensor span over <see cref="Data"/> with <see cref="Shape"/>.</summary>
    public ReadOnlyTensorSpan<T> AsReadOnlyTensorSpan() => new(Data, Lengths());

    /// <summary>A writable tensor span over <see cref="Data"/> with <see cref="Shape"/> (for gradients).</summary>
    public TensorSpan<T> AsTensorSpan() => new(Data, Lengths());

    /// <summary>The empty span the generated <c>NameCpuGradient</c> entry points read as "this gradient is not wanted".</summary>
    public static TensorSpan<T> NotWanted() => default;

    /// <summary>The field as a read-only tensor span.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="field"/> is null.</exception>
    public static implicit operator ReadOnlyTensorSpan<T>(FieldArray<T> field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return field.AsReadOnlyTensorSpan();
    }

    /// <summary>The field as a writable tensor span.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="field"/> is null.</exception>
    public static implicit operator TensorSpan<T>(FieldArray<T> field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return field.AsTensorSpan();
    }

    /// <summary>
    /// A new TorchSharp tensor (CPU) with a copy of the data and this shape: float32 for <c>float</c>, float64 for
    /// <c>double</c>.
    /// </summary>
    /// <param name="requiresGrad">Whether the tensor records gradients (a leaf for <c>backward()</c>).</param>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public TorchSharp.torch.Tensor ToTensor(bool requiresGrad = false)
    {
        long[] dims = _shape.Select(n => (long)n).ToArray();
        return Data switch
        {
            float[] f => TorchSharp.torch.tensor((float[])f.Clone(), dims, requires_grad: requiresGrad),
            double[] d => TorchSharp.torch.tensor((double[])d.Clone(), dims, requires_grad: requiresGrad),
            _ => throw new NotSupportedException($"{nameof(ToTensor)} supports float and double fields; this one holds {typeof(T).Name}."),
        };
    }

    /// <summary>"FieldArray&lt;Double&gt;(2, 3, 4, 4)".</summary>
    public override string ToString() => $"FieldArray<{typeof(T).Name}>({string.Join(", ", _shape)})";

    private nint[] Lengths() => _shape.Select(n => (nint)n).ToArray();
}

/// <summary>Factory helpers for <see cref="FieldArray{T}"/> (type inference from the array).</summary>
public static class FieldArray
{
    /// <summary>Wraps <paramref name="data"/> with a shape.</summary>
    /// <exception cref="ArgumentException">The length does not match the shape.</exception>
    public static FieldArray<T> Create<T>(T[] data, params int[] shape) => new(data, shape);

    /// <summary>A zero-filled field.</summary>
    public static FieldArray<T> Zeros<T>(params int[] shape) => FieldArray<T>.Zeros(shape);

    /// <summary>A copy of a float32 or float64 tensor (any device) as an array field of the same shape.</summary>
    /// <exception cref="ArgumentException">The tensor's dtype is not <typeparamref name="T"/> (float32 for float, float64 for double).</exception>
    public static FieldArray<T> FromTensor<T>(TorchSharp.torch.Tensor tensor)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var expected = typeof(T) == typeof(float) ? TorchSharp.torch.ScalarType.Float32
            : typeof(T) == typeof(double) ? TorchSharp.torch.ScalarType.Float64
            : throw new ArgumentException($"{nameof(FromTensor)} supports float and double fields, not {typeof(T).Name}.", nameof(tensor));
        if (tensor.dtype != expected)
            throw new ArgumentException($"Expected a {expected} tensor for FieldArray<{typeof(T).Name}>; got {tensor.dtype}.", nameof(tensor));
        using var cpu = tensor.detach().cpu().contiguous();
        return new FieldArray<T>(cpu.data<T>().ToArray(), tensor.shape.Select(n => checked((int)n)).ToArray());
    }
}
