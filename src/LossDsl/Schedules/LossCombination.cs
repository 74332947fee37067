using System;
using TorchSharp;
using Tensor = TorchSharp.torch.Tensor;

namespace LossDsl.Schedules;

/// <summary>
/// Combines a regional loss L_R and the boundary loss L_B with a weight α, in either form of the paper, for
/// TorchSharp tensors and for plain values. With a <see cref="WeightSchedule"/>, use its <c>Combine</c> methods.
/// </summary>
public static class LossCombination
{
    /// <summary>The weights (w_R, w_B) of a form: (1, α) for <see cref="CombinationForm.Additive"/>, (1 − α, α) for <see cref="CombinationForm.Rebalance"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">α is NaN or infinite, or outside [0, 1] in the rebalance form.</exception>
    public static (double Regional, double Boundary) Weights(double alpha, CombinationForm form)
    {
        if (!double.IsFinite(alpha))
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "α must be finite.");
        return form switch
        {
            CombinationForm.Additive => (1, alpha),
            CombinationForm.Rebalance when alpha is >= 0 and <= 1 => (1 - alpha, alpha),
            CombinationForm.Rebalance => throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "In the rebalance form α must be in [0, 1]."),
            _ => throw new ArgumentOutOfRangeException(nameof(form), form, "Unknown combination form."),
        };
    }

    /// <summary><c>L_R + α·L_B</c> or <c>(1 − α)·L_R + α·L_B</c> for values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">α does not fit the form.</exception>
    public static double Combine(double regional, double boundary, double alpha, CombinationForm form)
    {
        var (wr, wb) = Weights(alpha, form);
        return (wr * regional) + (wb * boundary);
    }

    /// <summary>TorchSharp: <c>L_R + α·L_B</c> or <c>(1 − α)·L_R + α·L_B</c> as a new tensor, differentiable through both losses.</summary>
    /// <returns>The combined loss, owned by the caller.</returns>
    /// <exception cref="ArgumentOutOfRangeException">α does not fit the form.</exception>
    public static Tensor Combine(Tensor regional, Tensor boundary, double alpha, CombinationForm form)
    {
        var (wr, wb) = Weights(alpha, form);
        return Combine(regional, boundary, wr, wb);
    }

    /// <summary>TorchSharp: <c>regionalWeight·L_R + boundaryWeight·L_B</c> as a new tensor, differentiable through both losses.</summary>
    /// <returns>The combined loss, owned by the caller.</returns>
    public static Tensor Combine(Tensor regional, Tensor boundary, double regionalWeight, double boundaryWeight)
    {
        ArgumentNullException.ThrowIfNull(regional);
        ArgumentNullException.ThrowIfNull(boundary);
        // Scalars wrap native handles: dispose them here rather than leaving them to the finalizer.
        using var wr = regionalWeight.ToScalar();
        using var wb = boundaryWeight.ToScalar();
        using var scaled = regional.mul(wr);
        return scaled.add(boundary, wb);
    }
}
