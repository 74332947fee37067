using System;
using LossDsl.Distance;
using LossDsl.Utilities;
using static TorchSharp.torch;

namespace LossDsl;

public static partial class SegmentationLosses
{
    // Class-index labels (B, *S) are what most data loaders produce. These wrappers one-hot them on the fly (on the
    // labels' device, in the prediction's dtype) and call the fused loss; the one-hot is released before returning
    // (autograd keeps what the backward needs). On the CPU back end, one-hot with OneHot.FromLabels first.

    /// <summary><c>CrossEntropy</c> against class-index labels <c>(B, *S)</c> (integer tensor with values in 0…C−1).</summary>
    /// <param name="probs">Softmax probabilities (B, C, *S).</param>
    /// <param name="labels">Class indices (B, *S), integer dtype.</param>
    /// <param name="idc">The classes to supervise.</param>
    /// <returns>The loss, a 0-dim tensor owned by the caller.</returns>
    /// <exception cref="ArgumentException">Labels are not integers, do not match the prediction's shape, or fall outside 0…C−1.</exception>
    public static Tensor CrossEntropyForLabels(Tensor probs, Tensor labels, int[] idc)
    {
        using var y = Target(probs, labels);
        return CrossEntropy(probs, y, idc);
    }

    /// <summary><c>CrossEntropyFromLogits</c> against class-index labels (like <c>torch.nn.functional.cross_entropy</c>, with <c>idc</c>).</summary>
    /// <param name="logits">Unnormalised scores (B, C, *S).</param>
    /// <param name="labels">Class indices (B, *S), integer dtype.</param>
    /// <param name="idc">The classes to supervise.</param>
    /// <returns>The loss, a 0-dim tensor owned by the caller.</returns>
    /// <exception cref="ArgumentException">Labels are not integers, do not match the prediction's shape, or fall outside 0…C−1.</exception>
    public static Tensor CrossEntropyFromLogitsForLabels(Tensor logits, Tensor labels, int[] idc)
    {
        using var y = Target(logits, labels);
        return CrossEntropyFromLogits(logits, y, idc);
    }

    /// <summary><c>Dice</c> against class-index labels.</summary>
    /// <param name="probs">Softmax probabilities (B, C, *S).</param>
    /// <param name="labels">Class indices (B, *S), integer dtype.</param>
    /// <param name="idc">The classes to supervise.</param>
    /// <returns>The loss, a 0-dim tensor owned by the caller.</returns>
    /// <exception cref="ArgumentException">Labels are not integers, do not match the prediction's shape, or fall outside 0…C−1.</exception>
    public static Tensor DiceForLabels(Tensor probs, Tensor labels, int[] idc)
    {
        using var y = Target(probs, labels);
        return Dice(probs, y, idc);
    }

    /// <summary><c>DiceFromLogits</c> against class-index labels.</summary>
    /// <param name="logits">Unnormalised scores (B, C, *S).</param>
    /// <param name="labels">Class indices (B, *S), integer dtype.</param>
    /// <param name="idc">The classes to supervise.</param>
    /// <returns>The loss, a 0-dim tensor owned by the caller.</returns>
    /// <exception cref="ArgumentException">Labels are not integers, do not match the prediction's shape, or fall outside 0…C−1.</exception>
    public static Tensor DiceFromLogitsForLabels(Tensor logits, Tensor labels, int[] idc)
    {
        using var y = Target(logits, labels);
        return DiceFromLogits(logits, y, idc);
    }

    /// <summary><c>GeneralizedDice</c> (reference weights) against class-index labels.</summary>
    /// <param name="probs">Softmax probabilities (B, C, *S).</param>
    /// <param name="labels">Class indices (B, *S), integer dtype.</param>
    /// <param name="idc">The classes to supervise.</param>
    /// <returns>The loss, a 0-dim tensor owned by the caller.</returns>
    /// <exception cref="ArgumentException">Labels are not integers, do not match the prediction's shape, or fall outside 0…C−1.</exception>
    public static Tensor GeneralizedDiceForLabels(Tensor probs, Tensor labels, int[] idc)
    {
        using var y = Target(probs, labels);
        return GeneralizedDice(probs, y, idc);
    }

    /// <summary><c>GeneralizedDiceFromLogits</c> against class-index labels.</summary>
    /// <param name="logits">Unnormalised scores (B, C, *S).</param>
    /// <param name="labels">Class indices (B, *S), integer dtype.</param>
    /// <param name="idc">The classes to supervise.</param>
    /// <returns>The loss, a 0-dim tensor owned by the caller.</returns>
    /// <exception cref="ArgumentException">Labels are not integers, do not match the prediction's shape, or fall outside 0…C−1.</exception>
    public static Tensor GeneralizedDiceFromLogitsForLabels(Tensor logits, Tensor labels, int[] idc)
    {
        using var y = Target(logits, labels);
        return GeneralizedDiceFromLogits(logits, y, idc);
    }

    /// <summary><c>FocalFromLogits</c> against class-index labels.</summary>
    /// <param name="logits">Unnormalised scores (B, C, *S).</param>
    /// <param name="labels">Class indices (B, *S), integer dtype.</param>
    /// <param name="idc">The classes to supervise.</param>
    /// <param name="gamma">The focusing exponent γ ≥ 0.</param>
    /// <returns>The loss, a 0-dim tensor owned by the caller.</returns>
    /// <exception cref="ArgumentException">Labels are not integers, do not match the prediction's shape, or fall outside 0…C−1.</exception>
    public static Tensor FocalFromLogitsForLabels(Tensor logits, Tensor labels, int[] idc, double gamma)
    {
        using var y = Target(logits, labels);
        return FocalFromLogits(logits, y, idc, gamma);
    }

    /// <summary><c>DiceCrossEntropyFromLogits</c> against class-index labels.</summary>
    /// <param name="logits">Unnormalised scores (B, C, *S).</param>
    /// <param name="labels">Class indices (B, *S), integer dtype.</param>
    /// <param name="idc">The classes both terms look at.</param>
    /// <param name="diceWeight">λ_Dice.</param>
    /// <param name="crossEntropyWeight">λ_CE.</param>
    /// <returns>The loss, a 0-dim tensor owned by the caller.</returns>
    /// <exception cref="ArgumentException">Labels are not integers, do not match the prediction's shape, or fall outside 0…C−1.</exception>
    public static Tensor DiceCrossEntropyFromLogitsForLabels(Tensor logits, Tensor labels, int[] idc, double diceWeight = 1, double crossEntropyWeight = 1)
    {
        using var y = Target(logits, labels);
        return DiceCrossEntropyFromLogits(logits, y, idc, diceWeight, crossEntropyWeight);
    }

    /// <summary>
    /// <c>Boundary</c> with the signed distance maps computed from class-index labels at this call (reference
    /// variant, exact EDT on the CPU). Convenient, but the maps depend only on the ground truth: precompute them once
    /// per image (<c>SignedDistance.FromLabels</c> or <c>lossdsl distmap</c>) in a real training loop.
    /// </summary>
    /// <param name="probs">Softmax probabilities (B, C, *S).</param>
    /// <param name="labels">Class indices (B, *S), integer dtype.</param>
    /// <param name="idc">The classes to supervise.</param>
    /// <param name="spacing">One spacing per spatial axis, or null for unit spacing.</param>
    /// <returns>The loss, a 0-dim tensor owned by the caller.</returns>
    /// <exception cref="ArgumentException">Labels are not integers, do not match the prediction's shape, or fall outside 0…C−1.</exception>
    public static Tensor BoundaryForLabels(Tensor probs, Tensor labels, int[] idc, double[]? spacing = null)
    {
        CheckLabels(probs, labels);
        using var dist = SignedDistance.FromLabels(labels, (int)probs.shape[1], spacing, SignedDistanceVariant.Reference, probs.dtype);
        return Boundary(probs, dist, idc);
    }

    private static Tensor Target(Tensor prediction, Tensor labels)
    {
        CheckLabels(prediction, labels);
        return OneHot.FromLabels(labels, (int)prediction.shape[1], prediction.dtype);
    }

    private static void CheckLabels(Tensor prediction, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(labels);
        if (prediction.dim() < 3)
            throw new ArgumentException($"The prediction must be (B, C, *spatial); got shape ({string.Join(", ", prediction.shape)}).", nameof(prediction));
        long[] expected = [prediction.shape[0], .. prediction.shape[2..]];
        if (!labels.shape.AsSpan().SequenceEqual(expected))
            throw new ArgumentException($"labels have shape ({string.Join(", ", labels.shape)}) but the prediction ({string.Join(", ", prediction.shape)}) needs (B, *S) = ({string.Join(", ", expected)}).", nameof(labels));
    }
}
