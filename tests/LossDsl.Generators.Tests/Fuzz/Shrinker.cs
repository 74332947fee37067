using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LossDsl.Generators.Tests.Fuzz;

/// <summary>
/// Shrinks a failing fuzz input to a smaller one that still fails the same way (greedy delta debugging on the syntax
/// tree): repeatedly tries, largest first, to remove a member of a type, remove a statement, replace an expression by
/// one of its operands or arguments, by a field parameter of its loss or by the constant <c>1</c>, drop an unused
/// parameter, and finally remove single lines (for inputs that do not parse into declarations); a candidate is kept
/// when it is shorter and <c>fails</c> holds on it, and the search restarts from it until no candidate is kept (the
/// result is 1-minimal for these edits) or the budget of predicate calls is spent.
/// </summary>
internal static class Shrinker
{
    /// <summary>The smallest failing source found, and how many times the predicate ran.</summary>
    public static (string Source, int Calls) Shrink(string source, Func<string, bool> fails, int budget = 400)
    {
        var calls = 0;
        var current = source;
        var progress = true;
        while (progress && calls < budget)
        {
            progress = false;
            foreach (var candidate in Candidates(current))
            {
                if (candidate.Length >= current.Length || candidate == current)
                {
                    continue;
                }

                if (calls >= budget)
                {
                    break;
                }

                calls++;

                if (fails(candidate))
                {
                    current = candidate;
                    progress = true;
                    break;
                }
            }
        }

        return (current, calls);
    }

    /// <summary>Every one-step reduction of <paramref name="source"/>, roughly largest first.</summary>
    public static IEnumerable<string> Candidates(string source)
    {
        var root = CSharpSyntaxTree.ParseText(source).GetRoot();

        // Whole members (other losses, inserted members, nested types) and statements.
        foreach (var member in root.DescendantNodes().OfType<MemberDeclarationSyntax>()
                     .Where(m => m is not BaseNamespaceDeclarationSyntax)
                     .OrderByDescending(m => m.Span.Length))
        {
            yield return Without(source, member);
        }

        foreach (var statement in root.DescendantNodes().OfType<StatementSyntax>()
                     .Where(s => s.Parent is BlockSyntax)
                     .OrderByDescending(s => s.Span.Length))
        {
            yield return Without(source, statement);
        }

        // Expressions: by an operand, then by a leaf.
        var expressions = root.DescendantNodes().OfType<ExpressionSyntax>()
            .Where(e => e.FirstAncestorOrSelf<MethodDeclarationSyntax>() is not null && e.FirstAncestorOrSelf<ParameterSyntax>() is null && e.FirstAncestorOrSelf<AttributeSyntax>() is null)
            .OrderByDescending(e => e.Span.Length)
            .ToList();
        foreach (var expression in expressions)
        {
            foreach (var part in Operands(expression).OrderBy(p => p.Span.Length))
            {
                yield return Replace(source, expression, part.ToString());
            }
        }

        foreach (var expression in expressions.Where(e => e is not (IdentifierNameSyntax or LiteralExpressionSyntax)))
        {
            var method = expression.FirstAncestorOrSelf<MethodDeclarationSyntax>()!;
            foreach (var field in method.ParameterList.Parameters.Where(p => p.Type?.ToString() == "Field").Select(p => p.Identifier.Text).Take(1))
            {
                yield return Replace(source, expression, field);
            }

            yield return Replace(source, expression, "1");
        }

        // Parameters no longer used by their method's body.
        foreach (var method in root.DescendantNodes().OfType<MethodDeclarationSyntax>())
        {
            var used = new HashSet<string>(((SyntaxNode?)method.Body ?? method.ExpressionBody)?.DescendantNodes().OfType<IdentifierNameSyntax>().Select(i => i.Identifier.ValueText) ?? Enumerable.Empty<string>());
            foreach (var parameter in method.ParameterList.Parameters.Where(p => !used.Contains(p.Identifier.ValueText)))
            {
                var list = method.ParameterList.Parameters;
                var index = list.IndexOf(parameter);
                var span = index < list.Count - 1
                    ? TextSpanOf(parameter.SpanStart, list.GetSeparator(index).Span.End)
                    : index > 0 ? TextSpanOf(list.GetSeparator(index - 1).SpanStart, parameter.Span.End) : parameter.Span;
                yield return source.Remove(span.Start, span.Length);
            }
        }

        // Lines, for what the tree edits cannot reach (a file that does not parse into declarations).
        var lines = source.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length > 0)
            {
                yield return string.Join("\n", lines.Take(i).Concat(lines.Skip(i + 1)));
            }
        }
    }

    /// <summary>The sub-expressions an expression may be replaced by: operands of operators, arguments of calls.</summary>
    private static IEnumerable<ExpressionSyntax> Operands(ExpressionSyntax expression) => expression switch
    {
        ParenthesizedExpressionSyntax p => new[] { p.Expression },
        BinaryExpressionSyntax b => new[] { b.Left, b.Right },
        PrefixUnaryExpressionSyntax u => new[] { u.Operand },
        CastExpressionSyntax c => new[] { c.Expression },
        InvocationExpressionSyntax i => i.ArgumentList.Arguments.Select(a => a.Expression),
        ConditionalExpressionSyntax c => new[] { c.WhenTrue, c.WhenFalse },
        _ => Array.Empty<ExpressionSyntax>(),
    };

    private static Microsoft.CodeAnalysis.Text.TextSpan TextSpanOf(int start, int end) => Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(start, end);

    private static string Without(string source, SyntaxNode node) => source.Remove(node.FullSpan.Start, node.FullSpan.Length);

    private static string Replace(string source, SyntaxNode node, string text) =>
        source.Substring(0, node.Span.Start) + text + source.Substring(node.Span.End);
}
