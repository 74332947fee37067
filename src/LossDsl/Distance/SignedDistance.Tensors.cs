using System;
using System.Numerics.Tensors;

namespace LossDsl.Distance;

public static partial class SignedDistance
{
    /// <summary>
    /// System.Numerics.Tensors form of <see cref="FromOneHot(ReadOnlySpan{byte}, ReadOnlySpan{int}, ReadOnlySpan{double}, Span{float}, SignedDistanceVariant, int)"/>:
    /// one-hot <c>(B, K, *S)</c> → <paramref name="output"/> of the same shape. Both must be dense and row-major.
    /// </summary>
    /// <exception cref="ArgumentException">Not dense, shapes differ, bad spacing, or not one-hot (the message says where).</exception>
    public static void FromOneHot(ReadOnlyTensorSpan<byte> oneHot, TensorSpan<float> output, ReadOnlySpan<double> spacing = default, SignedDistanceVariant variant = SignedDistanceVariant.Reference, int maxDegreeOfParallelism = -1)
    {
        var input = TensorSpans.Data(oneHot, nameof(oneHot), out int[] shape);
        var result = TensorSpans.Data(output, nameof(output), out int[] outShape);
        TensorSpans.SameShape(shape, outShape, nameof(oneHot), nameof(output));
        FromOneHot(input, shape, spacing, result, variant, maxDegreeOfParallelism);
    }

    /// <inheritdoc cref="FromOneHot(ReadOnlyTensorSpan{byte}, TensorSpan{float}, ReadOnlySpan{double}, SignedDistanceVariant, int)"/>
    public static void FromOneHot(ReadOnlyTensorSpan<byte> oneHot, TensorSpan<double> output, ReadOnlySpan<double> spacing = default, SignedDistanceVariant variant = SignedDistanceVariant.Reference, int maxDegreeOfParallelism = -1)
    {
        var input = TensorSpans.Data(oneHot, nameof(oneHot), out int[] shape);
        var result = TensorSpans.Data(output, nameof(output), out int[] outShape);
        TensorSpans.SameShape(shape, outShape, nameof(oneHot), nameof(output));
        FromOneHot(input, shape, spacing, result, variant, maxDegreeOfParallelism);
    }

    /// <summary>
    /// System.Numerics.Tensors form of <see cref="FromLabels(ReadOnlySpan{int}, ReadOnlySpan{int}, int, ReadOnlySpan{double}, Span{float}, SignedDistanceVariant, int)"/>:
    /// labels <c>(B, *S)</c> → <paramref name="output"/> <c>(B, K, *S)</c>. Both must be dense and row-major.
    /// </summary>
    /// <exception cref="ArgumentException">Not dense, wrong output shape, bad spacing, or a label outside 0…K−1 (the message says where).</exception>
    public static void FromLabels(ReadOnlyTensorSpan<int> labels, int numClasses, TensorSpan<float> output, ReadOnlySpan<double> spacing = default, SignedDistanceVariant variant = SignedDistanceVariant.Reference, int maxDegreeOfParallelism = -1)
    {
        var input = TensorSpans.Data(labels, nameof(labels), out int[] shape);
        var result = TensorSpans.Data(output, nameof(output), out int[] outShape);
        TensorSpans.SameShape(OneHotShape(shape, numClasses), outShape, nameof(labels), nameof(output));
        FromLabels(input, shape, numClasses, spacing, result, variant, maxDegreeOfParallelism);
    }

    /// <inheritdoc cref="FromLabels(ReadOnlyTensorSpan{int}, int, TensorSpan{float}, ReadOnlySpan{double}, SignedDistanceVariant, int)"/>
    public static void FromLabels(ReadOnlyTensorSpan<int> labels, int numClasses, TensorSpan<double> output, ReadOnlySpan<double> spacing = default, SignedDistanceVariant variant = SignedDistanceVariant.Reference, int maxDegreeOfParallelism = -1)
    {
        var input = TensorSpans.Data(labels, nameof(labels), out int[] shape);
        var result = TensorSpans.Data(output, nameof(output), out int[] outShape);
        TensorSpans.SameShape(OneHotShape(shape, numClasses), outShape, nameof(labels), nameof(output));
        FromLabels(input, shape, numClasses, spacing, result, variant, maxDegreeOfParallelism);
    }

    private static int[] OneHotShape(int[] labelShape, int numClasses)
        => labelShape.Length < 1 ? [numClasses] : [labelShape[0], numClasses, .. labelShape[1..]];
}
