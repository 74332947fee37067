using LossDsl.Generators.Model;

namespace LossDsl.Generators.Passes;

/// <summary>
/// A differentiated loss with what the generated file stores about it (<paramref name="Stored"/>, from which its code
/// can be generated again).
/// </summary>
internal sealed record DifferentiatedLoss(LossModel Model, StoredLoss Stored);

/// <summary>A differentiated loss and its CPU loop plan: everything the emitters print.</summary>
internal sealed record PlannedLoss(LossModel Model, StoredLoss Stored, LoopPlan Plan);
