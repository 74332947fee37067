using LossDsl.Testing;
using Xunit;

namespace LossDsl.Tests.Kit;

/// <summary>The kit's five properties applied to the built-in losses, one line each, the way a user applies them.</summary>
public sealed class BuiltInLossPropertyTests
{
    private const int Tests = 40;

    [Theory]
    [MemberData(nameof(KitLosses.Names), MemberType = typeof(KitLosses))]
    public void Cpu_equals_TorchSharp_value_and_autograd_gradient(string loss)
        => LossCheck.Run(LossProperties.CpuMatchesTorch(KitLosses.Named(loss)), Tests);

    [Theory]
    [MemberData(nameof(KitLosses.Names), MemberType = typeof(KitLosses))]
    public void Gradient_equals_finite_differences(string loss)
        => LossCheck.Run(LossProperties.GradientMatchesFiniteDifferences(KitLosses.Named(loss)), Tests);

    [Theory]
    [MemberData(nameof(KitLosses.ProbabilityNames), MemberType = typeof(KitLosses))]
    public void Minimum_is_at_the_ground_truth(string loss)
        => LossCheck.Run(LossProperties.MinimumAtGroundTruth(KitLosses.Named(loss)), Tests);

    [Theory]
    [MemberData(nameof(KitLosses.Names), MemberType = typeof(KitLosses))]
    public void Invariant_under_batch_permutation(string loss)
        => LossCheck.Run(LossProperties.BatchPermutationInvariant(KitLosses.Named(loss)), Tests);

    [Theory]
    [MemberData(nameof(KitLosses.Names), MemberType = typeof(KitLosses))]
    public void Finite_for_extreme_inputs(string loss)
        => LossCheck.Run(LossProperties.FiniteForExtremeInputs(KitLosses.Named(loss)), Tests);
}
