using System.Linq;
using LossDsl.Generators.Tests.Harness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;
using static LossDsl.Generators.Tests.Diagnostics.DiagnosticAssertions;

namespace LossDsl.Generators.Tests.Diagnostics;

/// <summary>One minimal loss per diagnostic ID, checking the ID and exactly what it points at.</summary>
public sealed class DiagnosticTests
{
    [Fact]
    public void LD0001_a_Math_call_is_reported_with_the_Dsl_intrinsic_to_use()
    {
        var run = RunMembers("[Loss] public static Scalar F(Field p) => Mean(p) + System.Math.Log(2);");
        var diagnostic = AssertReported(run, "LD0001", "System.Math.Log(2)");
        Assert.Contains("Dsl.Log", diagnostic.GetMessage());
    }

    [Theory]
    [InlineData("{ var s = Mean(p); for (var i = 0; i < 2; i++) { } return s; }", "for (var i = 0; i < 2; i++) { }", "loop")]
    [InlineData("{ var s = Mean(p); if (a > 0) { s = Sum(p); } return s; }", "if (a > 0) { s = Sum(p); }", "if statement")]
    [InlineData("=> a > 0 ? Mean(p) : Sum(p);", "a > 0 ? Mean(p) : Sum(p)", "conditional")]
    [InlineData("{ var s = Mean(p); s = Sum(p); return s; }", "s = Sum(p)", "assignment")]
    [InlineData("{ a = 2; return Mean(p); }", "a = 2", "assignment")]
    [InlineData("=> Mean(p) * System.DateTime.Now.Second;", "System.DateTime.Now.Second", "member access")]
    [InlineData("{ System.Func<Field, Field> f = x => x; return Mean(p); }", "x => x", "function")]
    [InlineData("=> Mean(p) * (a % 2);", "a % 2", "'%'")]
    public void LD0001_names_the_unsupported_construct_at_its_location(string body, string spanText, string construct)
    {
        var run = RunMembers("[Loss] public static Scalar F(Field p, float a) " + body);
        var diagnostic = AssertReported(run, "LD0001", spanText);
        Assert.Contains(construct, diagnostic.GetMessage());
    }

    [Fact]
    public void LD0002_a_shape_mismatch_points_at_the_operation()
    {
        var run = RunMembers("[Loss] public static Scalar F(Field p, int[] idc) => Mean(SumSpatial(p) * Select(p, idc));");
        var diagnostic = AssertReported(run, "LD0002", "SumSpatial(p) * Select(p, idc)");
        Assert.Contains("class axes hold different classes", diagnostic.GetMessage());
    }

    [Fact]
    public void LD0002_reducing_a_missing_axis_is_reported()
    {
        var run = RunMembers("[Loss] public static Scalar F(Field p) => Mean(SumSpatial(SumSpatial(p)));");
        AssertReported(run, "LD0002", "SumSpatial(SumSpatial(p))");
    }

    [Fact]
    public void LD0003_an_instance_loss_is_reported_at_its_name()
    {
        var run = GeneratorHarness.Run("""
            using LossDsl;
            using static LossDsl.Dsl;
            public partial class L
            {
                [Loss] public Scalar F(Field p) => Mean(p);
            }
            """);
        AssertReported(run, "LD0003", "F");
    }

    [Fact]
    public void LD0004_a_class_that_is_not_static_partial_is_reported_at_its_name()
    {
        var run = GeneratorHarness.Run("""
            using LossDsl;
            using static LossDsl.Dsl;
            public static class NotPartial
            {
                [Loss] public static Scalar F(Field p) => Mean(p);
            }
            """);
        AssertReported(run, "LD0004", "NotPartial");
    }

    [Fact]
    public void LD0004_an_enclosing_type_must_be_partial_too()
    {
        var run = GeneratorHarness.Run("""
            using LossDsl;
            using static LossDsl.Dsl;
            public static class Outer
            {
                public static partial class Inner
                {
                    [Loss] public static Scalar F(Field p) => Mean(p);
                }
            }
            """);
        var diagnostic = AssertReported(run, "LD0004", "Outer");
        Assert.DoesNotContain(run.Diagnostics, d => d.Id == "LD0004" && run.SpanText(d) == "Inner");
        Assert.Contains("declared partial", diagnostic.GetMessage());
    }

    [Fact]
    public void LD0005_a_loss_that_does_not_return_Scalar_is_reported_at_the_return_type()
    {
        var run = RunMembers("[Loss] public static Field F(Field p) => Log(p);");
        AssertReported(run, "LD0005", "Field");
    }

    [Theory]
    [InlineData("Scalar s", "Scalar s")]
    [InlineData("long n", "long n")]
    [InlineData("ref float a", "ref float a")]
    public void LD0006_an_unsupported_parameter_is_reported_at_its_declaration(string parameter, string spanText)
    {
        var run = RunMembers($"[Loss] public static Scalar F(Field p, {parameter}) => Mean(p);");
        AssertReported(run, "LD0006", spanText);
    }

    [Fact]
    public void LD0007_mutual_recursion_is_reported_at_each_call()
    {
        var run = RunMembers("""
            [Loss] public static Scalar A(Field p) => B(p);
            [Loss] public static Scalar B(Field p) => A(p) + Mean(p);
            """);
        var atB = AssertReported(run, "LD0007", "B(p)");
        AssertReported(run, "LD0007", "A(p)");
        Assert.Contains("A → B → A", atB.GetMessage());
    }

    [Fact]
    public void LD0007_direct_recursion_is_reported()
    {
        var run = RunMembers("[Loss] public static Scalar A(Field p) => A(p) * 2;");
        AssertReported(run, "LD0007", "A(p)");
    }

    [Fact]
    public void LD0008_a_class_list_that_is_not_an_int_array_parameter_is_reported()
    {
        var run = RunMembers("[Loss] public static Scalar F(Field p) => Mean(Select(p, new[] { 1, 2 }));");
        AssertReported(run, "LD0008", "new[] { 1, 2 }");
    }

    [Fact]
    public void LD0009_a_Pow_exponent_that_depends_on_a_field_is_reported_at_the_exponent()
    {
        var run = RunMembers("[Loss] public static Scalar F(Field p) => Mean(Pow(p, Mean(p)));");
        AssertReported(run, "LD0009", "Mean(p)");
    }

    [Fact]
    public void LD0010_a_loss_from_an_assembly_compiled_without_the_generator_cannot_be_inlined()
    {
        var other = GeneratorHarness.Compile(
            Sources.InClass("[Loss] public static Scalar Base(Field p) => Mean(p);").Replace("namespace Tests;", "namespace Other;"),
            assemblyName: "OtherLosses");
        using var image = new System.IO.MemoryStream();
        Assert.True(other.Emit(image).Success);
        var reference = MetadataReference.CreateFromImage(image.ToArray());

        var run = GeneratorHarness.Run(
            Sources.InClass("[Loss] public static Scalar F(Field p) => 2 * Other.L.Base(p);"),
            new[] { reference });
        var diagnostic = AssertReported(run, "LD0010", "Other.L.Base(p)");
        Assert.Contains("OtherLosses", diagnostic.GetMessage());
    }

    [Fact]
    public void LD0011_an_unexpected_failure_becomes_a_diagnostic_not_an_exception()
    {
        // A LossAttribute without the rest of the runtime: the front end cannot resolve Field and fails internally.
        var source = """
            namespace LossDsl { public sealed class LossAttribute : System.Attribute { } }
            public static partial class L
            {
                [LossDsl.Loss] public static double F(double x) => x;
            }
            """;
        var compilation = CSharpCompilation.Create(
            "NoRuntime",
            new[] { GeneratorHarness.Parse(source) },
            GeneratorHarness.References.Where(r => !(r.Display ?? "").EndsWith("LossDsl.dll")),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var run = GeneratorHarness.Run(GeneratorHarness.CreateDriver(), compilation);
        Assert.Null(run.Result.Exception);
        AssertReported(run, "LD0011", "F");
    }

    [Fact]
    public void LD0012_a_loss_without_a_field_parameter_is_reported()
    {
        var run = RunMembers("[Loss] public static Scalar F(float a) => throw new System.InvalidOperationException();");
        AssertReported(run, "LD0012", "F");
    }

    [Fact]
    public void LD0013_a_generic_loss_is_reported()
    {
        var run = RunMembers("[Loss] public static Scalar F<T>(Field p) => Mean(p);");
        AssertReported(run, "LD0013", "F");
    }

    [Fact]
    public void LD0015_a_loss_with_more_than_eight_fields_is_reported()
    {
        var fields = string.Join(", ", System.Linq.Enumerable.Range(0, 9).Select(i => "Field f" + i));
        var run = RunMembers($"[Loss] public static Scalar F({fields}) => Mean(f0);");
        AssertReported(run, "LD0015", "F");
    }

    [Fact]
    public void LD0014_an_overloaded_loss_is_reported_on_the_later_declaration()
    {
        var run = RunMembers("""
            [Loss] public static Scalar F(Field p) => Mean(p);
            [Loss] public static Scalar F(Field p, Field q) => Mean(p * q);
            """);
        var diagnostic = Assert.Single(run.Diagnostics, d => d.Id == "LD0014");
        var source = run.Input.SyntaxTrees[0].ToString();
        Assert.Equal(source.LastIndexOf("F(Field p"), diagnostic.Location.SourceSpan.Start);
        Assert.Single(run.Models);
    }

    [Fact]
    public void Every_descriptor_is_an_error_in_the_LossDsl_category_and_documented()
    {
        var descriptors = typeof(LossDsl.Generators.Diagnostics.DiagnosticDescriptors)
            .GetFields()
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
            .ToList();
        Assert.Equal(descriptors.Count, descriptors.Select(d => d.Id).Distinct().Count());
        var docs = System.IO.File.ReadAllText(System.IO.Path.Combine(RepositoryRoot(), "docs", "diagnostics.md"));
        Assert.All(descriptors, d =>
        {
            Assert.Equal("LossDsl", d.Category);
            Assert.Equal(DiagnosticSeverity.Error, d.DefaultSeverity);
            Assert.Contains("## " + d.Id, docs);
        });
    }

    private static string RepositoryRoot()
    {
        var directory = new System.IO.DirectoryInfo(System.AppContext.BaseDirectory);
        while (directory is not null && !System.IO.File.Exists(System.IO.Path.Combine(directory.FullName, "LossDsl.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new System.InvalidOperationException("LossDsl.sln not found above " + System.AppContext.BaseDirectory);
    }
}
