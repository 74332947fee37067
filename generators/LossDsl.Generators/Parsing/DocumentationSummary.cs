using System.Collections.Generic;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace LossDsl.Generators.Parsing;

/// <summary>
/// The summary of a method's <c>///</c> comment as plain text. Read from the trivia rather than from
/// <c>GetDocumentationCommentXml</c>, which is empty when the project does not parse documentation comments; a
/// comment without a <c>&lt;summary&gt;</c> (as in <c>/// Tversky loss: …</c>) is taken whole.
/// </summary>
internal static class DocumentationSummary
{
    private static readonly Regex Summary = new("<summary>(.*?)</summary>", RegexOptions.Singleline);
    private static readonly Regex OtherSections = new(@"<(param|typeparam|returns|remarks|example|exception|seealso)\b[^>]*?(/>|>.*?</\1>)", RegexOptions.Singleline);
    private static readonly Regex Reference = new(@"<(see|paramref|typeparamref)\s+(cref|name|langword)=""(?:[A-Z]:)?([^""]*)""\s*/>");
    private static readonly Regex Tag = new(@"<[^>]*>");
    private static readonly Regex Whitespace = new(@"\s+");

    public static string Read(SyntaxNode declaration)
    {
        var lines = new List<string>();
        foreach (var trivia in declaration.GetLeadingTrivia())
        {
            var isDoc = trivia.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia)
                || trivia.IsKind(SyntaxKind.MultiLineDocumentationCommentTrivia)
                || (trivia.IsKind(SyntaxKind.SingleLineCommentTrivia) && trivia.ToString().StartsWith("///"));
            if (!isDoc)
            {
                continue;
            }

            foreach (var line in trivia.ToFullString().Split('\n'))
            {
                var text = line.Trim();
                text = text.StartsWith("///") ? text.Substring(3) : text.TrimStart('/', '*').TrimEnd('/', '*');
                lines.Add(text);
            }
        }

        if (lines.Count == 0)
        {
            return "";
        }

        var xml = string.Join("\n", lines);
        var summary = Summary.Match(xml);
        xml = summary.Success ? summary.Groups[1].Value : OtherSections.Replace(xml, " ");
        xml = Reference.Replace(xml, m => Last(m.Groups[3].Value));
        xml = Tag.Replace(xml, "");
        xml = xml.Replace("&lt;", "<").Replace("&gt;", ">").Replace("&quot;", "\"").Replace("&apos;", "'").Replace("&amp;", "&");
        return Whitespace.Replace(xml, " ").Trim();
    }

    /// <summary>A reference such as <c>M:LossDsl.Dsl.Mean(LossDsl.Field)</c> reads as <c>Mean</c> in prose.</summary>
    private static string Last(string cref)
    {
        var paren = cref.IndexOf('(');
        var name = paren >= 0 ? cref.Substring(0, paren) : cref;
        var dot = name.LastIndexOf('.');
        return dot >= 0 ? name.Substring(dot + 1) : name;
    }
}
