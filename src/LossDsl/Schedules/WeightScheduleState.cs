using System.Text.Json.Serialization;

namespace LossDsl.Schedules;

/// <summary>
/// Everything a <see cref="WeightSchedule"/> needs to continue where it stopped: serialize it with a checkpoint
/// (<see cref="WeightSchedule.ToJson"/>) and restore with <see cref="WeightSchedule.FromState"/>.
/// </summary>
/// <param name="Kind">The rule.</param>
/// <param name="Epoch">How many times <see cref="WeightSchedule.Step"/> has been called.</param>
/// <param name="RegionalWeight">The current weight of the regional loss L_R.</param>
/// <param name="BoundaryWeight">The current weight of the boundary loss L_B (α).</param>
/// <param name="StepSize">What is added to α (or moved from L_R to L_B) per epoch; 0 for <see cref="ScheduleKind.Constant"/>.</param>
/// <param name="Limit">The largest α for Increase/Rebalance; the smallest regional weight (floor) for StealWeight; unused for Constant.</param>
public sealed record WeightScheduleState(
    [property: JsonConverter(typeof(JsonStringEnumConverter<ScheduleKind>))] ScheduleKind Kind,
    int Epoch,
    double RegionalWeight,
    double BoundaryWeight,
    double StepSize,
    double Limit);
