using System.Collections.Generic;

namespace LossDsl;

/// <summary>
/// What the generator knows about one <c>[Loss]</c>: for inspection tools, documentation and tests. The generated code
/// itself is not stored (it would double every generated file): <c>LossDsl.Generators.LossSources.Generate</c>
/// regenerates it, identical to the compiled code, from <see cref="Graph"/> and the declaration facts here.
/// </summary>
/// <param name="Name">The method name, e.g. <c>Boundary</c>.</param>
/// <param name="DeclaringType">The fully qualified name of the declaring class.</param>
/// <param name="Parameters">The declaration's parameters, as written (<c>Field probs</c>, <c>float alpha = 0.3f</c>…).</param>
/// <param name="Formula">The loss as mathematics, after inlining and simplification.</param>
/// <param name="Gradients">For each field parameter, its derived gradient as mathematics.</param>
/// <param name="Graph">The forward graph, inlined and simplified, in the generator's text form (the one
/// <c>LossGraphAttribute</c> carries).</param>
/// <param name="Accessibility">The declaration's accessibility keyword(s), e.g. <c>public</c>.</param>
/// <param name="Summary">The declaration's XML summary text, or empty.</param>
/// <param name="ReservedNames">Names of the declaring type's members that generated member names steer clear of
/// (usually none); regenerating the code needs them to pick the same names.</param>
public sealed record LossInfo(
    string Name,
    string DeclaringType,
    IReadOnlyList<string> Parameters,
    string Formula,
    IReadOnlyDictionary<string, string> Gradients,
    string Graph,
    string Accessibility,
    string Summary,
    IReadOnlyList<string> ReservedNames)
{
    /// <summary>The fully qualified name, <c>DeclaringType.Name</c>.</summary>
    public string FullName => DeclaringType + "." + Name;
}
