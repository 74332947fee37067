using System;
using System.Numerics;
using System.Numerics.Tensors;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace LossDsl;

public static partial class SegmentationLosses
{
    /// <summary>
    /// The built-in losses behind the reference's input assertions: probabilities must be a simplex along C, targets
    /// one-hot, signed maps finite and not one-hot (see <see cref="LossInputChecks"/>). Each check costs a pass over
    /// its input (and, in TorchSharp, a synchronisation), so use these while setting up a pipeline or in tests, and
    /// the unchecked losses in the training loop.
    /// </summary>
    public static class Checked
    {

        /// <summary><c>Boundary</c> after checking its inputs.</summary>
        /// <inheritdoc cref="SegmentationLosses.Boundary(Tensor, Tensor, int[])" path="/param"/>
        /// <returns>The loss, a 0-dim tensor owned by the caller.</returns>
        /// <exception cref="ArgumentException">An input fails its check (the message names it and says where).</exception>
        public static Tensor Boundary(Tensor probs, Tensor dist, int[] idc)
        {
            LossInputChecks.Probabilities(probs);
            LossInputChecks.DistanceMap(dist);
            return SegmentationLosses.Boundary(probs, dist, idc);
        }

        /// <summary>CPU: <c>BoundaryCpu</c> after checking its inputs.</summary>
        /// <inheritdoc cref="SegmentationLosses.Boundary(Tensor, Tensor, int[])" path="/param"/>
        /// <returns>The loss.</returns>
        /// <exception cref="ArgumentException">An input fails its check (the message names it and says where).</exception>
        public static T BoundaryCpu<T>(ReadOnlyTensorSpan<T> probs, ReadOnlyTensorSpan<T> dist, int[] idc)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            LossInputChecks.Probabilities(probs);
            LossInputChecks.DistanceMap(dist);
            return SegmentationLosses.BoundaryCpu(probs, dist, idc);
        }

        /// <summary><c>CrossEntropy</c> after checking its inputs.</summary>
        /// <inheritdoc cref="SegmentationLosses.CrossEntropy(Tensor, Tensor, int[])" path="/param"/>
        /// <returns>The loss, a 0-dim tensor owned by the caller.</returns>
        /// <exception cref="ArgumentException">An input fails its check (the message names it and says where).</exception>
        public static Tensor CrossEntropy(Tensor probs, Tensor target, int[] idc)
        {
            LossInputChecks.Probabilities(probs);
            LossInputChecks.OneHotTarget(target);
            return SegmentationLosses.CrossEntropy(probs, target, idc);
        }

        /// <summary>CPU: <c>CrossEntropyCpu</c> after checking its inputs.</summary>
        /// <inheritdoc cref="SegmentationLosses.CrossEntropy(Tensor, Tensor, int[])" path="/param"/>
        /// <returns>The loss.</returns>
        /// <exception cref="ArgumentException">An input fails its check (the message names it and says where).</exception>
        public static T CrossEntropyCpu<T>(ReadOnlyTensorSpan<T> probs, ReadOnlyTensorSpan<T> target, int[] idc)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            LossInputChecks.Probabilities(probs);
            LossInputChecks.OneHotTarget(target);
            return SegmentationLosses.CrossEntropyCpu(probs, target, idc);
        }

        /// <summary><c>Focal</c> after checking its inputs.</summary>
        /// <inheritdoc cref="SegmentationLosses.Focal(Tensor, Tensor, int[], double)" path="/param"/>
        /// <returns>The loss, a 0-dim tensor owned by the caller.</returns>
        /// <exception cref="ArgumentException">An input fails its check (the message names it and says where).</exception>
        public static Tensor Focal(Tensor probs, Tensor target, int[] idc, double gamma)
        {
            LossInputChecks.Probabilities(probs);
            LossInputChecks.OneHotTarget(target);
            return SegmentationLosses.Focal(probs, target, idc, gamma);
        }

        /// <summary>CPU: <c>FocalCpu</c> after checking its inputs.</summary>
        /// <inheritdoc cref="SegmentationLosses.Focal(Tensor, Tensor, int[], double)" path="/param"/>
        /// <returns>The loss.</returns>
        /// <exception cref="ArgumentException">An input fails its check (the message names it and says where).</exception>
        public static T FocalCpu<T>(ReadOnlyTensorSpan<T> probs, ReadOnlyTensorSpan<T> target, int[] idc, double gamma)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            LossInputChecks.Probabilities(probs);
            LossInputChecks.OneHotTarget(target);
            return SegmentationLosses.FocalCpu(probs, target, idc, gamma);
        }

        /// <summary><c>Dice</c> after checking its inputs.</summary>
        /// <inheritdoc cref="SegmentationLosses.Dice(Tensor, Tensor, int[])" path="/param"/>
        /// <returns>The loss, a 0-dim tensor owned by the caller.</returns>
        /// <exception cref="ArgumentException">An input fails its check (the message names it and says where).</exception>
        public static Tensor Dice(Tensor probs, Tensor target, int[] idc)
        {
            LossInputChecks.Probabilities(probs);
            LossInputChecks.OneHotTarget(target);
            return SegmentationLosses.Dice(probs, target, idc);
        }

        /// <summary>CPU: <c>DiceCpu</c> after checking its inputs.</summary>
        /// <inheritdoc cref="SegmentationLosses.Dice(Tensor, Tensor, int[])" path="/param"/>
        /// <returns>The loss.</returns>
        /// <exception cref="ArgumentException">An input fails its check (the message names it and says where).</exception>
        public static T DiceCpu<T>(ReadOnlyTensorSpan<T> probs, ReadOnlyTensorSpan<T> target, int[] idc)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            LossInputChecks.Probabilities(probs);
            LossInputChecks.OneHotTarget(target);
            return SegmentationLosses.DiceCpu(probs, target, idc);
        }

        /// <summary><c>GeneralizedDice</c> after checking its inputs.</summary>
        /// <inheritdoc cref="SegmentationLosses.GeneralizedDice(Tensor, Tensor, int[])" path="/param"/>
        /// <returns>The loss, a 0-dim tensor owned by the caller.</returns>
        /// <exception cref="ArgumentException">An input fails its check (the message names it and says where).</exception>
        public static Tensor GeneralizedDice(Tensor probs, Tensor target, int[] idc)
        {
            LossInputChecks.Probabilities(probs);
            LossInputChecks.OneHotTarget(target);
            return SegmentationLosses.GeneralizedDice(probs, target, idc);
        }

        /// <summary>CPU: <c>GeneralizedDiceCpu</c> after checking its inputs.</summary>
        /// <inheritdoc cref="SegmentationLosses.GeneralizedDice(Tensor, Tensor, int[])" path="/param"/>
        /// <returns>The loss.</returns>
        /// <exception cref="ArgumentException">An input fails its check (the message names it and says where).</exception>
        public static T GeneralizedDiceCpu<T>(ReadOnlyTensorSpan<T> probs, ReadOnlyTensorSpan<T> target, int[] idc)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            LossInputChecks.Probabilities(probs);
            LossInputChecks.OneHotTarget(target);
            return SegmentationLosses.GeneralizedDiceCpu(probs, target, idc);
        }

        /// <summary><c>GeneralizedDiceMonai</c> after checking its inputs.</summary>
        /// <inheritdoc cref="SegmentationLosses.GeneralizedDiceMonai(Tensor, Tensor, int[])" path="/param"/>
        /// <returns>The loss, a 0-dim tensor owned by the caller.</returns>
        /// <exception cref="ArgumentException">An input fails its check (the message names it and says where).</exception>
        public static Tensor GeneralizedDiceMonai(Tensor probs, Tensor target, int[] idc)
        {
            LossInputChecks.Probabilities(probs);
            LossInputChecks.OneHotTarget(target);
            return SegmentationLosses.GeneralizedDiceMonai(probs, target, idc);
        }

        /// <summary>CPU: <c>GeneralizedDiceMonaiCpu</c> after checking its inputs.</summary>
        /// <inheritdoc cref="SegmentationLosses.GeneralizedDiceMonai(Tensor, Tensor, int[])" path="/param"/>
        /// <returns>The loss.</returns>
        /// <exception cref="ArgumentException">An input fails its check (the message names it and says where).</exception>
        public static T GeneralizedDiceMonaiCpu<T>(ReadOnlyTensorSpan<T> probs, ReadOnlyTensorSpan<T> target, int[] idc)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            LossInputChecks.Probabilities(probs);
            LossInputChecks.OneHotTarget(target);
            return SegmentationLosses.GeneralizedDiceMonaiCpu(probs, target, idc);
        }

        /// <summary><c>Tversky</c> after checking its inputs.</summary>
        /// <inheritdoc cref="SegmentationLosses.Tversky(Tensor, Tensor, int[], double, double)" path="/param"/>
        /// <returns>The loss, a 0-dim tensor owned by the caller.</returns>
        /// <exception cref="ArgumentException">An input fails its check (the message names it and says where).</exception>
        public static Tensor Tversky(Tensor probs, Tensor target, int[] idc, double alpha = 0.3, double beta = 0.7)
        {
            LossInputChecks.Probabilities(probs);
            LossInputChecks.OneHotTarget(target);
            return SegmentationLosses.Tversky(probs, target, idc, alpha, beta);
        }

        /// <summary>CPU: <c>TverskyCpu</c> after checking its inputs.</summary>
        /// <inheritdoc cref="SegmentationLosses.Tversky(Tensor, Tensor, int[], double, double)" path="/param"/>
        /// <returns>The loss.</returns>
        /// <exception cref="ArgumentException">An input fails its check (the message names it and says where).</exception>
        public static T TverskyCpu<T>(ReadOnlyTensorSpan<T> probs, ReadOnlyTensorSpan<T> target, int[] idc, double alpha = 0.3, double beta = 0.7)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            LossInputChecks.Probabilities(probs);
            LossInputChecks.OneHotTarget(target);
            return SegmentationLosses.TverskyCpu(probs, target, idc, alpha, beta);
        }

        /// <summary><c>HausdorffDT</c> after checking its inputs.</summary>
        /// <inheritdoc cref="SegmentationLosses.HausdorffDT(Tensor, Tensor, Tensor, Tensor, int[])" path="/param"/>
        /// <returns>The loss, a 0-dim tensor owned by the caller.</returns>
        /// <exception cref="ArgumentException">An input fails its check (the message names it and says where).</exception>
        public static Tensor HausdorffDT(Tensor probs, Tensor target, Tensor distTarget, Tensor distPrediction, int[] idc)
        {
            LossInputChecks.Probabilities(probs);
            LossInputChecks.OneHotTarget(target);
            return SegmentationLosses.HausdorffDT(probs, target, distTarget, distPrediction, idc);
        }

        /// <summary>CPU: <c>HausdorffDTCpu</c> after checking its inputs.</summary>
        /// <inheritdoc cref="SegmentationLosses.HausdorffDT(Tensor, Tensor, Tensor, Tensor, int[])" path="/param"/>
        /// <returns>The loss.</returns>
        /// <exception cref="ArgumentException">An input fails its check (the message names it and says where).</exception>
        public static T HausdorffDTCpu<T>(ReadOnlyTensorSpan<T> probs, ReadOnlyTensorSpan<T> target, ReadOnlyTensorSpan<T> distTarget, ReadOnlyTensorSpan<T> distPrediction, int[] idc)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            LossInputChecks.Probabilities(probs);
            LossInputChecks.OneHotTarget(target);
            return SegmentationLosses.HausdorffDTCpu(probs, target, distTarget, distPrediction, idc);
        }

        /// <summary><c>GdlBoundary</c> after checking its inputs.</summary>
        /// <inheritdoc cref="SegmentationLosses.GdlBoundary(Tensor, Tensor, Tensor, int[], double)" path="/param"/>
        /// <returns>The loss, a 0-dim tensor owned by the caller.</returns>
        /// <exception cref="ArgumentException">An input fails its check (the message names it and says where).</exception>
        public static Tensor GdlBoundary(Tensor probs, Tensor target, Tensor dist, int[] idc, double alpha)
        {
            LossInputChecks.Probabilities(probs);
            LossInputChecks.OneHotTarget(target);
            LossInputChecks.DistanceMap(dist);
            return SegmentationLosses.GdlBoundary(probs, target, dist, idc, alpha);
        }

        /// <summary>CPU: <c>GdlBoundaryCpu</c> after checking its inputs.</summary>
        /// <inheritdoc cref="SegmentationLosses.GdlBoundary(Tensor, Tensor, Tensor, int[], double)" path="/param"/>
        /// <returns>The loss.</returns>
        /// <exception cref="ArgumentException">An input fails its check (the message names it and says where).</exception>
        public static T GdlBoundaryCpu<T>(ReadOnlyTensorSpan<T> probs, ReadOnlyTensorSpan<T> target, ReadOnlyTensorSpan<T> dist, int[] idc, double alpha)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            LossInputChecks.Probabilities(probs);
            LossInputChecks.OneHotTarget(target);
            LossInputChecks.DistanceMap(dist);
            return SegmentationLosses.GdlBoundaryCpu(probs, target, dist, idc, alpha);
        }

        /// <summary><c>CrossEntropyBoundary</c> after checking its inputs.</summary>
        /// <inheritdoc cref="SegmentationLosses.CrossEntropyBoundary(Tensor, Tensor, Tensor, int[], double)" path="/param"/>
        /// <returns>The loss, a 0-dim tensor owned by the caller.</returns>
        /// <exception cref="ArgumentException">An input fails its check (the message names it and says where).</exception>
        public static Tensor CrossEntropyBoundary(Tensor probs, Tensor target, Tensor dist, int[] idc, double alpha)
        {
            LossInputChecks.Probabilities(probs);
            LossInputChecks.OneHotTarget(target);
            LossInputChecks.DistanceMap(dist);
            return SegmentationLosses.CrossEntropyBoundary(probs, target, dist, idc, alpha);
        }

        /// <summary>CPU: <c>CrossEntropyBoundaryCpu</c> after checking its inputs.</summary>
        /// <inheritdoc cref="SegmentationLosses.CrossEntropyBoundary(Tensor, Tensor, Tensor, int[], double)" path="/param"/>
        /// <returns>The loss.</returns>
        /// <exception cref="ArgumentException">An input fails its check (the message names it and says where).</exception>
        public static T CrossEntropyBoundaryCpu<T>(ReadOnlyTensorSpan<T> probs, ReadOnlyTensorSpan<T> target, ReadOnlyTensorSpan<T> dist, int[] idc, double alpha)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            LossInputChecks.Probabilities(probs);
            LossInputChecks.OneHotTarget(target);
            LossInputChecks.DistanceMap(dist);
            return SegmentationLosses.CrossEntropyBoundaryCpu(probs, target, dist, idc, alpha);
        }

        /// <summary><c>DiceCrossEntropy</c> after checking its inputs.</summary>
        /// <inheritdoc cref="SegmentationLosses.DiceCrossEntropy(Tensor, Tensor, int[], double, double)" path="/param"/>
        /// <returns>The loss, a 0-dim tensor owned by the caller.</returns>
        /// <exception cref="ArgumentException">An input fails its check (the message names it and says where).</exception>
        public static Tensor DiceCrossEntropy(Tensor probs, Tensor target, int[] idc, double diceWeight = 1, double crossEntropyWeight = 1)
        {
            LossInputChecks.Probabilities(probs);
            LossInputChecks.OneHotTarget(target);
            return SegmentationLosses.DiceCrossEntropy(probs, target, idc, diceWeight, crossEntropyWeight);
        }

        /// <summary>CPU: <c>DiceCrossEntropyCpu</c> after checking its inputs.</summary>
        /// <inheritdoc cref="SegmentationLosses.DiceCrossEntropy(Tensor, Tensor, int[], double, double)" path="/param"/>
        /// <returns>The loss.</returns>
        /// <exception cref="ArgumentException">An input fails its check (the message names it and says where).</exception>
        public static T DiceCrossEntropyCpu<T>(ReadOnlyTensorSpan<T> probs, ReadOnlyTensorSpan<T> target, int[] idc, double diceWeight = 1, double crossEntropyWeight = 1)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            LossInputChecks.Probabilities(probs);
            LossInputChecks.OneHotTarget(target);
            return SegmentationLosses.DiceCrossEntropyCpu(probs, target, idc, diceWeight, crossEntropyWeight);
        }
    }
}
