using static LossDsl.Dsl;

namespace LossDsl;

public static partial class SegmentationLosses
{
    /// <summary>
    /// Generalized Dice and boundary loss in the paper's rebalance form:
    /// <c>(1 − α)·GeneralizedDice(p, y, idc) + α·Boundary(p, φ, idc)</c>.
    /// </summary>
    /// <remarks>
    /// The paper's best schedule starts at α = 0.01 and adds 0.01 per epoch (see <c>LossDsl.Schedules</c>). Both
    /// terms use the same classes; to use different ones (the reference uses all classes for GDL and the foreground
    /// for the boundary term) combine <c>GeneralizedDice</c> and <c>Boundary</c> with a
    /// <c>LossDsl.Schedules.LossCombination</c>.
    /// </remarks>
    /// <param name="probs">Softmax probabilities (B, C, *S).</param>
    /// <param name="target">One-hot ground truth (B, C, *S).</param>
    /// <param name="dist">Signed distance maps of the ground truth (B, C, *S).</param>
    /// <param name="idc">The classes both terms look at.</param>
    /// <param name="alpha">The boundary weight α in [0, 1].</param>
    [Loss]
    public static Scalar GdlBoundary(Field probs, Field target, Field dist, int[] idc, double alpha)
        => (1 - alpha) * GeneralizedDice(probs, target, idc) + alpha * Boundary(probs, dist, idc);

    /// <summary><c>GdlBoundary</c> of <c>softmax(logits)</c>, the softmax fused.</summary>
    /// <param name="logits">Unnormalised scores (B, C, *S).</param>
    /// <param name="target">One-hot ground truth (B, C, *S).</param>
    /// <param name="dist">Signed distance maps of the ground truth (B, C, *S).</param>
    /// <param name="idc">The classes both terms look at.</param>
    /// <param name="alpha">The boundary weight α in [0, 1].</param>
    [Loss]
    public static Scalar GdlBoundaryFromLogits(Field logits, Field target, Field dist, int[] idc, double alpha)
        => GdlBoundary(Softmax(logits), target, dist, idc, alpha);

    /// <summary>
    /// Cross-entropy and boundary loss, rebalance form: <c>(1 − α)·CrossEntropy(p, y, idc) + α·Boundary(p, φ, idc)</c>.
    /// </summary>
    /// <param name="probs">Softmax probabilities (B, C, *S).</param>
    /// <param name="target">One-hot ground truth (B, C, *S).</param>
    /// <param name="dist">Signed distance maps of the ground truth (B, C, *S).</param>
    /// <param name="idc">The classes both terms look at.</param>
    /// <param name="alpha">The boundary weight α in [0, 1].</param>
    [Loss]
    public static Scalar CrossEntropyBoundary(Field probs, Field target, Field dist, int[] idc, double alpha)
        => (1 - alpha) * CrossEntropy(probs, target, idc) + alpha * Boundary(probs, dist, idc);

    /// <summary>
    /// <c>CrossEntropyBoundary</c> of <c>softmax(logits)</c>, with the cross-entropy as a stable log-softmax
    /// (<c>CrossEntropyFromLogits</c>).
    /// </summary>
    /// <param name="logits">Unnormalised scores (B, C, *S).</param>
    /// <param name="target">One-hot ground truth (B, C, *S).</param>
    /// <param name="dist">Signed distance maps of the ground truth (B, C, *S).</param>
    /// <param name="idc">The classes both terms look at.</param>
    /// <param name="alpha">The boundary weight α in [0, 1].</param>
    [Loss]
    public static Scalar CrossEntropyBoundaryFromLogits(Field logits, Field target, Field dist, int[] idc, double alpha)
        => (1 - alpha) * CrossEntropyFromLogits(logits, target, idc) + alpha * Boundary(Softmax(logits), dist, idc);

    /// <summary>
    /// Dice plus cross-entropy (as MONAI's <c>DiceCELoss</c>, with the reference's Dice and cross-entropy):
    /// <c>λ_Dice·Dice(p, y, idc) + λ_CE·CrossEntropy(p, y, idc)</c>.
    /// </summary>
    /// <param name="probs">Softmax probabilities (B, C, *S).</param>
    /// <param name="target">One-hot ground truth (B, C, *S).</param>
    /// <param name="idc">The classes both terms look at.</param>
    /// <param name="diceWeight">λ_Dice.</param>
    /// <param name="crossEntropyWeight">λ_CE.</param>
    [Loss]
    public static Scalar DiceCrossEntropy(Field probs, Field target, int[] idc, double diceWeight = 1, double crossEntropyWeight = 1)
        => diceWeight * Dice(probs, target, idc) + crossEntropyWeight * CrossEntropy(probs, target, idc);

    /// <summary>
    /// <c>DiceCrossEntropy</c> of <c>softmax(logits)</c>, with the cross-entropy as a stable log-softmax.
    /// </summary>
    /// <param name="logits">Unnormalised scores (B, C, *S).</param>
    /// <param name="target">One-hot ground truth (B, C, *S).</param>
    /// <param name="idc">The classes both terms look at.</param>
    /// <param name="diceWeight">λ_Dice.</param>
    /// <param name="crossEntropyWeight">λ_CE.</param>
    [Loss]
    public static Scalar DiceCrossEntropyFromLogits(Field logits, Field target, int[] idc, double diceWeight = 1, double crossEntropyWeight = 1)
        => diceWeight * Dice(Softmax(logits), target, idc) + crossEntropyWeight * CrossEntropyFromLogits(logits, target, idc);
}
