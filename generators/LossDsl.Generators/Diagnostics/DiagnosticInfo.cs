using System.Linq;
using LossDsl.Generators.Common;
using LossDsl.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace LossDsl.Generators.Diagnostics;

/// <summary>
/// Where a diagnostic points, as plain values. A <see cref="Location"/> holds its syntax tree, which changes on every
/// edit and would make every model unequal to the previous one, so the pipeline carries this instead.
/// </summary>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public static LocationInfo From(SyntaxNode node) => From(node.SyntaxTree, node.Span);

    public static LocationInfo From(SyntaxToken token) => From(token.SyntaxTree!, token.Span);

    public static LocationInfo From(SyntaxTree tree, TextSpan span) =>
        new(tree.FilePath, span, tree.GetLineSpan(span).Span);

    public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);
}

/// <summary>A diagnostic to report, equatable so that it can travel through the incremental pipeline.</summary>
internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, LocationInfo? Location, EquatableArray<string> Arguments)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] arguments) =>
        new(descriptor, location, arguments.ToEquatableArray());

    public Diagnostic ToDiagnostic() => Diagnostic.Create(
        Descriptor,
        Location?.ToLocation() ?? Microsoft.CodeAnalysis.Location.None,
        Arguments.Select(a => (object?)a).ToArray());
}
