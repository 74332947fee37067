using System;
using System.Collections.Generic;
using System.Linq;
using LossDsl.Generators.Diagnostics;
using LossDsl.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LossDsl.Generators.Parsing;

/// <summary>
/// What the generated file needs from the type a <c>[Loss]</c> is declared in, beyond being a static partial class:
/// a module initializer registers the loss in <c>LossCatalog</c> (so every enclosing type must be non-generic and
/// visible to the whole assembly), the public generated members are named after the loss (so their names must be
/// free), and the generated code writes <c>var</c> and generic constraints (so no type may hide those keywords).
/// </summary>
internal static class ContainingTypeRules
{
    /// <summary>The suffixes of the public members generated for a loss <c>Name</c>: <c>NameCpu</c>, <c>NameCpuGradient</c>, <c>NameInfo</c>.</summary>
    public static readonly string[] PublicMemberSuffixes = { "Cpu", "CpuGradient", "Info" };

    /// <summary>Contextual keywords the generated code relies on; a type with one of these names changes their meaning.</summary>
    private static readonly string[] KeywordsUsedByGeneratedCode = { "var", "unmanaged", "notnull", "dynamic", "nameof" };

    public static void Check(IMethodSymbol method, MethodDeclarationSyntax syntax, SemanticModel semanticModel, DiagnosticSink sink, LocationInfo at)
    {
        for (var type = method.ContainingType; type is not null; type = type.ContainingType)
        {
            if (type.TypeParameters.Length > 0)
            {
                sink.Report(DiagnosticDescriptors.GenericContainingType, at, method.Name, type.ToDisplayString());
                break;
            }

            if (type.DeclaredAccessibility is Accessibility.Private or Accessibility.Protected or Accessibility.ProtectedAndInternal)
            {
                var words = type.DeclaredAccessibility switch
                {
                    Accessibility.Private => "private",
                    Accessibility.Protected => "protected",
                    _ => "private protected",
                };
                sink.Report(DiagnosticDescriptors.InaccessibleContainingType, at, method.Name, type.ToDisplayString(), words);
                break;
            }
        }

        var declaring = method.ContainingType;
        if (declaring is null)
        {
            return;
        }

        foreach (var generated in PublicMemberSuffixes.Select(suffix => method.Name + suffix))
        {
            if (!declaring.GetMembers(generated).IsEmpty || declaring.Name == generated)
            {
                sink.Report(DiagnosticDescriptors.GeneratedMemberNameTaken, at, declaring.ToDisplayString(), generated, method.Name);
            }
        }

        foreach (var keyword in KeywordsUsedByGeneratedCode)
        {
            var hiding = semanticModel.LookupNamespacesAndTypes(syntax.SpanStart, null, keyword).OfType<ITypeSymbol>().FirstOrDefault();
            if (hiding is not null)
            {
                sink.Report(DiagnosticDescriptors.TypeHidesKeyword, at, hiding.ToDisplayString(), keyword, method.Name);
            }
        }
    }

    /// <summary>
    /// Names of the declaring type's members, and of the enclosing types, that contain the loss's name: every
    /// generated member is called <c>Name</c> + a suffix (+ a number), so only these can meet one.
    /// </summary>
    public static IEnumerable<string> ReservedNames(IMethodSymbol method)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        for (var type = method.ContainingType; type is not null; type = type.ContainingType)
        {
            names.Add(type.Name);
        }

        if (method.ContainingType is { } declaring)
        {
            // GetMembers, not MemberNames: the latter leaves out nested types, which a generated nested class could meet.
            foreach (var member in declaring.GetMembers())
            {
                names.Add(member.Name);
            }
        }

        names.RemoveWhere(n => n.IndexOf(method.Name, StringComparison.Ordinal) < 0);
        return names;
    }
}
