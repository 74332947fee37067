using static LossDsl.Dsl;

namespace LossDsl;

public static partial class SegmentationLosses
{
    /// <summary>
    /// Soft Dice loss per image and class, averaged (reference <c>DiceLoss</c>):
    /// <c>mean_{b,k∈idc} [1 − (2 Σ_x p y + ε) / (Σ_x p + Σ_x y + ε)]</c>, ε = 1e-10.
    /// </summary>
    /// <remarks>
    /// In [0, 1] for p, y in [0, 1]. A class absent from both prediction and ground truth of an image gives 0 for
    /// that (b, k); absent from the ground truth only gives ≈ 1 (every predicted element is a false positive).
    /// </remarks>
    /// <param name="probs">Softmax (or sigmoid) probabilities (B, C, *S).</param>
    /// <param name="target">One-hot ground truth (B, C, *S).</param>
    /// <param name="idc">The classes to supervise.</param>
    [Loss]
    public static Scalar Dice(Field probs, Field target, int[] idc)
    {
        var p = Select(probs, idc);
        var y = Select(target, idc);
        return Mean(1 - (2 * SumSpatial(p * y) + 1e-10) / (SumSpatial(p) + SumSpatial(y) + 1e-10));
    }

    /// <summary><c>Dice</c> of <c>softmax(logits)</c>, the softmax fused.</summary>
    /// <param name="logits">Unnormalised scores (B, C, *S).</param>
    /// <param name="target">One-hot ground truth (B, C, *S).</param>
    /// <param name="idc">The classes to supervise.</param>
    [Loss]
    public static Scalar DiceFromLogits(Field logits, Field target, int[] idc)
        => Dice(Softmax(logits), target, idc);

    /// <summary>
    /// Generalized Dice loss of Sudre et al. with the reference weights (reference <c>GeneralizedDice</c>):
    /// <c>w_bk = 1/(Σ_x y_bk + ε)²</c>, <c>L = mean_b [1 − 2(Σ_k w Σ_x p y + ε) / (Σ_k w (Σ_x p + Σ_x y) + ε)]</c>,
    /// ε = 1e-10.
    /// </summary>
    /// <remarks>
    /// A class missing from an image's ground truth gets w = 1/ε² = 1e20 (as in the reference): its predicted mass
    /// then dominates the denominator and that image's loss is ≈ 1, with a vanishing gradient elsewhere. Use
    /// <c>GeneralizedDiceMonai</c> to give such classes the image's largest finite weight instead. Within
    /// [0, 1] whenever the weighted denominator is ≫ ε (always, unless an image has no selected class in the ground
    /// truth and exactly zero predicted mass, where the value is the reference's −1).
    /// </remarks>
    /// <param name="probs">Softmax probabilities (B, C, *S).</param>
    /// <param name="target">One-hot ground truth (B, C, *S).</param>
    /// <param name="idc">The classes to supervise (reference runs use all classes, e.g. <c>[0, 1]</c>).</param>
    [Loss]
    public static Scalar GeneralizedDice(Field probs, Field target, int[] idc)
    {
        var p = Select(probs, idc);
        var y = Select(target, idc);
        var w = 1 / Square(SumSpatial(y) + 1e-10);
        var intersection = w * SumSpatial(p * y);
        var union = w * (SumSpatial(p) + SumSpatial(y));
        return Mean(1 - 2 * (SumClasses(intersection) + 1e-10) / (SumClasses(union) + 1e-10));
    }

    /// <summary>
    /// Generalized Dice with MONAI's handling of classes missing from the ground truth: such a class gets the largest
    /// weight among the image's present classes instead of the reference's 1/ε² = 1e20. Weights of present classes
    /// are the reference's <c>1/(Σ_x y + ε)²</c>; everything else as <c>GeneralizedDice</c>.
    /// </summary>
    /// <remarks>
    /// <c>present = step(Σ_x y)</c>, <c>w' = present·w + (1 − present)·max_k(present·w)</c>. An image in which none of
    /// the selected classes is present keeps the reference weights (1e20 for every class), because there is no
    /// finite weight to borrow: its loss is ≈ 1, as in <c>GeneralizedDice</c>, instead of MONAI's 0/0-smoothed value.
    /// The weights do not depend on the prediction, so the gradient with respect to the probabilities has the same
    /// form as for <c>GeneralizedDice</c>.
    /// </remarks>
    /// <param name="probs">Softmax probabilities (B, C, *S).</param>
    /// <param name="target">One-hot ground truth (B, C, *S).</param>
    /// <param name="idc">The classes to supervise.</param>
    [Loss]
    public static Scalar GeneralizedDiceMonai(Field probs, Field target, int[] idc)
    {
        var p = Select(probs, idc);
        var y = Select(target, idc);
        var volume = SumSpatial(y);
        var w = 1 / Square(volume + 1e-10);
        // Step(volume) marks the classes present in each image; the largest present weight stands in for the others.
        var present = Step(volume);
        var anyPresent = MaxClasses(present);
        var borrowed = anyPresent * MaxClasses(present * w) + (1 - anyPresent) * w;
        var weights = present * w + (1 - present) * borrowed;
        var intersection = weights * SumSpatial(p * y);
        var union = weights * (SumSpatial(p) + volume);
        return Mean(1 - 2 * (SumClasses(intersection) + 1e-10) / (SumClasses(union) + 1e-10));
    }

    /// <summary><c>GeneralizedDiceMonai</c> of <c>softmax(logits)</c>, the softmax fused.</summary>
    /// <param name="logits">Unnormalised scores (B, C, *S).</param>
    /// <param name="target">One-hot ground truth (B, C, *S).</param>
    /// <param name="idc">The classes to supervise.</param>
    [Loss]
    public static Scalar GeneralizedDiceMonaiFromLogits(Field logits, Field target, int[] idc)
        => GeneralizedDiceMonai(Softmax(logits), target, idc);

    /// <summary><c>GeneralizedDice</c> of <c>softmax(logits)</c>, the softmax fused.</summary>
    /// <param name="logits">Unnormalised scores (B, C, *S).</param>
    /// <param name="target">One-hot ground truth (B, C, *S).</param>
    /// <param name="idc">The classes to supervise.</param>
    [Loss]
    public static Scalar GeneralizedDiceFromLogits(Field logits, Field target, int[] idc)
        => GeneralizedDice(Softmax(logits), target, idc);

    /// <summary>
    /// Tversky loss (Salehi et al. 2017) per image and class, averaged:
    /// <c>mean_{b,k∈idc} [1 − (TP + ε)/(TP + α·FP + β·FN + ε)]</c>, TP = Σ p y, FP = Σ p(1 − y), FN = Σ (1 − p) y,
    /// ε = 1e-10.
    /// </summary>
    /// <remarks>α = β = 0.5 is <c>Dice</c>; β &gt; α penalises false negatives more (better recall on small
    /// structures). In [0, 1]; 0 for a class absent from both prediction and ground truth.</remarks>
    /// <param name="probs">Softmax (or sigmoid) probabilities (B, C, *S).</param>
    /// <param name="target">One-hot ground truth (B, C, *S).</param>
    /// <param name="idc">The classes to supervise.</param>
    /// <param name="alpha">Weight α of false positives.</param>
    /// <param name="beta">Weight β of false negatives.</param>
    [Loss]
    public static Scalar Tversky(Field probs, Field target, int[] idc, double alpha = 0.3, double beta = 0.7)
    {
        var p = Select(probs, idc);
        var y = Select(target, idc);
        var tp = SumSpatial(p * y);
        var fp = SumSpatial(p * (1 - y));
        var fn = SumSpatial((1 - p) * y);
        return Mean(1 - (tp + 1e-10) / (tp + alpha * fp + beta * fn + 1e-10));
    }

    /// <summary><c>Tversky</c> of <c>softmax(logits)</c>, the softmax fused.</summary>
    /// <param name="logits">Unnormalised scores (B, C, *S).</param>
    /// <param name="target">One-hot ground truth (B, C, *S).</param>
    /// <param name="idc">The classes to supervise.</param>
    /// <param name="alpha">Weight α of false positives.</param>
    /// <param name="beta">Weight β of false negatives.</param>
    [Loss]
    public static Scalar TverskyFromLogits(Field logits, Field target, int[] idc, double alpha = 0.3, double beta = 0.7)
        => Tversky(Softmax(logits), target, idc, alpha, beta);
}
