using System;
using System.Text.RegularExpressions;

namespace LossDsl.Generators.Tests.Fuzz;

/// <summary>
/// Declarations a user may write around a loss, made from a valid file of <see cref="LossGrammar"/>: the kinds the
/// generator must support or answer with one LD diagnostic (overloads, case twins, nested and generic types, members
/// with a generated member's name, partial methods, <c>this</c> parameters), syntax errors and truncated files.
/// </summary>
internal static class Mutations
{
    private static readonly string[] Kinds =
    {
        "case twin", "overload", "private nested", "protected nested", "internal nested", "generic type", "generic outer",
        "member FCpu", "member F0Info", "member F0TorchState", "member F0InfoRegistration", "member F0CpuValueProgram",
        "partial", "this parameter", "class list default", "instance", "not partial", "delete char", "insert token", "truncate",
        "record type", "struct type",
    };

    public static (string Kind, string Source) Apply(string source, Random random)
    {
        var kind = Kinds[random.Next(Kinds.Length)];
        return (kind, Mutate(kind, source, random));
    }

    private static string Mutate(string kind, string source, Random random)
    {
        const string Class = "public static partial class L";
        const string Method = "[Loss] public static Scalar F0(";
        switch (kind)
        {
            case "case twin":
                return BeforeLastBrace(source, "    [Loss] public static Scalar f0(Field p) => Sum(p);\n");
            case "overload":
                return BeforeLastBrace(source, "    [Loss] public static Scalar F0(Field p) => Sum(p);\n");
            case "private nested":
                return Wrap(source, "public static partial class Outer {", "private static partial class L", "}");
            case "protected nested":
                return Wrap(source, "public partial class Outer {", "protected static partial class L", "}");
            case "internal nested":
                return Wrap(source, "public partial class Outer {", "internal static partial class L", "}");
            case "generic type":
                return source.Replace(Class, "public static partial class L<T>", StringComparison.Ordinal);
            case "generic outer":
                return Wrap(source, "public partial class Outer<T> {", "public static partial class L", "}");
            case "member FCpu":
                return source.Replace(Class + "\n{", Class + "\n{\n    public static int F0Cpu;", StringComparison.Ordinal);
            case "member F0Info":
                return source.Replace(Class + "\n{", Class + "\n{\n    public static void F0Info() { }", StringComparison.Ordinal);
            case "member F0TorchState":
                return source.Replace(Class + "\n{", Class + "\n{\n    private sealed class F0TorchState { }", StringComparison.Ordinal);
            case "member F0InfoRegistration":
                return source.Replace(Class + "\n{", Class + "\n{\n    internal static void F0InfoRegistration() { }", StringComparison.Ordinal);
            case "member F0CpuValueProgram":
                return source.Replace(Class + "\n{", Class + "\n{\n    private static int F0CpuValueProgram;", StringComparison.Ordinal);
            case "partial":
                return source.Replace(Class + "\n{", Class + "\n{\n    [Loss] public static partial Scalar G(Field p);\n    public static partial Scalar G(Field p) => Mean(p);", StringComparison.Ordinal);
            case "this parameter":
                return source.Replace(Method + "Field p", Method + "this Field p", StringComparison.Ordinal);
            case "class list default":
                return source.Replace(Class + "\n{", Class + "\n{\n    [Loss] public static Scalar G(Field p, int[] idc = null!) => Mean(Select(p, idc));", StringComparison.Ordinal);
            case "instance":
                return source.Replace("[Loss] public static Scalar F0(", "[Loss] public Scalar F0(", StringComparison.Ordinal);
            case "not partial":
                return source.Replace(Class, "public static class L", StringComparison.Ordinal);
            case "record type":
                return source.Replace(Class, "public partial record L", StringComparison.Ordinal);
            case "struct type":
                return source.Replace(Class, "public partial struct L", StringComparison.Ordinal);
            case "delete char":
                var at = random.Next(source.Length);
                return source.Remove(at, 1);
            case "insert token":
                var tokens = new[] { "(", ")", "{", "}", ";", ",", "=>", "var", "[Loss]", "@", "\"", "/*", "#if X", "static" };
                return source.Insert(random.Next(source.Length), tokens[random.Next(tokens.Length)]);
            default:
                return source.Substring(0, random.Next(source.Length));
        }
    }

    private static string BeforeLastBrace(string source, string member)
    {
        var at = source.LastIndexOf('}');
        return source.Substring(0, at) + member + source.Substring(at);
    }

    /// <summary>Puts the class into an outer type: <c>namespace X; outer { inner … }</c>.</summary>
    private static string Wrap(string source, string outer, string inner, string close)
    {
        var start = source.IndexOf("public static partial class L", StringComparison.Ordinal);
        var body = source.Substring(start).Replace("public static partial class L", inner, StringComparison.Ordinal);
        return source.Substring(0, start) + outer + "\n" + Regex.Replace(body, "^", "    ", RegexOptions.Multiline) + "\n" + close + "\n";
    }
}
