using System;
using System.Linq;
using LossDsl.Generators.Diagnostics;
using LossDsl.Generators.Emit;
using LossDsl.Generators.Model;
using LossDsl.Generators.Parsing;
using LossDsl.Generators.Passes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LossDsl.Generators;

/// <summary>
/// Compiles every <c>[Loss]</c> method into generated members of its partial class. The front end's result is split
/// in two pipelines (as ComputeSharp does): diagnostics from one, source from the other, which sees only the
/// equatable <see cref="LossModel"/>, so that edits which do not change a loss's meaning (comments, formatting,
/// moving code) leave the generated source cached.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class LossGenerator : IIncrementalGenerator
{
    /// <summary>Names of the pipeline steps, for incremental-caching tests.</summary>
    public static class TrackingNames
    {
        public const string Parse = "LossDsl.Parse";
        public const string Diagnostics = "LossDsl.Diagnostics";
        public const string Declaration = "LossDsl.Declaration";
        public const string Differentiate = "LossDsl.Differentiate";
        public const string Plan = "LossDsl.Plan";
    }

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var results = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                "LossDsl.LossAttribute",
                static (node, _) => node is MethodDeclarationSyntax,
                LossParser.Transform)
            .WithTrackingName(TrackingNames.Parse);

        var diagnostics = results
            .Select(static (result, _) => result.Diagnostics)
            .Where(static diagnostics => diagnostics.Count > 0)
            .WithTrackingName(TrackingNames.Diagnostics);
        context.RegisterSourceOutput(diagnostics, static (output, diagnostics) =>
        {
            foreach (var diagnostic in diagnostics)
            {
                output.ReportDiagnostic(diagnostic.ToDiagnostic());
            }
        });

        // Declared → differentiated → planned → printed: each a named step with an equatable value, so that an edit
        // stops at the first step whose value it does not change. A step that throws hands its failure on, to be
        // reported where the file would have been added: never thrown into the compiler.
        var declared = results
            .Where(static result => result.Loss is not null)
            .Select(static (result, _) => result.Loss!)
            .WithTrackingName(TrackingNames.Declaration);
        var differentiated = declared
            .Select(static (loss, _) => Step<DeclaredLoss>.Of(loss, loss.Declaration.TypeFullName + "." + loss.Declaration.Name).Then(LossSources.Differentiate))
            .WithTrackingName(TrackingNames.Differentiate);
        var planned = differentiated
            .Select(static (loss, _) => loss.Then(LossSources.Plan))
            .WithTrackingName(TrackingNames.Plan);
        context.RegisterSourceOutput(planned, static (output, loss) => Emit(output, loss));
    }

    /// <summary>An emitter failure is reported, never thrown: the rest of the compilation still gets its code.</summary>
    private static void Emit(SourceProductionContext output, Step<PlannedLoss> planned)
    {
        var file = planned.Then(LossFileEmitter.Emit);
        if (file.Value is null)
        {
            output.ReportDiagnostic(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, null, file.Loss, file.ErrorType, file.ErrorMessage).ToDiagnostic());
            return;
        }

        output.AddSource(LossFileEmitter.HintName(planned.Value!.Model), file.Value);
    }
}
