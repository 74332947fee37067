using LossDsl.Generators.Model;
using Microsoft.CodeAnalysis;

namespace LossDsl.Generators.Parsing;

/// <summary>Which <see cref="ParameterKind"/> a declared parameter has, if it is one a loss may declare.</summary>
internal static class ParameterKinds
{
    public static ParameterKind? Of(IParameterSymbol parameter, KnownTypes types)
    {
        // IsThis is the hidden receiver of an instance method; an extension method's `this` parameter is its first.
        var isExtensionReceiver = parameter.Ordinal == 0 && parameter.ContainingSymbol is IMethodSymbol { IsExtensionMethod: true };
        if (parameter.RefKind != RefKind.None || parameter.IsParams || parameter.IsThis || isExtensionReceiver)
        {
            return null;
        }

        var type = parameter.Type;
        if (types.IsField(type))
        {
            return ParameterKind.Field;
        }

        return type.SpecialType switch
        {
            SpecialType.System_Single => ParameterKind.Float,
            SpecialType.System_Double => ParameterKind.Double,
            SpecialType.System_Int32 => ParameterKind.Int,
            _ when type is IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Int32 } => ParameterKind.ClassList,
            _ => null,
        };
    }
}
