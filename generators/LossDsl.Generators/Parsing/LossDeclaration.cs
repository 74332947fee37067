using LossDsl.Generators.Common;
using LossDsl.Generators.Model;

namespace LossDsl.Generators.Parsing;

/// <summary>Everything about a <c>[Loss]</c> except its body: where it lives and what it takes.</summary>
/// <param name="ReservedNames">Names of the declaring type's members that a generated member could meet (see <see cref="LossModel.ReservedNames"/>).</param>
internal sealed record LossDeclaration(
    string Namespace,
    EquatableArray<string> ContainingTypes,
    string TypeFullName,
    string Name,
    string Accessibility,
    string Summary,
    EquatableArray<ParameterModel> Parameters,
    EquatableArray<string> ReservedNames);
