using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace LossDsl.Utilities;

public static partial class OneHot
{
    /// <summary>
    /// TorchSharp: labels <c>(B, *S)</c> (integer dtype) → one-hot <c>(B, K, *S)</c> of <paramref name="dtype"/>, on the
    /// labels' device (reference <c>class2one_hot</c>).
    /// </summary>
    /// <exception cref="ArgumentException">Not an integer tensor, or a label outside 0…K−1 (the message gives batch item and position).</exception>
    public static Tensor FromLabels(Tensor labels, int numClasses, ScalarType dtype = ScalarType.Float32)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numClasses);
        if (labels.is_floating_point() || labels.is_complex() || labels.dim() < 2)
            throw new ArgumentException($"Expected integer labels (B, *spatial); got {labels.dtype} of shape ({string.Join(", ", labels.shape)}).", nameof(labels));
        using (var scope = NewDisposeScope())
        {
            var bad = labels.lt(0).logical_or(labels.ge(numClasses));
            if (bad.any().item<bool>())
            {
                long[] at = bad.nonzero()[0].to(CPU).data<long>().ToArray();
                long value = labels[at.Select(i => TensorIndex.Single(i)).ToArray()].item<long>();
                throw new ArgumentException($"Label {value} at batch item {at[0]}, position ({string.Join(", ", at.Skip(1))}) is outside 0…{numClasses - 1} (K = {numClasses}).", nameof(labels));
            }
        }
        using var hot = nn.functional.one_hot(labels.to_type(ScalarType.Int64), numClasses);
        using var moved = hot.movedim([-1L], [1L]);
        return moved.to_type(dtype).contiguous();
    }

    /// <summary>TorchSharp: probabilities <c>(B, K, *S)</c> → class indices <c>(B, *S)</c> (int64, argmax over K; reference <c>probs2class</c>).</summary>
    public static Tensor Argmax(Tensor probs)
    {
        ArgumentNullException.ThrowIfNull(probs);
        RequireClassAxis(probs, nameof(probs));
        return probs.argmax(1);
    }

    /// <summary>TorchSharp: probabilities <c>(B, K, *S)</c> → one-hot of the argmax, same dtype and device (reference <c>probs2one_hot</c>).</summary>
    public static Tensor FromProbabilities(Tensor probs)
    {
        ArgumentNullException.ThrowIfNull(probs);
        RequireClassAxis(probs, nameof(probs));
        using var arg = probs.argmax(1);
        return FromLabels(arg, (int)probs.shape[1], probs.dtype);
    }

    /// <summary>TorchSharp: throws unless <paramref name="values"/> <c>(B, K, *S)</c> is one-hot (0/1, exactly one class per position).</summary>
    /// <exception cref="ArgumentException">Says where (batch item, class, position) and what was found.</exception>
    public static void Check(Tensor values)
    {
        ArgumentNullException.ThrowIfNull(values);
        RequireClassAxis(values, nameof(values));
        using var scope = NewDisposeScope();
        var bad = values.ne(0).logical_and(values.ne(1));
        if (bad.any().item<bool>())
        {
            long[] at = bad.nonzero()[0].to(CPU).data<long>().ToArray();
            double v = values[at.Select(i => TensorIndex.Single(i)).ToArray()].item<double>();
            throw new ArgumentException($"Not one-hot: value {v} at batch item {at[0]}, class {at[1]}, position ({string.Join(", ", at.Skip(2))}); expected 0 or 1.", nameof(values));
        }
        var counts = values.ne(0).sum(1);
        var wrong = counts.ne(1);
        if (wrong.any().item<bool>())
        {
            long[] at = wrong.nonzero()[0].to(CPU).data<long>().ToArray();
            long c = counts[at.Select(i => TensorIndex.Single(i)).ToArray()].item<long>();
            throw new ArgumentException($"Not one-hot: at batch item {at[0]}, position ({string.Join(", ", at.Skip(1))}), {c} of {values.shape[1]} classes are set (off by {c - 1}); expected exactly 1.", nameof(values));
        }
    }

    internal static void RequireClassAxis(Tensor t, string name)
    {
        if (t.dim() < 3)
            throw new ArgumentException($"Expected shape (B, K, *spatial) with at least one spatial axis; got ({string.Join(", ", t.shape)}).", name);
    }
}
