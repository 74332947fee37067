using System.Collections.Generic;
using System.Linq;
using LossDsl.Generators.Common;
using LossDsl.Generators.Diagnostics;
using LossDsl.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LossDsl.Generators.Parsing;

/// <summary>
/// Checks the declaration of a <c>[Loss]</c> (static, in static partial types, returns Scalar, parameters of the
/// kinds a loss may take) and reads what the emitters need to re-declare its type and signature.
/// </summary>
internal static class DeclarationReader
{
    public static LossDeclaration Read(IMethodSymbol method, MethodDeclarationSyntax syntax, KnownTypes types, SemanticModel semanticModel, DiagnosticSink sink)
    {
        var at = LocationInfo.From(syntax.Identifier);
        if (IsPartial(method))
        {
            sink.Report(DiagnosticDescriptors.PartialLoss, at, method.Name);
        }

        if (!method.IsStatic)
        {
            sink.Report(DiagnosticDescriptors.MethodNotStatic, at, method.Name);
        }

        if (method.IsGenericMethod)
        {
            sink.Report(DiagnosticDescriptors.GenericLoss, at, method.Name);
        }

        if (method.ReturnType.TypeKind == TypeKind.Error)
        {
            // Unresolved or ambiguous (e.g. `Scalar` with `using TorchSharp;`): the compiler says which.
            sink.FailSilently();
        }
        else if (!types.IsScalar(method.ReturnType))
        {
            sink.Report(DiagnosticDescriptors.WrongReturnType, syntax.ReturnType, method.Name, method.ReturnType.ToDisplayString());
        }

        CheckContainingTypes(method, syntax, sink);
        ContainingTypeRules.Check(method, syntax, semanticModel, sink, at);
        CheckUniqueName(method, types, sink, at);
        var parameters = ReadParameters(method, syntax, types, sink);
        if (!parameters.Any(p => p.Kind == ParameterKind.Field) && parameters.Count == method.Parameters.Length)
        {
            sink.Report(DiagnosticDescriptors.NoFieldParameter, at, method.Name);
        }

        var fieldCount = parameters.Count(p => p.Kind == ParameterKind.Field);
        if (fieldCount > DiagnosticDescriptors.MaxFields)
        {
            sink.Report(DiagnosticDescriptors.TooManyFields, at, method.Name, fieldCount.ToString(System.Globalization.CultureInfo.InvariantCulture), DiagnosticDescriptors.MaxFields.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var type = method.ContainingType;
        return new LossDeclaration(
            NamespaceOf(type),
            ContainingTypeChain(type).Select(Declaration).ToEquatableArray(),
            type.ToDisplayString(),
            method.Name,
            SyntaxFacts.GetText(method.DeclaredAccessibility),
            DocumentationSummary.Read(syntax),
            parameters.ToEquatableArray(),
            ContainingTypeRules.ReservedNames(method).ToEquatableArray());
    }

    /// <summary>A partial method's attribute may sit on the declaration without a body; either part is rejected.</summary>
    public static bool IsPartial(IMethodSymbol method) =>
        method.IsPartialDefinition || method.PartialDefinitionPart is not null || method.PartialImplementationPart is not null;

    /// <summary>The namespace as its names without <c>@</c>, joined by dots (emitters escape each part).</summary>
    private static string NamespaceOf(INamedTypeSymbol type)
    {
        var parts = new Stack<string>();
        for (var ns = type.ContainingNamespace; ns is { IsGlobalNamespace: false }; ns = ns.ContainingNamespace)
        {
            parts.Push(ns.Name);
        }

        return string.Join(".", parts);
    }

    private static List<ParameterModel> ReadParameters(IMethodSymbol method, MethodDeclarationSyntax syntax, KnownTypes types, DiagnosticSink sink)
    {
        var parameters = new List<ParameterModel>();
        foreach (var parameter in method.Parameters)
        {
            var kind = ParameterKinds.Of(parameter, types);
            if (kind is null && ContainsErrorType(parameter.Type))
            {
                sink.FailSilently();
                continue;
            }

            if (kind is null)
            {
                var parameterSyntax = parameter.Ordinal < syntax.ParameterList.Parameters.Count
                    ? syntax.ParameterList.Parameters[parameter.Ordinal]
                    : null;
                var declared = parameterSyntax is null
                    ? parameter.Type.ToDisplayString()
                    : (parameterSyntax.Modifiers.ToString() + " " + parameterSyntax.Type).Trim();
                sink.Report(
                    DiagnosticDescriptors.UnsupportedParameterType,
                    parameterSyntax is null ? LocationInfo.From(syntax.Identifier) : LocationInfo.From(parameterSyntax),
                    parameter.Name,
                    method.Name,
                    declared);
                continue;
            }

            var defaultValue = parameter.HasExplicitDefaultValue ? CSharpLiterals.Format(parameter.ExplicitDefaultValue) : "";
            parameters.Add(new ParameterModel(parameter.Name, kind.Value, defaultValue));
        }

        return parameters;
    }

    private static bool ContainsErrorType(ITypeSymbol type) =>
        type.TypeKind == TypeKind.Error || (type is IArrayTypeSymbol array && ContainsErrorType(array.ElementType));

    /// <summary>The generated members go into a partial re-declaration of every enclosing type.</summary>
    private static void CheckContainingTypes(IMethodSymbol method, MethodDeclarationSyntax syntax, DiagnosticSink sink)
    {
        var declaringType = true;
        for (var node = syntax.Parent; node is TypeDeclarationSyntax typeSyntax; node = node.Parent)
        {
            var isPartial = typeSyntax.Modifiers.Any(SyntaxKind.PartialKeyword);
            if (declaringType)
            {
                var isStaticClass = typeSyntax is ClassDeclarationSyntax && method.ContainingType.IsStatic;
                if (!isPartial || !isStaticClass)
                {
                    sink.Report(DiagnosticDescriptors.TypeNotStaticPartial, LocationInfo.From(typeSyntax.Identifier), typeSyntax.Identifier.Text, "static partial class", method.Name);
                }
            }
            else if (!isPartial)
            {
                sink.Report(DiagnosticDescriptors.TypeNotStaticPartial, LocationInfo.From(typeSyntax.Identifier), typeSyntax.Identifier.Text, "partial", method.Name);
            }

            declaringType = false;
        }
    }

    /// <summary>
    /// Generated members are named after the loss (<c>Name</c>, <c>NameCpu</c>, <c>NameInfo</c>…), so overloads would
    /// collide; the first declaration (in source order) keeps the name, the others are reported.
    /// </summary>
    private static void CheckUniqueName(IMethodSymbol method, KnownTypes types, DiagnosticSink sink, LocationInfo at)
    {
        var first = method.ContainingType.GetMembers(method.Name)
            .OfType<IMethodSymbol>()
            .Where(types.IsLoss)
            .Select(m => (Method: m, Location: m.Locations.FirstOrDefault()))
            .Where(m => m.Location is not null && m.Location.IsInSource)
            .OrderBy(m => m.Location!.SourceTree!.FilePath, System.StringComparer.Ordinal)
            .ThenBy(m => m.Location!.SourceSpan.Start)
            .Select(m => m.Method)
            .FirstOrDefault();
        if (first is not null && !SymbolEqualityComparer.Default.Equals(first, method))
        {
            sink.Report(DiagnosticDescriptors.DuplicateLossName, at, method.Name, method.ContainingType.ToDisplayString());
        }
    }

    private static IEnumerable<INamedTypeSymbol> ContainingTypeChain(INamedTypeSymbol type)
    {
        var chain = new Stack<INamedTypeSymbol>();
        for (var t = type; t is not null; t = t.ContainingType)
        {
            chain.Push(t);
        }

        return chain;
    }

    /// <summary>E.g. <c>public static partial class MyLosses</c>: enough to re-open the type in a generated file.</summary>
    private static string Declaration(INamedTypeSymbol type)
    {
        var parts = new List<string>();
        if (type.DeclaredAccessibility != Accessibility.NotApplicable)
        {
            parts.Add(SyntaxFacts.GetText(type.DeclaredAccessibility));
        }

        if (type.IsStatic)
        {
            parts.Add("static");
        }

        parts.Add("partial");
        parts.Add(type switch
        {
            { TypeKind: TypeKind.Struct, IsRecord: true } => "record struct",
            { TypeKind: TypeKind.Struct } => "struct",
            { TypeKind: TypeKind.Interface } => "interface",
            { IsRecord: true } => "record",
            _ => "class",
        });
        var name = Identifiers.Escape(type.Name);
        if (type.TypeParameters.Length > 0)
        {
            name += "<" + string.Join(", ", type.TypeParameters.Select(p => Identifiers.Escape(p.Name))) + ">";
        }

        parts.Add(name);
        return string.Join(" ", parts);
    }
}
