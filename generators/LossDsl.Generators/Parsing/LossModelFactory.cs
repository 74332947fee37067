using System.Linq;
using LossDsl.Generators.Common;
using LossDsl.Generators.Ir;
using LossDsl.Generators.Model;
using LossDsl.Generators.Passes;

namespace LossDsl.Generators.Parsing;

/// <summary>Turns a parsed loss into the emitters' model: differentiates it w.r.t. each Field parameter.</summary>
internal static class LossModelFactory
{
    /// <summary>The model of a declaration and its forward graph (parsed, or read back from a compiled assembly).</summary>
    public static LossModel Create(LossDeclaration declaration, Graph forward, int result)
    {
        var fieldNames = declaration.Parameters.Where(p => p.Kind == ParameterKind.Field).Select(p => p.Name).ToList();
        var (differentiated, differentiatedResult, gradients) = Differentiator.Differentiate(forward, result, fieldNames);
        var graph = SharedValueNames.Apply(differentiated, differentiatedResult, gradients);
        return new LossModel(
            declaration.Namespace,
            declaration.ContainingTypes,
            declaration.TypeFullName,
            declaration.Name,
            declaration.Accessibility,
            declaration.Summary,
            declaration.Parameters,
            graph,
            differentiatedResult,
            gradients.ToEquatableArray(),
            declaration.ReservedNames);
    }
}
