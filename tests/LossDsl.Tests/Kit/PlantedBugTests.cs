using System;
using System.Linq;
using System.Text.RegularExpressions;
using FsCheck;
using LossDsl.Testing;
using Xunit;

namespace LossDsl.Tests.Kit;

/// <summary>
/// The kit against deliberately wrong losses: each defect must be caught by the property meant for it, and the
/// report must carry the seed to replay it and the shrunk sample. Each defect is checked next to its correct twin,
/// which must pass the same property (so a failure is the defect, not the harness).
/// </summary>
public sealed partial class PlantedBugTests
{
    private const int Tests = 100;

    [Fact]
    public void Sign_flip_in_the_softmax_gradient_rule_is_caught_by_finite_differences()
    {
        LossCheck.Run(LossProperties.GradientMatchesFiniteDifferences(BoundaryThroughSoftmax(flipped: false)), Tests);
        var report = Caught(LossProperties.GradientMatchesFiniteDifferences(BoundaryThroughSoftmax(flipped: true)));
        Assert.Contains("finite differences give", report);
    }

    [Fact]
    public void Sign_flip_of_a_whole_gradient_is_caught_by_finite_differences()
    {
        var flipped = KitLosses.Dice.Named("Dice, ∂L/∂p negated").WithGradient((f, s, g) =>
        {
            double value = KitLosses.Dice.Gradient!(f, s, g);
            for (int i = 0; i < g[0].Length; i++) g[0][i] = -g[0][i];
            return value;
        });
        var report = Caught(LossProperties.GradientMatchesFiniteDifferences(flipped));
        Assert.Contains("Dice, ∂L/∂p negated", report);
    }

    [Fact]
    public void Missing_epsilon_in_generalized_dice_is_caught_as_not_finite()
    {
        var report = Caught(LossProperties.FiniteForExtremeInputs(Declared("GeneralizedDiceWithoutEpsilon",
            (p, y) => PlantedLosses.GeneralizedDiceWithoutEpsilonCpu(p, y, KitLosses.Foreground(p)),
            (p, y, gp, gy) => PlantedLosses.GeneralizedDiceWithoutEpsilonCpuGradient(p, y, gp, gy, KitLosses.Foreground(p)))));
        Assert.Matches("NaN|∞|Infinity", report);
    }

    [Fact]
    public void Missing_epsilon_in_cross_entropy_is_caught_as_not_finite()
    {
        var report = Caught(LossProperties.FiniteForExtremeInputs(Declared("CrossEntropyWithoutEpsilon",
            (p, y) => PlantedLosses.CrossEntropyWithoutEpsilonCpu(p, y, KitLosses.Foreground(p)),
            (p, y, gp, gy) => PlantedLosses.CrossEntropyWithoutEpsilonCpuGradient(p, y, gp, gy, KitLosses.Foreground(p)))));
        Assert.Matches("NaN|∞|Infinity", report);
    }

    [Fact]
    public void Dice_reduced_over_the_batch_axis_too_is_caught_by_TorchSharp()
    {
        // The classic batch-Dice bug: Σ over (B, *S) instead of *S, so images no longer count separately.
        var batchDice = KitLosses.Dice.Named("Dice summed over the batch").WithValue((f, s) =>
        {
            var merged = f.Select(field => MergeBatchIntoSpace(field, s)).ToArray();
            int[] shape = [1, s[1], .. s[2..^1], s[^1] * s[0]];
            return KitLosses.Dice.Value(merged, shape);
        });
        var report = Caught(LossProperties.CpuMatchesTorch(batchDice));
        Assert.Contains("but TorchSharp gives", report);
    }

    [Fact]
    public void Batch_and_class_axes_swapped_is_caught_by_batch_permutation()
    {
        // Reads (B, C, *S) as (C, B, *S): the class selection then picks images, the per-image mean mixes classes.
        var swapped = KitLosses.Dice.Named("Dice with B and C swapped").WithValue((f, s) =>
            KitLosses.Dice.Value(f, [s[1], s[0], .. s[2..]]));
        var options = SampleOptions.Default.WithBatch(2, 3).WithClasses(2, 3);
        var report = Caught(LossProperties.BatchPermutationInvariant(swapped, options));
        Assert.Contains("changes the value", report);
    }

    [Fact]
    public void Distance_maps_of_the_wrong_sign_are_caught_by_the_minimum_at_the_ground_truth()
    {
        var negated = KitLosses.Boundary.Named("Boundary with −φ").WithValue((f, s) =>
            KitLosses.Boundary.Value([f[0], f[1].Select(v => -v).ToArray()], s));
        var report = Caught(LossProperties.MinimumAtGroundTruth(negated));
        Assert.Contains("is below L(y)", report);
    }

    [Fact]
    public void A_reported_seed_replays_the_same_failure()
    {
        var flipped = BoundaryThroughSoftmax(flipped: true);
        var report = Caught(LossProperties.GradientMatchesFiniteDifferences(flipped));
        var seed = ReplaySeed().Match(report);
        Assert.True(seed.Success, $"No replay seed in the report:\n{report}");
        // The seed starts the whole run: replayed with the same number of tests it meets the same failing sample (with
        // one test it would only when the first sample of the run failed, which made this test flaky).
        var replayed = Record.Exception(() => LossCheck.Run(LossProperties.GradientMatchesFiniteDifferences(flipped), Tests, replay: seed.Value));
        Assert.NotNull(replayed);
        Assert.Contains(seed.Value, replayed.Message);
    }

    /// <summary>Runs a property that must fail; checks the report names the seed and the shrunk sample.</summary>
    private static string Caught(Property property)
    {
        var error = Record.Exception(() => LossCheck.Run(property, Tests));
        Assert.True(error is not null, "The planted bug was not caught.");
        string report = error!.Message;
        Assert.Matches(ReplaySeed(), report);
        Assert.Contains("shape (", report);
        return report;
    }

    [GeneratedRegex(@"\(\d+,\s*\d+(,\s*\d+)?\)")]
    private static partial Regex ReplaySeed();

    private static LossUnderTest Declared(string name, SpanLoss2 value, SpanLossGradient2 gradient)
        => LossUnderTest.FromSpans(name, FieldRole.Probabilities, FieldRole.Target, value, gradient);

    /// <summary>(B, C, *S, X) → (1, C, *S, B·X): each class plane of every image laid side by side along the last axis.</summary>
    private static double[] MergeBatchIntoSpace(double[] field, int[] shape)
    {
        int batch = shape[0], classes = shape[1], plane = field.Length / (batch * classes), last = shape[^1], rows = plane / last;
        var merged = new double[field.Length];
        for (int b = 0; b < batch; b++)
            for (int c = 0; c < classes; c++)
                for (int r = 0; r < rows; r++)
                    Array.Copy(field, ((b * classes + c) * plane) + (r * last), merged, (c * plane * batch) + (r * last * batch) + (b * last), last);
        return merged;
    }

    /// <summary>
    /// The boundary loss of softmax(logits), its gradient written by hand through the softmax Jacobian
    /// ∂L/∂z = p ⊙ (g − Σ_c p g), g = ∂L/∂p; <paramref name="flipped"/> plants the sign error p ⊙ (g + Σ_c p g).
    /// </summary>
    private static LossUnderTest BoundaryThroughSoftmax(bool flipped)
    {
        var boundary = KitLosses.Boundary;
        return new LossUnderTest(
            flipped ? "Boundary∘softmax, Jacobian sign flipped" : "Boundary∘softmax, hand-written Jacobian",
            [FieldRole.Logits, FieldRole.SignedDistance],
            (f, s) => boundary.Value([SegmentationSample.Softmax(SegmentationShape.FromDims(s), f[0]), f[1]], s),
            (f, s, g) =>
            {
                var shape = SegmentationShape.FromDims(s);
                var p = SegmentationSample.Softmax(shape, f[0]);
                var gp = new double[p.Length];
                double value = boundary.Gradient!([p, f[1]], s, [gp, g[1]]);
                for (int b = 0; b < shape.Batch; b++)
                {
                    for (int x = 0; x < shape.Plane; x++)
                    {
                        double dot = 0;
                        for (int c = 0; c < shape.Classes; c++) dot += p[shape.Index(b, c, x)] * gp[shape.Index(b, c, x)];
                        for (int c = 0; c < shape.Classes; c++)
                        {
                            int i = shape.Index(b, c, x);
                            g[0][i] = p[i] * (gp[i] + (flipped ? dot : -dot));
                        }
                    }
                }

                return value;
            });
    }
}
