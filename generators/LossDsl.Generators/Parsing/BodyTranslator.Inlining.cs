using System.Linq;
using LossDsl.Generators.Diagnostics;
using LossDsl.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace LossDsl.Generators.Parsing;

/// <summary>
/// Composition: a call of another <c>[Loss]</c> is inlined, its parameters bound to the caller's arguments, so that
/// the whole loss is one graph that is simplified, differentiated and fused as a unit.
/// </summary>
internal sealed partial class BodyTranslator
{
    private int Inline(IInvocationOperation invocation, InlineFrame frame)
    {
        var callee = invocation.TargetMethod.OriginalDefinition;
        var recursionStart = callStack.FindIndex(m => SymbolEqualityComparer.Default.Equals(m, callee));
        if (recursionStart >= 0)
        {
            var chain = string.Join(" → ", callStack.Skip(recursionStart).Select(m => m.Name).Concat(new[] { callee.Name }));
            sink.Report(DiagnosticDescriptors.RecursiveLoss, invocation.Syntax, callee.Name, chain);
            return Invalid;
        }

        var calleeSyntax = callee.DeclaringSyntaxReferences
            .Select(reference => reference.GetSyntax(cancellationToken))
            .OfType<MethodDeclarationSyntax>()
            .FirstOrDefault();
        if (calleeSyntax is null)
        {
            sink.Report(DiagnosticDescriptors.LossFromOtherAssembly, invocation.Syntax, callee.Name, callee.ContainingAssembly?.Name ?? "?");
            return Invalid;
        }

        var calleeFrame = new InlineFrame(callee, LowerFirst(callee.Name) + "_");
        var args = ArgumentsByOrdinal(invocation);
        foreach (var parameter in callee.Parameters)
        {
            var argument = parameter.Ordinal < args.Length ? args[parameter.Ordinal] : null;
            calleeFrame.Parameters[parameter] = Bind(parameter, argument, frame, invocation.Syntax);
        }

        sink.EnterInlined(LocationInfo.From(invocation.Syntax), callee.Name);
        try
        {
            return TranslateLoss(callee, calleeSyntax, calleeFrame);
        }
        finally
        {
            sink.ExitInlined();
        }
    }

    private Binding Bind(IParameterSymbol parameter, IArgumentOperation? argument, InlineFrame frame, SyntaxNode call)
    {
        switch (ParameterKinds.Of(parameter, types))
        {
            case ParameterKind.ClassList:
                return ClassList(argument, frame, call) is { } classes ? Binding.OfClassList(classes) : Binding.Invalid;
            case null:
                // The callee reports its own parameter; the caller fails with it.
                sink.FailSilently();
                return Binding.Invalid;
            default:
                // An omitted argument is an IArgumentOperation of kind DefaultValue holding the callee's default.
                return argument is null ? Binding.Invalid : Binding.OfNode(Translate(argument.Value, frame));
        }
    }

    private static string LowerFirst(string name) =>
        name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name.Substring(1);
}
