using LossDsl.Generators.Model;

namespace LossDsl.Generators.Parsing;

/// <summary>Everything about a <c>[Loss]</c> except its body: where it lives and what it takes.</summary>
internal sealed record LossDeclaration(
    string Namespace,
    EquatableArray<string> ContainingTypes,
    string TypeFullName,
    string Name,
    string Accessibility,
    string Summary,
    EquatableArray<ParameterModel> Parameters);
