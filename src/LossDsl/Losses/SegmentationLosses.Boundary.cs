using static LossDsl.Dsl;

namespace LossDsl;

public static partial class SegmentationLosses
{
    /// <summary>
    /// Boundary (surface) loss of Kervadec et al.: <c>mean_{b, k∈idc, x} p·φ</c>, probabilities times signed distance
    /// maps of the ground truth (φ &gt; 0 outside the object, ≤ 0 inside; see <c>LossDsl.Distance.SignedDistance</c>).
    /// </summary>
    /// <remarks>
    /// Divides by B·|idc|·|Ω| as the reference does. The value is usually negative near convergence: its minimum
    /// over simplex probabilities is reached at p = y and is ≤ 0 (0 for a class whose map is all zeros). An empty
    /// class has an all-zero map and contributes nothing. Use with a regional loss (<c>GdlBoundary</c>).
    /// </remarks>
    /// <param name="probs">Softmax probabilities (B, C, *S).</param>
    /// <param name="dist">Signed distance maps of the one-hot ground truth (B, C, *S).</param>
    /// <param name="idc">The classes to supervise, usually the foreground (e.g. <c>[1]</c>).</param>
    [Loss]
    public static Scalar Boundary(Field probs, Field dist, int[] idc)
        => Mean(Select(probs, idc) * Select(dist, idc));

    /// <summary>
    /// <c>Boundary</c> of <c>softmax(logits)</c> over the class axis, the softmax fused into the same kernel
    /// and its gradient.
    /// </summary>
    /// <param name="logits">Unnormalised scores (B, C, *S).</param>
    /// <param name="dist">Signed distance maps of the one-hot ground truth (B, C, *S).</param>
    /// <param name="idc">The classes to supervise.</param>
    [Loss]
    public static Scalar BoundaryFromLogits(Field logits, Field dist, int[] idc)
        => Boundary(Softmax(logits), dist, idc);
}
