using System;
using System.Linq;
using LossDsl.Generators.Diagnostics;
using LossDsl.Generators.Emit;
using LossDsl.Generators.Model;
using LossDsl.Generators.Parsing;
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
        public const string Model = "LossDsl.Model";
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

        var models = results
            .Where(static result => result.Model is not null)
            .Select(static (result, _) => result.Model!)
            .WithTrackingName(TrackingNames.Model);
        context.RegisterSourceOutput(models, static (output, model) => Emit(output, model));
    }

    /// <summary>An emitter failure is reported, never thrown: the rest of the compilation still gets its code.</summary>
    private static void Emit(SourceProductionContext output, LossModel model)
    {
        string source;
        try
        {
            source = LossFileEmitter.Emit(model);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            output.ReportDiagnostic(DiagnosticInfo.Create(
                DiagnosticDescriptors.InternalError,
                null,
                model.TypeFullName + "." + model.Name,
                exception.GetType().Name,
                exception.Message).ToDiagnostic());
            return;
        }

        output.AddSource(LossFileEmitter.HintName(model), source);
    }
}
