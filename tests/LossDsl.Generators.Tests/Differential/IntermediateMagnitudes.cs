using System;
using System.Linq;
using LossDsl.Generators.Ir;

namespace LossDsl.Generators.Tests.Differential;

/// <summary>
/// How large the values are that a result of a loss's graph (the loss, or one field's gradient) is computed from: the
/// largest finite magnitude over the nodes it depends on, evaluated in double by the interpreter. The float check
/// uses it to tell float's overflow (an intermediate beyond 3.4e38 is ∞ in float, then ∞ − ∞ = NaN) from a wrong rule.
/// </summary>
internal static class IntermediateMagnitudes
{
    /// <summary>The largest finite |value| of any node that <paramref name="root"/> depends on (itself included), or 0.</summary>
    public static double Largest(Graph graph, Interpreter interpreter, int root) =>
        graph.Reachable(new[] { root }).Select((reached, id) => (reached, id)).Where(n => n.reached)
            .SelectMany(n => interpreter.Evaluate(n.id).Data)
            .Where(double.IsFinite)
            .Select(Math.Abs)
            .DefaultIfEmpty(0)
            .Max();
}
