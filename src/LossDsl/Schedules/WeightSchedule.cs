using System;
using System.Text.Json;
using System.Text.Json.Serialization;
using TorchSharp;
using Tensor = TorchSharp.torch.Tensor;

namespace LossDsl.Schedules;

/// <summary>
/// The weights of a regional loss L_R and the boundary loss L_B over training, updated once per epoch by calling
/// <see cref="Step"/>: the paper's constant, increase and rebalance strategies and the reference code's
/// <c>StealWeight</c>. <see cref="Combine(Tensor, Tensor)"/> applies the current weights,
/// <c>RegionalWeight·L_R + BoundaryWeight·L_B</c>. The state serializes to JSON so that a resumed training continues
/// the schedule. Not thread-safe: one schedule per training loop.
/// </summary>
public sealed class WeightSchedule
{
    // An unbounded Increase has Limit = +∞, which plain JSON numbers cannot hold: write it as "Infinity".
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    private WeightScheduleState _state;

    private WeightSchedule(WeightScheduleState state)
    {
        _state = Validate(state);
    }

    /// <summary>The rule this schedule follows.</summary>
    public ScheduleKind Kind => _state.Kind;

    /// <summary>How the two losses are combined: rebalance for <see cref="ScheduleKind.Rebalance"/>, additive otherwise.</summary>
    public CombinationForm Form => _state.Kind == ScheduleKind.Rebalance ? CombinationForm.Rebalance : CombinationForm.Additive;

    /// <summary>Epochs completed, i.e. calls of <see cref="Step"/> so far.</summary>
    public int Epoch => _state.Epoch;

    /// <summary>The current weight of the regional loss (1 for constant and increase, 1 − α for rebalance).</summary>
    public double RegionalWeight => _state.RegionalWeight;

    /// <summary>The current weight α of the boundary loss.</summary>
    public double BoundaryWeight => _state.BoundaryWeight;

    /// <summary>The current α (same as <see cref="BoundaryWeight"/>), for the <c>alpha</c> parameter of the combined losses such as <c>SegmentationLosses.GdlBoundary</c> (rebalance form).</summary>
    public double Alpha => _state.BoundaryWeight;

    /// <summary>A copy of the state, to save with a checkpoint.</summary>
    public WeightScheduleState State => _state;

    /// <summary>The paper's "constant" strategy: <c>L_R + α·L_B</c> with α fixed (reference runs: 0.1 with GDL).</summary>
    /// <param name="alpha">α ≥ 0, finite.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> is negative or not finite.</exception>
    public static WeightSchedule Constant(double alpha)
    {
        RequireWeight(alpha, nameof(alpha));
        return new(new(ScheduleKind.Constant, 0, 1, alpha, 0, alpha));
    }

    /// <summary>The paper's "increase" strategy: <c>L_R + α·L_B</c>, α starting at <paramref name="initial"/> and growing by <paramref name="step"/> per epoch up to <paramref name="maximum"/>.</summary>
    /// <param name="initial">α at epoch 0 (≥ 0).</param>
    /// <param name="step">Added to α after each epoch (≥ 0).</param>
    /// <param name="maximum">The largest α (≥ <paramref name="initial"/>); +∞ for no bound.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is negative, NaN, or <paramref name="maximum"/> &lt; <paramref name="initial"/>.</exception>
    public static WeightSchedule Increase(double initial = 0.01, double step = 0.01, double maximum = double.PositiveInfinity)
    {
        RequireWeight(initial, nameof(initial));
        RequireWeight(step, nameof(step));
        RequireLimit(maximum, initial, nameof(maximum), nameof(initial));
        return new(new(ScheduleKind.Increase, 0, 1, initial, step, maximum));
    }

    /// <summary>The paper's "rebalance" strategy: <c>(1 − α)·L_R + α·L_B</c>, α starting at <paramref name="initial"/> (0.01) and growing by <paramref name="step"/> (0.01) per epoch up to <paramref name="maximum"/> (≤ 1).</summary>
    /// <param name="initial">α at epoch 0, in [0, 1].</param>
    /// <param name="step">Added to α after each epoch (≥ 0).</param>
    /// <param name="maximum">The largest α, in [<paramref name="initial"/>, 1].</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is outside its range.</exception>
    public static WeightSchedule Rebalance(double initial = 0.01, double step = 0.01, double maximum = 1.0)
    {
        RequireWeight(initial, nameof(initial));
        RequireWeight(step, nameof(step));
        RequireLimit(maximum, initial, nameof(maximum), nameof(initial));
        if (maximum > 1)
            throw new ArgumentOutOfRangeException(nameof(maximum), maximum, $"In the rebalance form α weighs L_B and 1 − α weighs L_R, so {nameof(maximum)} must be ≤ 1.");
        return new(new(ScheduleKind.Rebalance, 0, 1 - initial, initial, step, maximum));
    }

    /// <summary>
    /// The reference code's <c>StealWeight(s)</c>: weights (a, b), from (<paramref name="regional"/>, <paramref name="boundary"/>) = (1, 0.01),
    /// become (max(<paramref name="floor"/>, a − s), b + s) after each epoch. b keeps growing; a stops at the floor.
    /// </summary>
    /// <param name="step">s, moved per epoch (≥ 0).</param>
    /// <param name="regional">The initial regional weight a (≥ 0).</param>
    /// <param name="boundary">The initial boundary weight b (≥ 0).</param>
    /// <param name="floor">The smallest regional weight (the reference's 0.1).</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is negative or not finite.</exception>
    public static WeightSchedule StealWeight(double step = 0.01, double regional = 1.0, double boundary = 0.01, double floor = 0.1)
    {
        RequireWeight(step, nameof(step));
        RequireWeight(regional, nameof(regional));
        RequireWeight(boundary, nameof(boundary));
        RequireWeight(floor, nameof(floor));
        return new(new(ScheduleKind.StealWeight, 0, regional, boundary, step, floor));
    }

    /// <summary>Restores a schedule saved with <see cref="State"/> (or <see cref="ToJson"/>): it continues from the saved epoch and weights.</summary>
    /// <exception cref="ArgumentException">The state is inconsistent (negative epoch, weights out of range, unknown kind).</exception>
    public static WeightSchedule FromState(WeightScheduleState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new(state);
    }

    /// <summary>Advances one epoch: call once at the end of every epoch (also on resumed runs, after restoring).</summary>
    public void Step()
    {
        var s = _state;
        _state = s.Kind switch
        {
            ScheduleKind.Constant => s with { Epoch = s.Epoch + 1 },
            ScheduleKind.Increase => s with { Epoch = s.Epoch + 1, BoundaryWeight = Math.Min(s.Limit, s.BoundaryWeight + s.StepSize) },
            ScheduleKind.Rebalance => Rebalanced(s),
            ScheduleKind.StealWeight => s with
            {
                Epoch = s.Epoch + 1,
                RegionalWeight = Math.Max(s.Limit, s.RegionalWeight - s.StepSize),
                BoundaryWeight = s.BoundaryWeight + s.StepSize,
            },
            _ => throw new InvalidOperationException($"Unknown schedule kind {s.Kind}."),
        };

        static WeightScheduleState Rebalanced(WeightScheduleState s)
        {
            double alpha = Math.Min(s.Limit, s.BoundaryWeight + s.StepSize);
            return s with { Epoch = s.Epoch + 1, BoundaryWeight = alpha, RegionalWeight = 1 - alpha };
        }
    }

    /// <summary><c>RegionalWeight·regional + BoundaryWeight·boundary</c> for loss values (logging, CPU training).</summary>
    /// <param name="regional">L_R.</param>
    /// <param name="boundary">L_B.</param>
    /// <returns>The combined loss.</returns>
    public double Combine(double regional, double boundary) => (RegionalWeight * regional) + (BoundaryWeight * boundary);

    /// <summary>
    /// TorchSharp: <c>RegionalWeight·regional + BoundaryWeight·boundary</c> as a new tensor (differentiable through
    /// both inputs; the inputs stay the caller's).
    /// </summary>
    /// <param name="regional">L_R, a 0-dim tensor.</param>
    /// <param name="boundary">L_B, a 0-dim tensor on the same device.</param>
    /// <returns>The combined loss, owned by the caller.</returns>
    public Tensor Combine(Tensor regional, Tensor boundary) => LossCombination.Combine(regional, boundary, RegionalWeight, BoundaryWeight);

    /// <summary>The state as JSON (kind as a string), for a checkpoint.</summary>
    public string ToJson() => JsonSerializer.Serialize(_state, Json);

    /// <summary>Restores a schedule from <see cref="ToJson"/>'s output.</summary>
    /// <exception cref="ArgumentException">Not a valid schedule state.</exception>
    public static WeightSchedule FromJson(string json)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(json);
        WeightScheduleState? state;
        try
        {
            state = JsonSerializer.Deserialize<WeightScheduleState>(json, Json);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"Not a weight schedule state: {e.Message}", nameof(json), e);
        }
        return state is null ? throw new ArgumentException("Not a weight schedule state: the JSON is null.", nameof(json)) : new(state);
    }

    /// <summary>Says the rule, the epoch and the weights, e.g. <c>Rebalance, epoch 3: 0.96·L_R + 0.04·L_B</c>.</summary>
    public override string ToString() => $"{Kind}, epoch {Epoch}: {RegionalWeight:G4}·L_R + {BoundaryWeight:G4}·L_B";

    private static WeightScheduleState Validate(WeightScheduleState s)
    {
        if (!Enum.IsDefined(s.Kind))
            throw new ArgumentException($"Unknown schedule kind {(int)s.Kind}.", nameof(s.Kind));
        if (s.Epoch < 0)
            throw new ArgumentException($"Epoch must be ≥ 0; got {s.Epoch}.", nameof(s.Epoch));
        foreach (var (value, name) in new[] { (s.RegionalWeight, nameof(s.RegionalWeight)), (s.BoundaryWeight, nameof(s.BoundaryWeight)), (s.StepSize, nameof(s.StepSize)) })
        {
            if (!(value >= 0) || double.IsInfinity(value))
                throw new ArgumentException($"{name} must be finite and ≥ 0; got {value}.", name);
        }
        if (double.IsNaN(s.Limit))
            throw new ArgumentException("Limit is NaN.", nameof(s.Limit));
        if (s.Kind == ScheduleKind.Rebalance && Math.Abs(s.RegionalWeight + s.BoundaryWeight - 1) > 1e-9)
            throw new ArgumentException($"A rebalance state has weights summing to 1; got {s.RegionalWeight} + {s.BoundaryWeight}.", nameof(s));
        return s;
    }

    private static void RequireWeight(double value, string name)
    {
        if (!(value >= 0) || double.IsInfinity(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and ≥ 0.");
    }

    private static void RequireLimit(double maximum, double initial, string name, string initialName)
    {
        if (!(maximum >= initial))
            throw new ArgumentOutOfRangeException(name, maximum, $"{name} must be ≥ {initialName} ({initial}).");
    }
}
