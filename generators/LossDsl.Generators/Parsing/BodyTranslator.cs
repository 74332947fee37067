using System.Collections.Generic;
using System.Threading;
using LossDsl.Generators.Diagnostics;
using LossDsl.Generators.Ir;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace LossDsl.Generators.Parsing;

/// <summary>
/// Translates a loss body into IR by walking its bound operations (<see cref="IOperation"/>): what a name means is
/// decided by its symbol, never by its spelling, so aliases, <c>using static</c> and fully qualified calls all work.
/// Every node goes through <see cref="GraphBuilder"/>, which infers shapes, folds and shares common subexpressions.
/// A failed subexpression yields <see cref="Invalid"/>, which its users pass on silently, so that one mistake is
/// reported once while independent mistakes elsewhere in the body are still reported.
/// </summary>
internal sealed partial class BodyTranslator
{
    /// <summary>The node id of a subexpression that failed (and was reported, or is reported by the compiler).</summary>
    public const int Invalid = -1;

    private readonly GraphBuilder builder;
    private readonly KnownTypes types;
    private readonly DiagnosticSink sink;
    private readonly SemanticModel rootModel;
    private readonly CancellationToken cancellationToken;

    /// <summary>The losses being translated, outermost first, to detect recursion through composition.</summary>
    private readonly List<IMethodSymbol> callStack = new();

    private readonly Dictionary<SyntaxTree, SemanticModel> models = new();

    public BodyTranslator(GraphBuilder builder, KnownTypes types, DiagnosticSink sink, SemanticModel rootModel, CancellationToken cancellationToken)
    {
        this.builder = builder;
        this.types = types;
        this.sink = sink;
        this.rootModel = rootModel;
        this.cancellationToken = cancellationToken;
    }

    /// <summary>Translates the body of <paramref name="method"/>, whose parameters <paramref name="frame"/> binds.</summary>
    public int TranslateLoss(IMethodSymbol method, MethodDeclarationSyntax syntax, InlineFrame frame)
    {
        callStack.Add(method);
        try
        {
            if (syntax.Body is null && syntax.ExpressionBody is null)
            {
                sink.Report(
                    DiagnosticDescriptors.UnsupportedSyntax,
                    LocationInfo.From(syntax.Identifier),
                    $"The method '{method.Name}' without a body",
                    "write the loss as an expression body (=> …) or as a block of var locals ending in one return");
                return Invalid;
            }

            var body = ModelFor(syntax.SyntaxTree).GetOperation(syntax, cancellationToken) as IMethodBodyOperation;
            var block = body?.BlockBody ?? body?.ExpressionBody;
            if (block is null)
            {
                sink.FailSilently();
                return Invalid;
            }

            return TranslateBlock(block, frame);
        }
        finally
        {
            callStack.RemoveAt(callStack.Count - 1);
        }
    }

    private int TranslateBlock(IBlockOperation block, InlineFrame frame)
    {
        int? result = null;
        foreach (var statement in block.Operations)
        {
            if (result is not null)
            {
                sink.Report(
                    DiagnosticDescriptors.UnsupportedSyntax,
                    statement.Syntax,
                    "A statement after the return",
                    "end the body with its single return");
                continue;
            }

            switch (statement)
            {
                case IVariableDeclarationGroupOperation group:
                    DeclareLocals(group, frame);
                    break;
                case IReturnOperation { ReturnedValue: { } value }:
                    result = Translate(value, frame);
                    break;
                case IEmptyOperation:
                    break;
                case IInvalidOperation:
                    sink.FailSilently();
                    break;
                default:
                    ReportUnsupported(statement);
                    break;
            }
        }

        if (result is null)
        {
            // A body without a return does not compile; the compiler says so.
            sink.FailSilently();
            return Invalid;
        }

        return result.Value;
    }

    private void DeclareLocals(IVariableDeclarationGroupOperation group, InlineFrame frame)
    {
        foreach (var declaration in group.Declarations)
        {
            foreach (var declarator in declaration.Declarators)
            {
                var initializer = declarator.Initializer ?? declaration.Initializer;
                if (initializer is null)
                {
                    sink.Report(
                        DiagnosticDescriptors.UnsupportedSyntax,
                        declarator.Syntax,
                        $"The local '{declarator.Symbol.Name}' without a value",
                        $"give every local its value where it is declared: var {declarator.Symbol.Name} = …;");
                    frame.Locals[declarator.Symbol] = Invalid;
                    continue;
                }

                var node = Translate(initializer.Value, frame);
                frame.Locals[declarator.Symbol] = node;
                if (node >= 0)
                {
                    builder.Label(node, frame.LabelPrefix + declarator.Symbol.Name);
                }
            }
        }
    }

    /// <summary>Translates an expression to the id of its node, or <see cref="Invalid"/>.</summary>
    private int Translate(IOperation operation, InlineFrame frame)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (operation.Type is { TypeKind: TypeKind.Error })
        {
            // An unresolved or ambiguous type (e.g. `Scalar` with `using TorchSharp;`): the compiler reports it.
            sink.FailSilently();
            return Invalid;
        }

        if (NumericConstant(operation) is { } constant)
        {
            return builder.Constant(constant);
        }

        switch (operation)
        {
            case IInvalidOperation:
                sink.FailSilently();
                return Invalid;
            case IConversionOperation conversion:
                return TranslateConversion(conversion, frame);
            case IParenthesizedOperation parenthesized:
                return Translate(parenthesized.Operand, frame);
            case IParameterReferenceOperation parameter:
                return TranslateParameter(parameter, frame);
            case ILocalReferenceOperation local:
                return TranslateLocal(local, frame);
            case IBinaryOperation binary:
                return TranslateBinary(binary, frame);
            case IUnaryOperation unary:
                return TranslateUnary(unary, frame);
            case IInvocationOperation invocation:
                return TranslateInvocation(invocation, frame);
            default:
                ReportUnsupported(operation);
                return Invalid;
        }
    }

    private int TranslateConversion(IConversionOperation conversion, InlineFrame frame)
    {
        if (conversion.OperatorMethod is not null || !(IsNumeric(conversion.Type) || types.IsField(conversion.Type) || types.IsScalar(conversion.Type)))
        {
            ReportUnsupported(conversion);
            return Invalid;
        }

        // Numeric widening (int → double, float → double) does not change the value the IR computes in.
        return Translate(conversion.Operand, frame);
    }

    private int TranslateParameter(IParameterReferenceOperation reference, InlineFrame frame)
    {
        if (!frame.Parameters.TryGetValue(reference.Parameter, out var binding) || (binding.Node < 0 && !binding.IsClassList))
        {
            // A parameter of a type a loss cannot declare: reported with the declaration.
            sink.FailSilently();
            return Invalid;
        }

        if (binding.IsClassList)
        {
            sink.Report(
                DiagnosticDescriptors.UnsupportedSyntax,
                reference.Syntax,
                $"Using the class list '{reference.Parameter.Name}' as a value",
                $"pass it directly to Select(field, {reference.Parameter.Name}) or to a [Loss] that takes an int[]");
            return Invalid;
        }

        return binding.Node;
    }

    private int TranslateLocal(ILocalReferenceOperation reference, InlineFrame frame)
    {
        if (frame.Locals.TryGetValue(reference.Local, out var node))
        {
            if (node < 0)
            {
                sink.FailSilently();
            }

            return node;
        }

        // Only locals declared earlier in the body can be referenced; anything else does not compile.
        sink.FailSilently();
        return Invalid;
    }

    private int TranslateBinary(IBinaryOperation binary, InlineFrame frame)
    {
        Op? op = binary.OperatorKind switch
        {
            BinaryOperatorKind.Add => Op.Add,
            BinaryOperatorKind.Subtract => Op.Subtract,
            BinaryOperatorKind.Multiply => Op.Multiply,
            BinaryOperatorKind.Divide => Op.Divide,
            _ => null,
        };

        var supported = binary.OperatorMethod is { } method
            ? types.IsField(method.ContainingType) || types.IsScalar(method.ContainingType)
            : IsNumeric(binary.Type);
        if (op is null || !supported)
        {
            ReportUnsupported(binary);
            return Invalid;
        }

        if (binary.OperatorMethod is null && op == Op.Divide && IsIntegral(binary.Type))
        {
            sink.Report(
                DiagnosticDescriptors.UnsupportedSyntax,
                binary.Syntax,
                $"The integer division '{Snippet(binary.Syntax)}'",
                "convert one side to double first, e.g. (double)n / 2, so that the generated code divides the same way");
            return Invalid;
        }

        var left = Translate(binary.LeftOperand, frame);
        var right = Translate(binary.RightOperand, frame);
        return Add(op.Value, binary.Syntax, new[] { left, right });
    }

    private int TranslateUnary(IUnaryOperation unary, InlineFrame frame)
    {
        var supported = unary.OperatorMethod is { } method
            ? types.IsField(method.ContainingType) || types.IsScalar(method.ContainingType)
            : IsNumeric(unary.Type);
        if (!supported || unary.OperatorKind is not (UnaryOperatorKind.Minus or UnaryOperatorKind.Plus))
        {
            ReportUnsupported(unary);
            return Invalid;
        }

        var operand = Translate(unary.Operand, frame);
        return unary.OperatorKind == UnaryOperatorKind.Plus ? operand : Add(Op.Negate, unary.Syntax, new[] { operand });
    }

    private int TranslateInvocation(IInvocationOperation invocation, InlineFrame frame)
    {
        var method = invocation.TargetMethod;
        if (types.IsDsl(method.ContainingType))
        {
            return TranslateIntrinsic(invocation, frame);
        }

        if (types.IsLoss(method))
        {
            return Inline(invocation, frame);
        }

        ReportUnsupported(invocation);
        return Invalid;
    }

    /// <summary>
    /// Adds an operation through the builder; a shape error becomes a diagnostic at <paramref name="at"/>.
    /// An invalid operand makes the result invalid without a second diagnostic.
    /// </summary>
    private int Add(Op op, SyntaxNode at, int[] args, string name = "", Axes reduce = Axes.None)
    {
        foreach (var arg in args)
        {
            if (arg < 0)
            {
                return Invalid;
            }
        }

        if (builder.TryAdd(op, args, out var id, out var error, name, reduce))
        {
            return id;
        }

        sink.Report(DiagnosticDescriptors.ShapeMismatch, at, error ?? op + " does not fit its operands");
        return Invalid;
    }

    private SemanticModel ModelFor(SyntaxTree tree)
    {
        if (tree == rootModel.SyntaxTree)
        {
            return rootModel;
        }

        if (!models.TryGetValue(tree, out var model))
        {
            // Inlining needs the callee's bound body, which lives in its own tree. The incremental driver re-runs
            // this transform whenever the compilation changes, so an edited callee is always seen.
#pragma warning disable RS1030 // not an analyzer callback: the generator needs another tree's semantic model
            model = rootModel.Compilation.GetSemanticModel(tree);
#pragma warning restore RS1030
            models[tree] = model;
        }

        return model;
    }

    private static double? NumericConstant(IOperation operation)
    {
        if (!operation.ConstantValue.HasValue)
        {
            return null;
        }

        return operation.ConstantValue.Value switch
        {
            double d => d,
            float f => f, // exactly the float's value: 1e-5f stays (double)1e-5f, as C# itself would widen it
            int i => i,
            long l => l,
            short s => s,
            sbyte sb => sb,
            byte b => b,
            ushort us => us,
            uint ui => ui,
            ulong ul => ul,
            _ => null,
        };
    }

    private static bool IsNumeric(ITypeSymbol? type) => type?.SpecialType is
        SpecialType.System_Double or SpecialType.System_Single or SpecialType.System_Int32 or SpecialType.System_Int64
        or SpecialType.System_Int16 or SpecialType.System_SByte or SpecialType.System_Byte or SpecialType.System_UInt16
        or SpecialType.System_UInt32 or SpecialType.System_UInt64;

    private static bool IsIntegral(ITypeSymbol? type) => IsNumeric(type) && type!.SpecialType is not (SpecialType.System_Double or SpecialType.System_Single);
}
