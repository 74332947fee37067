using System;
using System.Linq;
using Xunit;

namespace LossDsl.Cli.Tests;

public sealed class InspectTests
{
    [Fact]
    public void Without_a_name_it_lists_the_built_in_catalogue()
    {
        var result = Cli.Run("inspect");

        Assert.Equal(0, result.ExitCode);
        foreach (string loss in new[] { "GeneralizedDice", "Boundary", "GdlBoundary", "CrossEntropy", "Tversky", "HausdorffDT" })
            Assert.Contains("\n" + loss + " ", result.Output, StringComparison.Ordinal);
        Assert.Contains("LossDsl.SegmentationLosses", result.Output, StringComparison.Ordinal);
        Assert.Contains(" losses. ", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void With_a_name_it_prints_formula_gradients_and_both_generated_sources()
    {
        var result = Cli.Run("inspect", "GeneralizedDice");

        Assert.Equal(0, result.ExitCode);
        foreach (string line in LossCatalog.All.Single(i => i.FullName == "LossDsl.SegmentationLosses.GeneralizedDice").Formula.Split('\n'))
            Assert.Contains("  " + line + "\n", result.Output, StringComparison.Ordinal);
        foreach (string part in new[] { "Formula", "Gradients", "∂L/∂probs", "Generated TorchSharp code", "Generated CPU code", "SingleTensorFunction", "GeneralizedDiceCpu" })
            Assert.Contains(part, result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sample_loss_is_regenerated_with_its_own_declaration()
    {
        // The code is regenerated from what the compiled sample stores: an internal loss keeps its accessibility.
        var result = Cli.Run("inspect", "LossDsl.Cli.Sample.SampleLosses.GdlBoundary");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("internal static T GdlBoundaryCpu<T>(", result.Output, StringComparison.Ordinal);
        Assert.Contains("internal static global::TorchSharp.torch.Tensor GdlBoundary(", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Redirected_output_has_no_colour_codes()
        => Assert.DoesNotContain('\u001b', Cli.Run("inspect", "Boundary").Output);

    [Fact]
    public void A_short_name_shared_with_a_sample_loss_means_the_built_in()
        => Assert.StartsWith("LossDsl.SegmentationLosses.Boundary\n", Cli.Run("inspect", "Boundary").Output, StringComparison.Ordinal);

    [Fact]
    public void An_unknown_name_is_one_error_line()
    {
        var result = Cli.Run("inspect", "NoSuchLoss");

        Assert.NotEqual(0, result.ExitCode);
        Assert.StartsWith("lossdsl inspect: error: no loss named 'NoSuchLoss'", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
    }
}
