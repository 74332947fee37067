using LossDsl.Generators.Ir;

namespace LossDsl.Generators.Parsing;

/// <summary>
/// A loss as the front end reads it: its declaration and its forward graph, not yet differentiated. The first value
/// of the source pipeline; the steps after it (differentiate, plan, emit) are named steps of their own.
/// </summary>
internal sealed record DeclaredLoss(LossDeclaration Declaration, Graph Forward, int Result);
