using static LossDsl.Dsl;

namespace LossDsl;

public static partial class SegmentationLosses
{
    /// <summary>
    /// Cross-entropy normalised by the number of labelled elements:
    /// <c>−Σ_{b,k∈idc,x} y·log(p + ε) / (Σ_{b,k∈idc,x} y + ε)</c>, ε = 1e-10 (reference <c>CrossEntropy</c>).
    /// </summary>
    /// <remarks>
    /// ≥ 0 for probabilities in [0, 1]. With no labelled element of the selected classes in the batch the value is
    /// 0 (the numerator is 0), not NaN. The ε inside the log bounds each term by −log(1e-10) ≈ 23.
    /// </remarks>
    /// <param name="probs">Softmax probabilities (B, C, *S).</param>
    /// <param name="target">One-hot ground truth (B, C, *S).</param>
    /// <param name="idc">The classes to supervise (often all of them).</param>
    [Loss]
    public static Scalar CrossEntropy(Field probs, Field target, int[] idc)
    {
        var y = Select(target, idc);
        return -Sum(y * Log(Select(probs, idc) + 1e-10)) / (Sum(y) + 1e-10);
    }

    /// <summary>
    /// Cross-entropy of <c>softmax(logits)</c>, computed with a stable log-softmax:
    /// <c>−Σ y·logsoftmax(z) / (Σ y + ε)</c>, ε = 1e-10.
    /// </summary>
    /// <remarks>
    /// Differs from <c>CrossEntropy</c> of the softmax only by the ε inside the log, which the log-softmax does
    /// not need: its gradient is the well-conditioned <c>(softmax − y)/N</c> form for a one-hot y over all classes.
    /// </remarks>
    /// <param name="logits">Unnormalised scores (B, C, *S).</param>
    /// <param name="target">One-hot ground truth (B, C, *S).</param>
    /// <param name="idc">The classes to supervise.</param>
    [Loss]
    public static Scalar CrossEntropyFromLogits(Field logits, Field target, int[] idc)
    {
        var y = Select(target, idc);
        return -Sum(y * Select(LogSoftmax(logits), idc)) / (Sum(y) + 1e-10);
    }

    /// <summary>
    /// Focal loss without α (reference <c>FocalLoss</c>):
    /// <c>−Σ (1 − p)^γ · y · log(p + ε) / (Σ y + ε)</c> over the selected classes, ε = 1e-10.
    /// </summary>
    /// <remarks>γ = 0 is <c>CrossEntropy</c>; larger γ down-weights well-classified elements. ≥ 0; 0 when nothing is labelled.</remarks>
    /// <param name="probs">Softmax probabilities (B, C, *S).</param>
    /// <param name="target">One-hot ground truth (B, C, *S).</param>
    /// <param name="idc">The classes to supervise.</param>
    /// <param name="gamma">The focusing exponent γ ≥ 0 (required; 2 is common).</param>
    [Loss]
    public static Scalar Focal(Field probs, Field target, int[] idc, double gamma)
    {
        var p = Select(probs, idc);
        var y = Select(target, idc);
        return -Sum(Pow(1 - p, gamma) * y * Log(p + 1e-10)) / (Sum(y) + 1e-10);
    }

    /// <summary>
    /// <c>Focal</c> of <c>softmax(logits)</c>, with the log taken as a stable log-softmax (no ε inside the log).
    /// </summary>
    /// <param name="logits">Unnormalised scores (B, C, *S).</param>
    /// <param name="target">One-hot ground truth (B, C, *S).</param>
    /// <param name="idc">The classes to supervise.</param>
    /// <param name="gamma">The focusing exponent γ ≥ 0.</param>
    [Loss]
    public static Scalar FocalFromLogits(Field logits, Field target, int[] idc, double gamma)
    {
        var p = Select(Softmax(logits), idc);
        var y = Select(target, idc);
        return -Sum(Pow(1 - p, gamma) * y * Select(LogSoftmax(logits), idc)) / (Sum(y) + 1e-10);
    }
}
