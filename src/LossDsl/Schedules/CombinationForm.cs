namespace LossDsl.Schedules;

/// <summary>How a regional loss L_R and the boundary loss L_B are combined with the weight α.</summary>
public enum CombinationForm
{
    /// <summary><c>L_R + α·L_B</c>: the paper's "constant" and "increase" strategies.</summary>
    Additive,

    /// <summary><c>(1 − α)·L_R + α·L_B</c>: the paper's "rebalance" strategy (its best).</summary>
    Rebalance,
}

/// <summary>Which rule a <see cref="WeightSchedule"/> follows from one epoch to the next.</summary>
public enum ScheduleKind
{
    /// <summary>α stays fixed; weights (1, α).</summary>
    Constant,

    /// <summary>α grows by a step per epoch up to a maximum; weights (1, α).</summary>
    Increase,

    /// <summary>α grows by a step per epoch up to a maximum; weights (1 − α, α).</summary>
    Rebalance,

    /// <summary>The reference's <c>StealWeight(s)</c>: weights (a, b) → (max(floor, a − s), b + s) per epoch.</summary>
    StealWeight,
}
