namespace LossDsl.Generators.Emit;

/// <summary>The <c>[GeneratedCode]</c> attribute every generated member carries (analyzers and coverage tools skip them).</summary>
internal static class GeneratedCode
{
    public const string Attribute = "[global::System.CodeDom.Compiler.GeneratedCode(\"LossDsl.Generators\", \"0.1.0\")]";
}
