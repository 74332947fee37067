using LossDsl.Generators.Common;
using LossDsl.Generators.Ir;
using LossDsl.Generators.Model;

namespace LossDsl.Generators.Passes;

/// <summary>What one statement of a generated pass does.</summary>
internal enum StepKind
{
    /// <summary><see cref="Step.Node"/>'s value at this position vector (and class): a vector local, also written to
    /// its per-class slots when the node is in <see cref="PassPlan.KeptPerClass"/>.</summary>
    Compute,

    /// <summary>A field (or a per-position value kept from an earlier pass) read in place into a vector local.</summary>
    Load,

    /// <summary>Before a loop over the classes: a class reduction's accumulator starts (0 or −∞), a scatter's slots are cleared.</summary>
    Start,

    /// <summary><see cref="Step.Target"/>, a reduction or a scatter, takes in <see cref="Step.Node"/>.</summary>
    Reduce,

    /// <summary>The gradient destination of field number <see cref="Step.Field"/> receives <see cref="Step.Node"/>.</summary>
    StoreGradient,

    /// <summary><see cref="Step.Node"/> is written whole, for later passes to read in place instead of recomputing it.</summary>
    Save,
}

/// <summary>One statement of a pass body.</summary>
internal sealed record Step(StepKind Kind, int Node, int Target = -1, int Field = -1);

/// <summary>
/// Consecutive steps that run under one condition: <see cref="Need"/> is a <see cref="LoopPlan"/> need mask (the
/// value bit: always; otherwise only when one of the gradients in the mask is wanted).
/// </summary>
internal sealed record StepGroup(int Need, EquatableArray<Step> Steps);

/// <summary>
/// A run of a pass body: once per position vector (<see cref="OverClasses"/> false) or a loop over the classes of
/// <see cref="Domain"/> ("" for all classes, else the class-list parameter). <see cref="Predeclared"/> are the locals
/// computed under a condition but read outside it, declared before the block's groups.
/// </summary>
internal sealed record Block(bool OverClasses, string Domain, EquatableArray<int> Predeclared, EquatableArray<StepGroup> Groups);

/// <summary>
/// One pass: one loop over the positions of every batch item, inside which the <see cref="Blocks"/> run in order.
/// </summary>
/// <param name="Number">0-based.</param>
/// <param name="Need">When the pass runs at all (need mask).</param>
/// <param name="Reductions">Reductions over the positions this pass accumulates (partials per work item).</param>
/// <param name="PerPosition">Reductions over the batch this pass writes whole, for later passes to read in place.</param>
/// <param name="Saved">Values this pass writes whole because later passes would otherwise recompute them at a high cost.</param>
/// <param name="KeptPerClass">Values over the classes read outside the class loop that computes them: kept in
/// per-class slots for the current position vector (scatters included).</param>
/// <param name="KeptNeed">Per value of <paramref name="KeptPerClass"/>, the need mask of the steps that read its slots:
/// its slots are written only when it is met.</param>
/// <param name="Blocks">The body, in order.</param>
/// <param name="WritesGradients">Whether this is the pass that writes the gradients.</param>
internal sealed record PassPlan(
    int Number,
    int Need,
    EquatableArray<int> Reductions,
    EquatableArray<int> PerPosition,
    EquatableArray<int> Saved,
    EquatableArray<int> KeptPerClass,
    EquatableArray<int> KeptNeed,
    EquatableArray<Block> Blocks,
    bool WritesGradients);

/// <summary>
/// The CPU back end's schedule of one loss, made by <see cref="LoopPlanner"/> and only printed by the emitter.
/// </summary>
/// <param name="Graph">The graph the plan computes: the loss and its gradients, lowered by <see cref="LoopLowering"/>.</param>
/// <param name="Result">The loss.</param>
/// <param name="Gradients">Per field parameter, ∂L/∂field or −1.</param>
/// <param name="Need">Per node, the need mask: bit <see cref="LoopPlan.ValueBit"/> when the loss value needs it, bit i
/// when the gradient of field i does; 0 for nodes nothing needs.</param>
/// <param name="SmallNodes">Per stage s (before the first pass for s = 0, after pass s − 1 otherwise), the values
/// without positions computed between passes, in order.</param>
/// <param name="Passes">The passes over the positions.</param>
internal sealed record LoopPlan(
    Graph Graph,
    int Result,
    EquatableArray<int> Gradients,
    EquatableArray<int> Need,
    EquatableArray<EquatableArray<int>> SmallNodes,
    EquatableArray<PassPlan> Passes)
{
    /// <summary>The need bit of the loss value (bits 0–7 are the gradients of fields 0–7).</summary>
    public const int ValueBit = 1 << 30;

    /// <summary>Whether a need mask means "always".</summary>
    public static bool Always(int need) => (need & ValueBit) != 0;

    /// <summary>A value with spatial axes (computed inside passes).</summary>
    public bool IsWide(int id) => Graph[id].Shape.Has(Axes.Spatial);
}
