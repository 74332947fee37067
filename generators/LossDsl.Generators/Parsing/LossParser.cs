using System;
using System.Linq;
using System.Threading;
using LossDsl.Generators.Common;
using LossDsl.Generators.Diagnostics;
using LossDsl.Generators.Ir;
using LossDsl.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LossDsl.Generators.Parsing;

/// <summary>
/// The front end: one <c>[Loss]</c> method in, its declaration and forward graph (or diagnostics) out.
/// </summary>
internal static class LossParser
{
    /// <summary>
    /// The transform of the incremental pipeline. Never throws (except to honour cancellation): an unexpected failure
    /// becomes an internal-error diagnostic on the method, so one bad loss cannot break the whole compilation.
    /// </summary>
    public static LossParseResult Transform(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var name = context.TargetSymbol.Name;
        var at = context.TargetNode is MethodDeclarationSyntax method ? LocationInfo.From(method.Identifier) : LocationInfo.From(context.TargetNode);
        try
        {
            if (context.TargetSymbol is not IMethodSymbol symbol
                || context.TargetNode is not MethodDeclarationSyntax syntax
                || context.Attributes.Length == 0
                || context.Attributes[0].AttributeClass is not { } attribute)
            {
                return new LossParseResult(null, EquatableArray<DiagnosticInfo>.Empty);
            }

            if (KnownTypes.From(attribute) is not { } types)
            {
                throw new InvalidOperationException("the assembly declaring LossDsl.LossAttribute does not declare LossDsl.Field, Scalar and Dsl");
            }

            var parsed = Parse(symbol, syntax, context.SemanticModel, types, cancellationToken);
            var loss = parsed.Failed ? null : new DeclaredLoss(parsed.Declaration, parsed.Forward, parsed.Result);
            return new LossParseResult(loss, parsed.Diagnostics);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception exception)
        {
            var error = DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, at, name, exception.GetType().Name, exception.Message);
            return new LossParseResult(null, new[] { error }.ToEquatableArray());
        }
    }

    /// <summary>Checks the declaration and translates the body into a forward graph.</summary>
    public static ParsedLoss Parse(IMethodSymbol method, MethodDeclarationSyntax syntax, SemanticModel semanticModel, KnownTypes types, CancellationToken cancellationToken)
    {
        var sink = new DiagnosticSink();
        var declaration = DeclarationReader.Read(method, syntax, types, semanticModel, sink);
        if (DeclarationReader.IsPartial(method))
        {
            // The part the attribute is on may have no body; LD0019 says what to do, nothing else is worth reading.
            return new ParsedLoss(declaration, new GraphBuilder().ToGraph(), -1, sink.Diagnostics.ToEquatableArray(), true);
        }

        var builder = new GraphBuilder();
        var frame = new InlineFrame(method, "");
        foreach (var parameter in method.Parameters)
        {
            frame.Parameters[parameter] = ParameterKinds.Of(parameter, types) switch
            {
                ParameterKind.Field => Binding.OfNode(builder.Input(parameter.Name)),
                ParameterKind.ClassList => Binding.OfClassList(parameter.Name),
                null => Binding.Invalid,
                _ => Binding.OfNode(builder.Hyper(parameter.Name)),
            };
        }

        var translator = new BodyTranslator(builder, types, sink, semanticModel, cancellationToken);
        var result = translator.TranslateLoss(method, syntax, frame);
        if (result >= 0 && !builder[result].Shape.IsScalar)
        {
            // Scalar-typed expressions are always full reductions, so this only guards against an IR change.
            sink.Report(DiagnosticDescriptors.ShapeMismatch, LocationInfo.From(syntax.Identifier), $"a loss must be a scalar, but its value has shape {builder[result].Shape}");
        }

        // A parameter without a name is a syntax error the compiler reports; there is nothing to generate for it.
        var unnamed = method.Parameters.Any(p => p.Name.Length == 0);
        return new ParsedLoss(declaration, builder.ToGraph(), result, sink.Diagnostics.ToEquatableArray(), sink.Failed || result < 0 || unnamed);
    }
}
