using System.Linq;
using LossDsl.Generators.Common;

namespace LossDsl.Generators.Model;

/// <summary>
/// What a generated file stores about its loss (on <c>NameInfo</c>) and all that is needed to generate its code
/// again: the forward graph in <see cref="Ir.GraphText"/> form and the declaration facts, as the file writes them.
/// The generator itself emits the CPU and TorchSharp code from this, not from its richer <see cref="LossModel"/>,
/// so that a tool regenerating the code from a compiled assembly gets exactly what was compiled.
/// </summary>
/// <param name="Graph">The forward graph, <see cref="Ir.GraphText.Write"/>'s text.</param>
/// <param name="Name">The method name, without an <c>@</c>.</param>
/// <param name="DeclaringType">The declaring type's full name.</param>
/// <param name="Parameters">The parameters as <c>LossInfo</c> lists them (<see cref="ParameterText.Describe"/>).</param>
/// <param name="Accessibility">The method's accessibility keyword(s).</param>
/// <param name="Summary">The declaration's XML summary text, or empty.</param>
/// <param name="ReservedNames">The user's member names that generated members avoid (<see cref="LossModel.ReservedNames"/>).</param>
internal sealed record StoredLoss(
    string Graph,
    string Name,
    string DeclaringType,
    EquatableArray<string> Parameters,
    string Accessibility,
    string Summary,
    EquatableArray<string> ReservedNames)
{
    /// <summary>What the generated file of <paramref name="model"/> stores.</summary>
    public static StoredLoss From(LossModel model) => new(
        Ir.GraphText.Write(model.Graph, model.Result),
        model.Name,
        model.TypeFullName,
        model.Parameters.Select(ParameterText.Describe).ToEquatableArray(),
        model.Accessibility,
        model.Summary,
        model.ReservedNames);
}
