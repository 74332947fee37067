using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace LossDsl.Generators.Parsing;

/// <summary>The scope of one loss body being translated: the loss itself, or a loss inlined into it.</summary>
internal sealed class InlineFrame
{
    public InlineFrame(IMethodSymbol method, string labelPrefix)
    {
        Method = method;
        LabelPrefix = labelPrefix;
    }

    public IMethodSymbol Method { get; }

    /// <summary>Prepended to local names used as node labels, so that inlined locals say where they come from.</summary>
    public string LabelPrefix { get; }

    public Dictionary<IParameterSymbol, Binding> Parameters { get; } = new(SymbolEqualityComparer.Default);

    public Dictionary<ILocalSymbol, int> Locals { get; } = new(SymbolEqualityComparer.Default);
}
