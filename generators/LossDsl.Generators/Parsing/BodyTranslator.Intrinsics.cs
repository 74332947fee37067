using System.Collections.Generic;
using LossDsl.Generators.Diagnostics;
using LossDsl.Generators.Ir;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace LossDsl.Generators.Parsing;

/// <summary>The <c>LossDsl.Dsl</c> intrinsics, recognised by their symbol (the containing type is <c>LossDsl.Dsl</c>).</summary>
internal sealed partial class BodyTranslator
{
    private int TranslateIntrinsic(IInvocationOperation invocation, InlineFrame frame)
    {
        var at = invocation.Syntax;
        var args = ArgumentsByOrdinal(invocation);
        int Arg(int index) => args[index] is { } arg ? Translate(arg.Value, frame) : Invalid;

        switch (invocation.TargetMethod.Name)
        {
            case "Log": return Add(Op.Log, at, new[] { Arg(0) });
            case "Exp": return Add(Op.Exp, at, new[] { Arg(0) });
            case "Sqrt": return Add(Op.Sqrt, at, new[] { Arg(0) });
            case "Abs": return Add(Op.Abs, at, new[] { Arg(0) });
            case "Square": return Add(Op.Square, at, new[] { Arg(0) });
            case "Sigmoid": return Add(Op.Sigmoid, at, new[] { Arg(0) });
            case "Softmax": return Add(Op.Softmax, at, new[] { Arg(0) });
            case "LogSoftmax": return Add(Op.LogSoftmax, at, new[] { Arg(0) });
            case "Min": return Add(Op.Minimum, at, new[] { Arg(0), Arg(1) });
            case "Max": return Add(Op.Maximum, at, new[] { Arg(0), Arg(1) });
            case "Clamp": return Add(Op.Minimum, at, new[] { Add(Op.Maximum, at, new[] { Arg(0), Arg(1) }), Arg(2) });
            case "Pow": return TranslatePow(at, args, frame);
            case "Select": return TranslateSelect(at, args, frame);
            case "Sum": return Reduce(at, Arg(0), null, mean: false);
            case "Mean": return Reduce(at, Arg(0), null, mean: true);
            case "SumSpatial": return Reduce(at, Arg(0), Axes.Spatial, mean: false);
            case "MeanSpatial": return Reduce(at, Arg(0), Axes.Spatial, mean: true);
            case "SumClasses": return Reduce(at, Arg(0), Axes.Class, mean: false);
            case "MeanClasses": return Reduce(at, Arg(0), Axes.Class, mean: true);
            case "SumBatch": return Reduce(at, Arg(0), Axes.Batch, mean: false);
            case "MeanBatch": return Reduce(at, Arg(0), Axes.Batch, mean: true);
            case "MaxSpatial": return Add(Op.MaxOver, at, new[] { Arg(0) }, reduce: Axes.Spatial);
            case "MaxClasses": return Add(Op.MaxOver, at, new[] { Arg(0) }, reduce: Axes.Class);
            case "MaxBatch": return Add(Op.MaxOver, at, new[] { Arg(0) }, reduce: Axes.Batch);
            case "Step": return Add(Op.Step, at, new[] { Arg(0) });
            default:
                sink.Report(
                    DiagnosticDescriptors.UnsupportedSyntax,
                    at,
                    $"The intrinsic 'Dsl.{invocation.TargetMethod.Name}'",
                    "this version of the generator does not compile it yet; update the LossDsl package");
                return Invalid;
        }
    }

    private int TranslatePow(SyntaxNode at, IArgumentOperation?[] args, InlineFrame frame)
    {
        var x = args[0] is { } xArg ? Translate(xArg.Value, frame) : Invalid;
        if (args[1] is not { } exponentArg)
        {
            return Invalid;
        }

        var exponent = Translate(exponentArg.Value, frame);
        if (exponent >= 0 && DependsOnField(exponent))
        {
            sink.Report(DiagnosticDescriptors.PowExponentDependsOnField, exponentArg.Syntax, Snippet(exponentArg.Syntax));
            return Invalid;
        }

        return Add(Op.Pow, at, new[] { x, exponent });
    }

    private int TranslateSelect(SyntaxNode at, IArgumentOperation?[] args, InlineFrame frame)
    {
        var x = args[0] is { } xArg ? Translate(xArg.Value, frame) : Invalid;
        var classes = ClassList(args[1], frame, at);
        return classes is null ? Invalid : Add(Op.Select, at, new[] { x }, classes);
    }

    /// <summary>
    /// A sum over <paramref name="axes"/> (all the argument's axes when null); a mean divides it by the number of
    /// elements summed, counted within the argument's class domain when the class axis is among them.
    /// </summary>
    private int Reduce(SyntaxNode at, int x, Axes? axes, bool mean)
    {
        if (x < 0)
        {
            return Invalid;
        }

        var shape = builder[x].Shape;
        var reduce = axes ?? shape.Axes;
        if (reduce == Axes.None)
        {
            // Sum or mean of a value that is already a scalar: nothing to reduce.
            return x;
        }

        var sum = Add(Op.Sum, at, new[] { x }, reduce: reduce);
        if (!mean || sum < 0)
        {
            return sum;
        }

        // Only |classes| depends on the class domain; keeping the domain off other extents lets them be shared.
        var extent = builder.Extent(reduce, (reduce & Axes.Class) != 0 ? shape.ClassDomain : "");
        return Add(Op.Divide, at, new[] { sum, extent });
    }

    /// <summary>
    /// The outermost <c>int[]</c> parameter an argument stands for, or null (reported) when it is anything else:
    /// Select nodes name the parameter, so the emitted code can read the classes at run time.
    /// </summary>
    private string? ClassList(IArgumentOperation? argument, InlineFrame frame, SyntaxNode call)
    {
        if (argument is null)
        {
            return null;
        }

        var value = argument.Value;
        while (value is IConversionOperation { OperatorMethod: null } conversion)
        {
            value = conversion.Operand;
        }

        if (value is IParameterReferenceOperation reference && frame.Parameters.TryGetValue(reference.Parameter, out var binding))
        {
            if (binding.IsClassList)
            {
                return binding.ClassList;
            }

            if (binding.Node < 0)
            {
                sink.FailSilently();
                return null;
            }
        }

        if (value is IInvalidOperation)
        {
            sink.FailSilently();
            return null;
        }

        var omitted = argument.ArgumentKind == ArgumentKind.DefaultValue;
        sink.Report(
            DiagnosticDescriptors.ClassListNotParameter,
            omitted ? call : argument.Syntax,
            omitted ? "(omitted, default " + argument.Parameter?.Name + ")" : Snippet(argument.Syntax));
        return null;
    }

    private bool DependsOnField(int id) => builder.DependsOnInput(id);

    /// <summary>The arguments by parameter position (named arguments may come in any order).</summary>
    private static IArgumentOperation?[] ArgumentsByOrdinal(IInvocationOperation invocation)
    {
        var args = new IArgumentOperation?[invocation.TargetMethod.Parameters.Length];
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is { } parameter && parameter.Ordinal < args.Length)
            {
                args[parameter.Ordinal] = argument;
            }
        }

        return args;
    }
}
