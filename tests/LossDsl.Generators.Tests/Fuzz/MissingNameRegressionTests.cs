using Xunit;

namespace LossDsl.Generators.Tests.Fuzz;

/// <summary>Fuzz input 1795 (seed 14): a declaration with a parameter whose name is missing is the compiler's error, not the generator's.</summary>
public sealed class MissingNameRegressionTests
{
    [Fact]
    public void A_parameter_without_a_name_gets_no_generated_code_and_no_internal_error()
    {
        const string source = "using LossDsl;\nusing static LossDsl.Dsl;\nnamespace F;\npublic static partial class L\n{\n"
            + "    [Loss] public static Scalar F2(Field p, Field q, float a = 0.5f, int  = 3) => Mean(p * q);\n}\n";
        var failures = FuzzCheck.Run(new[] { new FuzzInput(0, "missing parameter name", source) });
        Assert.True(failures.Count == 0, string.Join("\n", System.Linq.Enumerable.Select(failures, f => f.Problem)));
    }
}
