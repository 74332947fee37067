using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis.CSharp;

namespace LossDsl.Generators.Tests.Fuzz;

/// <summary>
/// Every name a user could pick that the generator might trip over, in every role a name plays in a loss file:
/// each C# keyword (reserved ones written verbatim, <c>@class</c>), each contextual keyword, every name the
/// generated code uses itself, and names that differ only in case.
/// </summary>
internal static class NameSweep
{
    public enum Role
    {
        Loss,
        Field,
        Hyper,
        ClassList,
        Local,
        ContainingClass,
        Namespace,
    }

    /// <summary>Names the generated code (TorchSharp, CPU, file) introduces for a loss <c>L</c> with fields <c>p</c>, <c>q</c>.</summary>
    private static readonly string[] GeneratorNames =
    {
        "state", "scope", "shape", "device", "ctx", "vars", "saved", "result", "gradOutput", "grad_output", "ndim", "fields",
        "gradients", "T", "chunk", "partials", "loss", "value", "global", "gradP", "gradQ", "one", "two", "half", "zero",
        "minusOne", "allDims", "spatialDims", "classDims", "idcIndex", "aScalar", "minusAScalar", "product", "sumAll", "spatialSums",
        "LTorchState", "LTorchFunction", "LInfoRegistration", "RegisterLInfo", "LCpuValueProgram", "LCpuGradientProgram",
        "RequiresGrad", "NeedsBackward", "Shape", "Keep", "Release", "ToString", "Equals", "GetHashCode", "Name", "forward", "backward",
        "apply", "Tensor", "torch", "TorchSharp", "LossDsl", "System", "Field", "Scalar", "Dsl", "Kernels", "View", "Vector",
    };

    /// <summary>Every C# keyword as source text: reserved ones with <c>@</c>, contextual ones as they are.</summary>
    public static IEnumerable<string> Keywords() =>
        SyntaxFacts.GetReservedKeywordKinds().Select(k => "@" + SyntaxFacts.GetText(k))
            .Concat(SyntaxFacts.GetContextualKeywordKinds().Select(SyntaxFacts.GetText))
            .Where(k => k.Length > 0 && k.TrimStart('@').All(char.IsLetter))
            .Distinct();

    public static IEnumerable<string> Names() => Keywords().Concat(GeneratorNames).Distinct();

    /// <summary>All (name, role) inputs, each a whole file in namespace <paramref name="prefix"/>.</summary>
    public static IEnumerable<(string Description, string Source)> Inputs(System.Func<int, string> prefix)
    {
        var i = 0;
        foreach (var name in Names())
        {
            foreach (var role in System.Enum.GetValues<Role>())
            {
                yield return ($"name {name} as {role}", File(prefix(i++), role, name));
            }
        }

        // Names that differ only in case: two losses, two classes, two namespaces.
        yield return ("losses ce and Ce", CaseFile(prefix(i++), "namespace {0}; public static partial class L { [Loss] public static Scalar ce(Field p) => Mean(p); [Loss] public static Scalar Ce(Field p) => Sum(p); }"));
        yield return ("classes L and l", CaseFile(prefix(i++), "namespace {0}; public static partial class L { [Loss] public static Scalar F(Field p) => Mean(p); } public static partial class l { [Loss] public static Scalar F(Field p) => Mean(p); }"));
        yield return ("namespaces N and n", CaseFile(prefix(i++), "namespace {0}.N { public static partial class L { [Loss] public static Scalar F(Field p) => Mean(p); } } namespace {0}.n { public static partial class L { [Loss] public static Scalar F(Field p) => Mean(p); } }"));
        yield return ("fields p and P", CaseFile(prefix(i++), "namespace {0}; public static partial class L { [Loss] public static Scalar F(Field p, Field P) => Mean(p * P); }"));
        yield return ("loss l in class L", CaseFile(prefix(i++), "namespace {0}; public static partial class L { [Loss] public static Scalar l(Field p) => Mean(p); }"));
    }

    private static string CaseFile(string ns, string template) =>
        "using LossDsl;\nusing static LossDsl.Dsl;\n" + template.Replace("{0}", ns);

    /// <summary>A loss that uses every role once; <paramref name="name"/> takes the place of <paramref name="role"/>.</summary>
    public static string File(string ns, Role role, string name)
    {
        string Pick(Role r, string otherwise) => r == role ? name : otherwise;
        var space = role == Role.Namespace ? ns + "." + name : ns;
        var type = Pick(Role.ContainingClass, "L");
        var loss = Pick(Role.Loss, "F");
        var field = Pick(Role.Field, "p");
        var hyper = Pick(Role.Hyper, "a");
        var list = Pick(Role.ClassList, "idc");
        var local = Pick(Role.Local, "t");
        return $$"""
            using LossDsl;
            using static LossDsl.Dsl;
            namespace {{space}};
            public static partial class {{type}}
            {
                [Loss]
                public static Scalar {{loss}}(Field {{field}}, Field q, int[] {{list}}, float {{hyper}} = 0.5f)
                {
                    var {{local}} = SumSpatial({{field}} * q) * {{hyper}};
                    return Mean({{local}}) + Mean(Select({{field}}, {{list}}) * Select(q, {{list}}));
                }
            }
            """;
    }
}
