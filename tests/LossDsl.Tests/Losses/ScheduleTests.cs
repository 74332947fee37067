using System;
using System.Linq;
using LossDsl.Schedules;
using LossDsl.Tests.Torch;
using Xunit;
using static TorchSharp.torch;

namespace LossDsl.Tests.Losses;

/// <summary>Weight schedules: the paper's strategies, the reference's StealWeight, resuming from JSON, and the combinator.</summary>
[Collection(TorchCollection.Name)]
public sealed class ScheduleTests
{
    private static void Steps(WeightSchedule s, int n)
    {
        for (int i = 0; i < n; i++) s.Step();
    }

    [Fact]
    public void Rebalance_starts_at_one_hundredth_and_grows_by_one_hundredth_per_epoch()
    {
        var s = WeightSchedule.Rebalance();
        Assert.Equal(CombinationForm.Rebalance, s.Form);
        Assert.Equal((0.99, 0.01), (s.RegionalWeight, s.BoundaryWeight));
        Steps(s, 3);
        Assert.Equal(3, s.Epoch);
        Assert.Equal(0.04, s.Alpha, 12);
        Assert.Equal(0.96, s.RegionalWeight, 12);
        Steps(s, 200);
        Assert.Equal(1.0, s.Alpha);
        Assert.Equal(0.0, s.RegionalWeight);
    }

    [Fact]
    public void Increase_adds_the_step_to_alpha_up_to_the_maximum_and_keeps_the_regional_weight()
    {
        var s = WeightSchedule.Increase(0.01, 0.05, maximum: 0.2);
        Steps(s, 2);
        Assert.Equal(0.11, s.Alpha, 12);
        Assert.Equal(1.0, s.RegionalWeight);
        Steps(s, 10);
        Assert.Equal(0.2, s.Alpha);
        Assert.Equal(CombinationForm.Additive, s.Form);
    }

    [Fact]
    public void Constant_never_changes()
    {
        var s = WeightSchedule.Constant(0.1);
        Steps(s, 5);
        Assert.Equal((1.0, 0.1, 5), (s.RegionalWeight, s.Alpha, s.Epoch));
    }

    [Fact]
    public void StealWeight_follows_the_reference_sequence()
    {
        // Reference: [a, b] → [max(0.1, a − s), b + s] per epoch, from [1, 0.01].
        var s = WeightSchedule.StealWeight(0.01);
        double a = 1, b = 0.01;
        for (int epoch = 0; epoch < 120; epoch++)
        {
            Assert.Equal(a, s.RegionalWeight, 12);
            Assert.Equal(b, s.BoundaryWeight, 12);
            (a, b) = (Math.Max(0.1, a - 0.01), b + 0.01);
            s.Step();
        }

        Assert.Equal(0.1, s.RegionalWeight, 12);
    }

    [Theory]
    [InlineData("constant")]
    [InlineData("increase")]
    [InlineData("rebalance")]
    [InlineData("steal")]
    public void A_schedule_restored_from_json_continues_where_it_stopped(string kind)
    {
        WeightSchedule Make() => kind switch
        {
            "constant" => WeightSchedule.Constant(0.1),
            "increase" => WeightSchedule.Increase(),
            "rebalance" => WeightSchedule.Rebalance(),
            _ => WeightSchedule.StealWeight(0.02),
        };
        var uninterrupted = Make();
        Steps(uninterrupted, 17);
        var first = Make();
        Steps(first, 9);
        string json = first.ToJson();
        var resumed = WeightSchedule.FromJson(json);
        Steps(resumed, 8);
        Assert.Equal(uninterrupted.State, resumed.State);
        Assert.Contains("\"Kind\"", json);
    }

    [Fact]
    public void Bad_arguments_and_states_are_refused_with_their_names()
    {
        Assert.Equal("alpha", Assert.Throws<ArgumentOutOfRangeException>(() => WeightSchedule.Constant(-1)).ParamName);
        Assert.Equal("maximum", Assert.Throws<ArgumentOutOfRangeException>(() => WeightSchedule.Rebalance(maximum: 1.5)).ParamName);
        Assert.Equal("maximum", Assert.Throws<ArgumentOutOfRangeException>(() => WeightSchedule.Increase(0.5, 0.1, 0.2)).ParamName);
        Assert.Throws<ArgumentException>(() => WeightSchedule.FromJson("{\"Kind\":\"Rebalance\",\"Epoch\":-3}"));
        Assert.Throws<ArgumentException>(() => WeightSchedule.FromJson("not json"));
        Assert.Throws<ArgumentException>(() => WeightSchedule.FromState(new WeightScheduleState(ScheduleKind.Rebalance, 1, 0.5, 0.7, 0.01, 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => LossCombination.Combine(1.0, 2.0, 1.5, CombinationForm.Rebalance));
    }

    [Fact]
    public void The_combinator_applies_either_form_to_values_and_tensors_and_keeps_gradients()
    {
        Assert.Equal(1.0 + (0.1 * -2.0), LossCombination.Combine(1.0, -2.0, 0.1, CombinationForm.Additive), 12);
        Assert.Equal((0.9 * 1.0) + (0.1 * -2.0), LossCombination.Combine(1.0, -2.0, 0.1, CombinationForm.Rebalance), 12);

        using var r = tensor(1.0, requires_grad: true);
        using var b = tensor(-2.0, requires_grad: true);
        var s = WeightSchedule.Rebalance(0.3);
        using var combined = s.Combine(r, b);
        Assert.Equal(s.Combine(1.0, -2.0), combined.item<double>(), 12);
        combined.backward();
        Assert.Equal(0.7, r.grad!.item<double>(), 12);
        Assert.Equal(0.3, b.grad!.item<double>(), 12);
    }

    [Fact]
    public void A_schedule_drives_the_fused_combined_loss_like_the_combinator()
    {
        // GdlBoundary(α) in the rebalance form equals the combinator applied to GeneralizedDice and Boundary.
        var f = LossFixture.Load("2d");
        using var x = f.Torch(ScalarType.Float64);
        var s = WeightSchedule.Rebalance();
        Steps(s, 24);
        using var gdl = LossDsl.SegmentationLosses.GeneralizedDice(x.P, x.Y, x.Fg);
        using var boundary = LossDsl.SegmentationLosses.Boundary(x.P, x.D, x.Fg);
        using var combined = s.Combine(gdl, boundary);
        using var fused = LossDsl.SegmentationLosses.GdlBoundary(x.P, x.Y, x.D, x.Fg, s.Alpha);
        Assert.Equal(combined.item<double>(), fused.item<double>(), 12);
    }
}
