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
        var stored = calleeSyntax is null ? StoredGraph(callee) : null;
        if (calleeSyntax is null && stored is null)
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

        int result;
        if (stored is { } graph)
        {
            result = InlineStored(graph.Nodes, graph.Result, calleeFrame, invocation.Syntax);
        }
        else
        {
            sink.EnterInlined(LocationInfo.From(invocation.Syntax), callee.Name);
            try
            {
                result = TranslateLoss(callee, calleeSyntax!, calleeFrame);
            }
            finally
            {
                sink.ExitInlined();
            }
        }

        // The callee's value reads as its name in formulas and generated code: "(1 − alpha)·tversky + alpha·boundary".
        if (result >= 0)
        {
            builder.Label(result, LowerFirst(callee.Name));
        }

        return result;
    }

    /// <summary>
    /// The forward graph a compiled loss of another assembly carries on its generated <c>NameInfo</c>
    /// (<c>LossDsl.LossGraphAttribute</c>), or null when it has none (compiled by an older generator).
    /// </summary>
    private (System.Collections.Generic.IReadOnlyList<Ir.Node> Nodes, int Result)? StoredGraph(IMethodSymbol callee)
    {
        if (types.LossGraphAttribute is null)
        {
            return null;
        }

        foreach (var member in callee.ContainingType.GetMembers(callee.Name + "Info"))
        {
            foreach (var attribute in member.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, types.LossGraphAttribute)
                    && attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string text)
                {
                    return Ir.GraphText.Read(text);
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Rebuilds a stored graph in this loss's builder, its parameters bound like an inlined body's: fields and
    /// hyper-parameters to the caller's argument nodes, class lists to the caller's class-list parameters. Shapes
    /// are inferred again, so a mismatch with the caller's arguments is reported at the call.
    /// </summary>
    private int InlineStored(System.Collections.Generic.IReadOnlyList<Ir.Node> nodes, int result, InlineFrame frame, SyntaxNode call)
    {
        Binding ParameterNamed(string name) =>
            frame.Method.Parameters.FirstOrDefault(p => p.Name == name) is { } parameter && frame.Parameters.TryGetValue(parameter, out var binding)
                ? binding
                : Binding.Invalid;

        var ids = new int[nodes.Count];
        for (var i = 0; i < nodes.Count; i++)
        {
            var node = nodes[i];
            var args = node.Args.Select(a => ids[a]).ToArray();
            ids[i] = node.Op switch
            {
                Ir.Op.Input or Ir.Op.Hyper => ParameterNamed(node.Name).Node,
                Ir.Op.Constant => builder.Constant(node.Value),
                Ir.Op.Extent => node.Name.Length == 0 ? builder.Extent(node.Reduce, "") : ClassListNamed(node.Name) is { } classes ? builder.Extent(node.Reduce, classes) : Invalid,
                Ir.Op.Select or Ir.Op.Scatter => ClassListNamed(node.Name) is { } list ? Add(node.Op, call, args, list) : Invalid,
                _ => Add(node.Op, call, args, "", node.Reduce),
            };
            // The stored result is named "loss" in its own assembly; here it is named after the callee (see Inline).
            if (ids[i] >= 0 && node.Label.Length > 0 && i != result)
            {
                builder.Label(ids[i], frame.LabelPrefix + node.Label);
            }
        }

        return ids[result];

        string? ClassListNamed(string name) => ParameterNamed(name) is { IsClassList: true } binding ? binding.ClassList : null;
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
