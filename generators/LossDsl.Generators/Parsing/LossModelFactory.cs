using System.Linq;
using LossDsl.Generators.Model;
using LossDsl.Generators.Passes;

namespace LossDsl.Generators.Parsing;

/// <summary>Turns a parsed loss into the emitters' model: differentiates it w.r.t. each Field parameter.</summary>
internal static class LossModelFactory
{
    public static LossModel Create(ParsedLoss parsed)
    {
        var declaration = parsed.Declaration;
        var fieldNames = declaration.Parameters.Where(p => p.Kind == ParameterKind.Field).Select(p => p.Name).ToList();
        var (differentiated, result, gradients) = Differentiator.Differentiate(parsed.Forward, parsed.Result, fieldNames);
        var graph = SharedValueNames.Apply(differentiated, result, gradients);
        return new LossModel(
            declaration.Namespace,
            declaration.ContainingTypes,
            declaration.TypeFullName,
            declaration.Name,
            declaration.Accessibility,
            declaration.Summary,
            declaration.Parameters,
            graph,
            result,
            gradients.ToEquatableArray(),
            declaration.ReservedNames);
    }
}
