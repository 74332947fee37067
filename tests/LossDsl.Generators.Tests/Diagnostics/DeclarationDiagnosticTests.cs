using System.Linq;
using LossDsl.Generators.Tests.Harness;
using Xunit;
using static LossDsl.Generators.Tests.Diagnostics.DiagnosticAssertions;

namespace LossDsl.Generators.Tests.Diagnostics;

/// <summary>
/// One minimal declaration per diagnostic about where and how a loss is declared (LD0016–LD0020), and the
/// declarations that must keep working: each gets exactly its diagnostic at the loss's name and no generated source.
/// </summary>
public sealed class DeclarationDiagnosticTests
{
    private static GeneratorRun RunFile(string body) => GeneratorHarness.Run("using LossDsl;\nusing static LossDsl.Dsl;\nnamespace Tests;\n" + body);

    [Theory]
    [InlineData("private")]
    [InlineData("protected")]
    [InlineData("private protected")]
    public void LD0016_a_loss_in_a_nested_class_the_assembly_cannot_see_is_reported(string accessibility)
    {
        var run = RunFile("public partial class Outer { " + accessibility + " static partial class Inner { [Loss] public static Scalar F(Field p) => Mean(p); } }");
        var diagnostic = AssertReported(run, "LD0016", "F");
        Assert.Contains(accessibility, diagnostic.GetMessage());
        Assert.Empty(run.Sources);
    }

    [Fact]
    public void A_loss_in_an_internal_nested_class_compiles()
    {
        var run = RunFile("public partial class Outer { internal static partial class Inner { [Loss] public static Scalar F(Field p) => Mean(p); } }");
        Assert.Empty(run.Diagnostics);
        Assert.NotEmpty(run.Sources);
        Assert.Empty(GeneratedCode.Problems(run));
    }

    [Fact]
    public void LD0017_a_loss_in_a_generic_type_is_reported()
    {
        var run = RunFile("public partial class Outer<T> { public static partial class Inner { [Loss] public static Scalar F(Field p) => Mean(p); } }");
        AssertReported(run, "LD0017", "F");
        Assert.Empty(run.Sources);
    }

    [Theory]
    [InlineData("public static int FCpu;", "FCpu")]
    [InlineData("public static void FCpuGradient() { }", "FCpuGradient")]
    [InlineData("[Loss] public static Scalar FInfo(Field p) => Mean(p);", "FInfo")]
    public void LD0018_a_member_with_the_name_of_a_generated_member_is_reported(string member, string taken)
    {
        var run = RunMembers("[Loss] public static Scalar F(Field p) => Mean(p);\n" + member);
        var diagnostic = AssertReported(run, "LD0018", "F");
        Assert.Contains("'" + taken + "'", diagnostic.GetMessage());
    }

    [Fact]
    public void LD0019_a_partial_loss_is_reported_once_at_its_name()
    {
        var run = RunMembers("""
            [Loss] public static partial Scalar F(Field p);
            public static partial Scalar F(Field p) => Mean(p);
            """);
        var diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal("LD0019", diagnostic.Id);
        Assert.Equal("F", run.SpanText(diagnostic));
        Assert.Empty(run.Sources);
    }

    [Theory]
    [InlineData("var")]
    [InlineData("unmanaged")]
    public void LD0020_a_type_that_hides_a_keyword_of_the_generated_code_is_reported(string name)
    {
        var run = RunFile("#pragma warning disable CS8981\ninternal sealed class " + name + " { }\npublic static partial class L { [Loss] public static Scalar F(Field p) => Mean(p); }");
        var diagnostic = AssertReported(run, "LD0020", "F");
        Assert.Contains("'" + name + "'", diagnostic.GetMessage());
    }

    [Fact]
    public void LD0006_a_this_parameter_is_reported()
    {
        var run = RunMembers("[Loss] public static Scalar F(this Field p) => Mean(p);");
        AssertReported(run, "LD0006", "this Field p");
        Assert.Empty(run.Sources);
    }

    [Theory]
    [InlineData("=> Mean(q ?? p);", "??")]
    [InlineData("=> throw new System.InvalidOperationException();", "throw")]
    public void LD0001_messages_use_the_users_words_not_Roslyns_operation_names(string body, string construct)
    {
        var run = RunMembers("[Loss] public static Scalar F(Field p, Field? q) " + body);
        var messages = run.Diagnostics.Where(d => d.Id == "LD0001").Select(d => d.GetMessage()).ToList();
        Assert.NotEmpty(messages);
        Assert.All(messages, m => Assert.DoesNotContain("Coalesce", m));
        Assert.All(messages, m => Assert.DoesNotContain("The Throw", m));
        Assert.Contains(messages, m => m.Contains(construct, System.StringComparison.Ordinal));
    }
}
