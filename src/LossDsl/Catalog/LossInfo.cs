using System.Collections.Generic;

namespace LossDsl;

/// <summary>What the generator knows about one <c>[Loss]</c>: for inspection tools, documentation and tests.</summary>
/// <param name="Name">The method name, e.g. <c>Boundary</c>.</param>
/// <param name="DeclaringType">The fully qualified name of the declaring class.</param>
/// <param name="Parameters">The declaration's parameters, as written (<c>Field probs</c>, <c>float alpha = 0.3f</c>…).</param>
/// <param name="Formula">The loss as mathematics, after inlining and simplification.</param>
/// <param name="Gradients">For each field parameter, its derived gradient as mathematics.</param>
/// <param name="TorchSharpSource">The generated TorchSharp source of this loss (empty where that back end is not generated).</param>
/// <param name="CpuSource">The generated CPU source of this loss.</param>
public sealed record LossInfo(
    string Name,
    string DeclaringType,
    IReadOnlyList<string> Parameters,
    string Formula,
    IReadOnlyDictionary<string, string> Gradients,
    string TorchSharpSource,
    string CpuSource)
{
    /// <summary>The fully qualified name, <c>DeclaringType.Name</c>.</summary>
    public string FullName => DeclaringType + "." + Name;
}
