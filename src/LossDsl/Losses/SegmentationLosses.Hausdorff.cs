using static LossDsl.Dsl;

namespace LossDsl;

public static partial class SegmentationLosses
{
    /// <summary>
    /// Distance-transform Hausdorff loss of Karimi &amp; Salcudean (reference <c>HausdorffLoss</c>):
    /// <c>mean_{b,k∈idc,x} (p − y)² · (D_y² + D_ŷ²)</c>, where <c>D_m</c> is the Euclidean distance transform of
    /// mask m (distance to the nearest element outside it; 0 outside) and ŷ the one-hot argmax of p.
    /// </summary>
    /// <remarks>
    /// The two maps depend on the current prediction, so they are recomputed at every call, outside the
    /// differentiated graph (the reference detaches them too): compute them with
    /// <c>HausdorffDistanceMaps</c>. ≥ 0; 0 at p = y.
    /// </remarks>
    /// <param name="probs">Softmax probabilities (B, C, *S).</param>
    /// <param name="target">One-hot ground truth (B, C, *S).</param>
    /// <param name="distTarget">D_y: distance transforms of the ground truth's class masks (B, C, *S).</param>
    /// <param name="distPrediction">D_ŷ: distance transforms of the predicted (argmax) class masks (B, C, *S).</param>
    /// <param name="idc">The classes to supervise.</param>
    [Loss]
    public static Scalar HausdorffDT(Field probs, Field target, Field distTarget, Field distPrediction, int[] idc)
        => Mean(Square(Select(probs, idc) - Select(target, idc))
            * (Square(Select(distTarget, idc)) + Square(Select(distPrediction, idc))));

    /// <summary><c>HausdorffDT</c> of <c>softmax(logits)</c>; <c>distPrediction</c> is of the argmax of the logits (the same as of the softmax).</summary>
    /// <param name="logits">Unnormalised scores (B, C, *S).</param>
    /// <param name="target">One-hot ground truth (B, C, *S).</param>
    /// <param name="distTarget">D_y (B, C, *S).</param>
    /// <param name="distPrediction">D_ŷ (B, C, *S).</param>
    /// <param name="idc">The classes to supervise.</param>
    [Loss]
    public static Scalar HausdorffDTFromLogits(Field logits, Field target, Field distTarget, Field distPrediction, int[] idc)
        => HausdorffDT(Softmax(logits), target, distTarget, distPrediction, idc);
}
