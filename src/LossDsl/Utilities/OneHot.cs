using System;
using System.Numerics;
using LossDsl.Distance;

namespace LossDsl.Utilities;

/// <summary>
/// One-hot encodings laid out <c>(B, K, *S)</c> (C order) and class-index labels <c>(B, *S)</c>: the reference's
/// <c>class2one_hot</c>, <c>probs2class</c>, <c>probs2one_hot</c> and <c>one_hot</c> check, for spans and arrays
/// (TorchSharp forms in <c>OneHot.Torch.cs</c>).
/// </summary>
public static partial class OneHot
{
    /// <summary>Labels <c>(B, *S)</c> with values in 0…K−1 → one-hot <c>(B, K, *S)</c> (1 for the labelled class, else 0).</summary>
    /// <param name="labels">Class indices, C order.</param>
    /// <param name="shape">The label shape <c>(B, *S)</c>, at least one spatial axis.</param>
    /// <param name="numClasses">K.</param>
    /// <param name="output">Receives <c>B·K·|S|</c> values.</param>
    /// <exception cref="ArgumentException">A label outside 0…K−1 (the message gives batch item, position and value), or inconsistent lengths.</exception>
    public static void FromLabels<T>(ReadOnlySpan<int> labels, ReadOnlySpan<int> shape, int numClasses, Span<T> output)
        where T : INumberBase<T>
    {
        var (batch, plane) = LabelLayout(shape, nameof(shape));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numClasses);
        Checks.Length(labels.Length, (long)batch * plane, shape, nameof(labels));
        if (output.Length != (long)batch * numClasses * plane)
            throw new ArgumentException($"{nameof(output)} has {output.Length} elements but (B, K, *S) with K = {numClasses} needs {(long)batch * numClasses * plane}.", nameof(output));
        output.Clear();
        for (int b = 0; b < batch; b++)
        {
            var lab = labels.Slice(b * plane, plane);
            int outBase = b * numClasses * plane;
            for (int i = 0; i < plane; i++)
            {
                int k = lab[i];
                if ((uint)k >= (uint)numClasses)
                    throw new ArgumentException($"Label {k} at batch item {b}, position {Checks.Position(i, shape[1..])} is outside 0…{numClasses - 1} (K = {numClasses}).", nameof(labels));
                output[outBase + k * plane + i] = T.One;
            }
        }
    }

    /// <summary>Array form of <see cref="FromLabels{T}(ReadOnlySpan{int}, ReadOnlySpan{int}, int, Span{T})"/>: returns a new byte one-hot <c>(B, K, *S)</c>.</summary>
    /// <exception cref="ArgumentException">A label outside 0…K−1, or inconsistent lengths.</exception>
    public static byte[] FromLabels(int[] labels, int[] shape, int numClasses)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numClasses);
        var output = new byte[checked((long)labels.Length * numClasses)];
        FromLabels<byte>(labels, shape, numClasses, output);
        return output;
    }

    /// <summary>Probabilities (or scores) <c>(B, K, *S)</c> → class indices <c>(B, *S)</c> (argmax over K; the first maximum wins, as in PyTorch).</summary>
    /// <exception cref="ArgumentException">Inconsistent lengths.</exception>
    public static void Argmax<T>(ReadOnlySpan<T> probs, ReadOnlySpan<int> shape, Span<int> output)
        where T : INumber<T>
    {
        var (batch, classes, plane) = ClassLayout(shape, nameof(shape));
        Checks.Length(probs.Length, (long)batch * classes * plane, shape, nameof(probs));
        if (output.Length != (long)batch * plane)
            throw new ArgumentException($"{nameof(output)} has {output.Length} elements but (B, *S) needs {(long)batch * plane}.", nameof(output));
        for (int b = 0; b < batch; b++)
        {
            var best = output.Slice(b * plane, plane);
            best.Clear();
            var sample = probs.Slice(b * classes * plane, classes * plane);
            for (int k = 1; k < classes; k++)
            {
                var p = sample.Slice(k * plane, plane);
                for (int i = 0; i < plane; i++)
                {
                    if (p[i] > sample[best[i] * plane + i]) best[i] = k;
                }
            }
        }
    }

    /// <summary>Array form of <see cref="Argmax{T}(ReadOnlySpan{T}, ReadOnlySpan{int}, Span{int})"/>.</summary>
    /// <exception cref="ArgumentException">Inconsistent lengths.</exception>
    public static int[] Argmax(float[] probs, int[] shape)
    {
        ArgumentNullException.ThrowIfNull(probs);
        ArgumentNullException.ThrowIfNull(shape);
        var (batch, _, plane) = ClassLayout(shape, nameof(shape));
        var output = new int[(long)batch * plane];
        Argmax<float>(probs, shape, output);
        return output;
    }

    /// <summary>Probabilities <c>(B, K, *S)</c> → one-hot of the argmax <c>(B, K, *S)</c> (reference <c>probs2one_hot</c>).</summary>
    /// <exception cref="ArgumentException">Inconsistent lengths.</exception>
    public static void FromProbabilities<T, TOut>(ReadOnlySpan<T> probs, ReadOnlySpan<int> shape, Span<TOut> output)
        where T : INumber<T>
        where TOut : INumberBase<TOut>
    {
        var (batch, classes, plane) = ClassLayout(shape, nameof(shape));
        Checks.Length(output.Length, (long)batch * classes * plane, shape, nameof(output));
        var arg = new int[(long)batch * plane];
        Argmax(probs, shape, arg);
        Span<int> labelShape = stackalloc int[shape.Length - 1];
        labelShape[0] = batch;
        shape[2..].CopyTo(labelShape[1..]);
        FromLabels(arg, labelShape, classes, output);
    }

    /// <summary>Array form of <see cref="FromProbabilities{T, TOut}(ReadOnlySpan{T}, ReadOnlySpan{int}, Span{TOut})"/> (float in, float one-hot out).</summary>
    /// <exception cref="ArgumentException">Inconsistent lengths.</exception>
    public static float[] FromProbabilities(float[] probs, int[] shape)
    {
        ArgumentNullException.ThrowIfNull(probs);
        var output = new float[probs.Length];
        FromProbabilities<float, float>(probs, shape, output);
        return output;
    }

    /// <summary>
    /// Throws unless <paramref name="values"/> <c>(B, K, *S)</c> is one-hot: every value 0 or 1 and exactly one class set at
    /// each position (reference <c>one_hot</c>).
    /// </summary>
    /// <exception cref="ArgumentException">Says where (batch item, class, position) and what was found.</exception>
    public static void Check<T>(ReadOnlySpan<T> values, ReadOnlySpan<int> shape)
        where T : INumberBase<T>
    {
        var (batch, classes, plane) = ClassLayout(shape, nameof(shape));
        Checks.Length(values.Length, (long)batch * classes * plane, shape, nameof(values));
        var spatial = shape[2..];
        var count = new int[plane];
        for (int b = 0; b < batch; b++)
        {
            Array.Clear(count);
            for (int k = 0; k < classes; k++)
            {
                var p = values.Slice((b * classes + k) * plane, plane);
                for (int i = 0; i < plane; i++)
                {
                    T v = p[i];
                    if (T.IsZero(v)) continue;
                    if (v != T.One)
                        throw new ArgumentException($"Not one-hot: value {v} at batch item {b}, class {k}, position {Checks.Position(i, spatial)}; expected 0 or 1.", nameof(values));
                    count[i]++;
                }
            }
            for (int i = 0; i < plane; i++)
            {
                if (count[i] != 1)
                    throw new ArgumentException($"Not one-hot: at batch item {b}, position {Checks.Position(i, spatial)}, {count[i]} of {classes} classes are set (off by {count[i] - 1}); expected exactly 1.", nameof(values));
            }
        }
    }

    /// <summary>Validates <c>(B, K, *S)</c>; returns B, K and the spatial element count.</summary>
    internal static (int Batch, int Classes, int Plane) ClassLayout(ReadOnlySpan<int> shape, string name)
    {
        if (shape.Length < 3)
            throw new ArgumentException($"Expected shape (B, K, *spatial) with at least one spatial axis; got ({Checks.Show(shape)}).", name);
        long total = Checks.Grid(shape, default, name, "spacing");
        long plane = total == 0 ? 0 : total / ((long)shape[0] * shape[1]);
        return (shape[0], shape[1], checked((int)plane));
    }

    /// <summary>Validates <c>(B, *S)</c>; returns B and the spatial element count.</summary>
    internal static (int Batch, int Plane) LabelLayout(ReadOnlySpan<int> shape, string name)
    {
        if (shape.Length < 2)
            throw new ArgumentException($"Expected label shape (B, *spatial) with at least one spatial axis; got ({Checks.Show(shape)}).", name);
        Checks.Grid(shape, default, name, "spacing");
        long plane = 1;
        foreach (int d in shape[1..]) plane *= d;
        return (shape[0], checked((int)plane));
    }
}
