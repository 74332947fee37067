using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace LossDsl.Generators.Tests.Harness;

/// <summary>What the compiler says about the code the generator added.</summary>
internal static class GeneratedCode
{
    /// <summary>
    /// Errors and warnings of the output compilation that the input alone does not have: those in generated files,
    /// and new ones in the user's file (a generated member that clashes with a user's). Reference-unification notes
    /// about TorchSharp's own dependencies (CS1701/CS1702, the test host's framework) are not the generator's.
    /// </summary>
    public static IReadOnlyList<Diagnostic> Problems(GeneratorRun run)
    {
        static bool Counts(Diagnostic d) => d.Severity >= DiagnosticSeverity.Warning && d.Id is not ("CS1701" or "CS1702");
        var before = new HashSet<string>(run.Input.GetDiagnostics().Where(Counts).Select(d => d.ToString()));
        return run.Output.GetDiagnostics().Where(Counts).Where(d => !before.Contains(d.ToString())).ToList();
    }
}
