namespace LossDsl.Generators.Emit;

/// <summary>Text for XML documentation comments and C# string literals.</summary>
internal static class Xml
{
    public static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    /// <summary>A verbatim C# string literal holding <paramref name="text"/>.</summary>
    public static string VerbatimLiteral(string text) => "@\"" + text.Replace("\"", "\"\"") + "\"";
}
