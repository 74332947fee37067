using Microsoft.CodeAnalysis;

namespace LossDsl.Generators.Parsing;

/// <summary>
/// The runtime's DSL types, resolved from the assembly that declares <c>LossDsl.LossAttribute</c> (not by name
/// lookup in the whole compilation, which fails when two references declare the same name).
/// </summary>
internal sealed class KnownTypes
{
    private KnownTypes(INamedTypeSymbol loss, INamedTypeSymbol field, INamedTypeSymbol scalar, INamedTypeSymbol dsl, INamedTypeSymbol? graph)
    {
        LossGraphAttribute = graph;
        LossAttribute = loss;
        Field = field;
        Scalar = scalar;
        Dsl = dsl;
    }

    public INamedTypeSymbol LossAttribute { get; }

    public INamedTypeSymbol Field { get; }

    public INamedTypeSymbol Scalar { get; }

    public INamedTypeSymbol Dsl { get; }

    /// <summary>The attribute that carries a compiled loss's graph (absent in runtimes older than this generator).</summary>
    public INamedTypeSymbol? LossGraphAttribute { get; }

    public static KnownTypes? From(INamedTypeSymbol lossAttribute)
    {
        var assembly = lossAttribute.ContainingAssembly;
        var field = assembly.GetTypeByMetadataName("LossDsl.Field");
        var scalar = assembly.GetTypeByMetadataName("LossDsl.Scalar");
        var dsl = assembly.GetTypeByMetadataName("LossDsl.Dsl");
        var graph = assembly.GetTypeByMetadataName("LossDsl.LossGraphAttribute");
        return field is null || scalar is null || dsl is null ? null : new KnownTypes(lossAttribute, field, scalar, dsl, graph);
    }

    public bool IsLoss(IMethodSymbol method)
    {
        foreach (var attribute in method.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, LossAttribute))
            {
                return true;
            }
        }

        return false;
    }

    public bool IsField(ITypeSymbol? type) => SymbolEqualityComparer.Default.Equals(type, Field);

    public bool IsScalar(ITypeSymbol? type) => SymbolEqualityComparer.Default.Equals(type, Scalar);

    public bool IsDsl(ITypeSymbol? type) => SymbolEqualityComparer.Default.Equals(type, Dsl);
}
