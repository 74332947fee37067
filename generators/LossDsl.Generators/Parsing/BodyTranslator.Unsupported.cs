using LossDsl.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace LossDsl.Generators.Parsing;

/// <summary>
/// What to tell the user about a construct the DSL does not have: its name, and what to write instead.
/// </summary>
internal sealed partial class BodyTranslator
{
    private void ReportUnsupported(IOperation operation)
    {
        // Point at the expression, not at the statement around it (`s = x`, not `s = x;`).
        var target = operation is IExpressionStatementOperation statement ? statement.Operation : operation;
        var (construct, instead) = Describe(target);
        sink.Report(DiagnosticDescriptors.UnsupportedSyntax, target.Syntax, construct, instead);
    }

    private (string Construct, string Instead) Describe(IOperation operation)
    {
        const string Branchless = "a loss has no branches: use Min, Max, Clamp or Abs, or multiply by a mask Field";
        var text = Snippet(operation.Syntax);
        switch (operation)
        {
            case ILoopOperation:
                return ($"The loop '{text}'", "reductions replace loops: write Sum, Mean, SumSpatial, SumClasses or SumBatch");
            case IConditionalOperation when operation.Syntax is IfStatementSyntax:
                return ($"The if statement '{text}'", Branchless);
            case IConditionalOperation:
                return ($"The conditional expression '{text}'", Branchless);
            case ISwitchOperation or ISwitchExpressionOperation:
                return ($"The switch '{text}'", Branchless);
            case IInvocationOperation invocation:
                return DescribeCall(invocation);
            case IAnonymousFunctionOperation or IDelegateCreationOperation or ILocalFunctionOperation:
                return ($"The function '{text}'", "write the expression inline, or declare it as another [Loss] method and call that");
            case IAssignmentOperation or IIncrementOrDecrementOperation:
                return ($"The assignment '{text}'", "values cannot change: declare a new var local for each intermediate value");
            case IObjectCreationOperation or IArrayCreationOperation or IAnonymousObjectCreationOperation or ITypeParameterObjectCreationOperation:
                return ($"Creating an object ('{text}')", "values come from parameters and Dsl intrinsics; pass data in as Field or int[] parameters");
            case IPropertyReferenceOperation or IFieldReferenceOperation or IMethodReferenceOperation or IEventReferenceOperation:
                return ($"The member access '{text}'", "only parameters, locals, constants and Dsl intrinsics can be used; pass the value in as a hyper-parameter");
            case IArrayElementReferenceOperation:
                return ($"Indexing ('{text}')", "choose classes with Select(field, idc)");
            case IBinaryOperation binary:
                return ($"The operator '{OperatorText(binary)}'", "use +, -, * and / on fields, scalars and numbers; for comparisons use Min, Max or Clamp");
            case IUnaryOperation:
                return ($"The unary operator in '{text}'", "use unary minus, or Abs/Min/Max for sign-dependent values");
            case IConversionOperation:
                return ($"The conversion '{text}'", "use numbers, Field and Scalar values without casts to other types");
            case IBlockOperation:
                return ("A nested block", "declare the locals directly in the method body");
            case IReturnOperation:
                return ("A return without a value", "return the loss value");
            case ILiteralOperation:
                return ($"The literal '{text}'", "use numeric literals");
            case ICoalesceOperation or ICoalesceAssignmentOperation:
                return ("The operator '??'", "Field and Scalar values are never null: use the value itself");
            case IConditionalAccessOperation:
                return ("The operator '?.'", "Field and Scalar values are never null: use the value itself");
            case IThrowOperation:
                return ($"The throw '{text}'", "a loss cannot fail at run time: check the inputs before calling it");
            case IIsPatternOperation or IIsTypeOperation or IPatternOperation:
                return ($"The pattern test '{text}'", Branchless);
            case ITupleOperation or IDeconstructionAssignmentOperation:
                return ($"The tuple '{text}'", "declare one var local per value");
            case IDefaultValueOperation:
                return ($"The default value '{text}'", "write the number (for example 0)");
            case INameOfOperation or ITypeOfOperation or ISizeOfOperation:
                return ($"The expression '{text}'", "use numeric literals, parameters and Dsl intrinsics");
            case IInterpolatedStringOperation:
                return ($"The string '{text}'", "use numeric literals");
            case IAwaitOperation:
                return ($"The await '{text}'", "a loss is computed synchronously from its parameters");
            default:
                // In the user's words, never Roslyn's operation names.
                return ($"The expression '{text}'", "a loss body is var locals and one return of arithmetic on Field, Scalar and numbers, Dsl intrinsics and [Loss] calls");
        }
    }

    private (string Construct, string Instead) DescribeCall(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        var name = method.ContainingType is { } type ? type.ToDisplayString() + "." + method.Name : method.Name;
        var dslHasIt = !types.Dsl.GetMembers(method.Name).IsEmpty;
        return dslHasIt
            ? ($"The call of '{name}'", $"use the intrinsic Dsl.{method.Name} (with using static LossDsl.Dsl;), which the generator can differentiate")
            : ($"The call of '{name}'", "only Dsl intrinsics and other [Loss] methods can be called");
    }

    private static string OperatorText(IBinaryOperation binary) =>
        binary.Syntax is BinaryExpressionSyntax syntax ? syntax.OperatorToken.Text : binary.OperatorKind.ToString();

    /// <summary>The source of a construct, shortened to one line for a message.</summary>
    private static string Snippet(SyntaxNode syntax)
    {
        var text = syntax.ToString().Replace("\r", " ").Replace("\n", " ");
        while (text.Contains("  "))
        {
            text = text.Replace("  ", " ");
        }

        return text.Length <= 60 ? text : text.Substring(0, 57) + "...";
    }
}
