using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using LossDsl.Generators.Ir;
using LossDsl.Generators.Model;

namespace LossDsl.Generators.Emit;

/// <summary>The C# expressions of a CPU program: kernel calls, scalar arithmetic, literals and extents.</summary>
internal sealed partial class ProgramWriter
{
    /// <summary>The runtime kernel that computes a non-scalar node into <paramref name="destination"/>.</summary>
    private string KernelCall(int id, string destination)
    {
        var node = graph[id];
        var args = node.Args.ToList();
        switch (node.Op)
        {
            case Op.Sum:
                return $"{Ns}Kernels.Sum({Operand(args[0])}, {destination});";
            case Op.MaxOver:
                return $"{Ns}Kernels.MaxOver({Operand(args[0])}, {destination});";
            case Op.Softmax:
                return $"{Ns}Kernels.Softmax({Operand(args[0])}, {destination});";
            case Op.LogSoftmax:
                return $"{Ns}Kernels.LogSoftmax({Operand(args[0])}, {destination});";
            case Op.Select:
                return $"{Ns}Kernels.Select({Operand(args[0])}, {node.Name}, {destination});";
            case Op.Scatter:
                return $"{Ns}Kernels.Scatter({Operand(args[0])}, {node.Name}, {destination});";
            default:
                var op = $"{Ns}{node.Op}Op<T>";
                return args.Count == 1
                    ? $"{Ns}Kernels.Unary<T, {op}>({Operand(args[0])}, {destination});"
                    : $"{Ns}Kernels.Binary<T, {op}>({Operand(args[0])}, {Operand(args[1])}, {destination});";
        }
    }

    /// <summary>A scalar node as a T expression, a non-scalar one as its view.</summary>
    private string Operand(int id) => schedule.IsScalar(id) ? Scalar(id) : names[id];

    private string Scalar(int id) => graph[id].Op == Op.Constant ? Literal(graph[id].Value) : names[id];

    private string ScalarExpression(int id)
    {
        var node = graph[id];
        var a = node.Args.Count > 0 ? Scalar(node.Args[0]) : "";
        var b = node.Args.Count > 1 ? Scalar(node.Args[1]) : "";
        return node.Op switch
        {
            Op.Extent => $"Extent(batch: {Bool(node.Reduce.HasFlag(Axes.Batch))}, classes: {ClassCount(node.Reduce, node.Name)}, spatial: {Bool(node.Reduce.HasFlag(Axes.Spatial))})",
            Op.Add => $"{a} + {b}",
            Op.Subtract => $"{a} - ({b})",
            Op.Multiply => $"({a}) * ({b})",
            Op.Divide => $"({a}) / ({b})",
            Op.Negate => $"-({a})",
            Op.Log => $"T.Log({a})",
            Op.Exp => $"T.Exp({a})",
            Op.Sqrt => $"T.Sqrt({a})",
            Op.Abs => $"T.Abs({a})",
            Op.Square => $"({a}) * ({a})",
            Op.Pow => $"T.Pow({a}, {b})",
            Op.Minimum => $"{Ns}MinimumOp<T>.Apply({a}, {b})",
            Op.Maximum => $"{Ns}MaximumOp<T>.Apply({a}, {b})",
            Op.Sigmoid => $"{Ns}SigmoidOp<T>.Apply({a})",
            Op.Sign => $"{Ns}SignOp<T>.Apply({a})",
            Op.GreaterOrEqual => $"{Ns}GreaterOrEqualOp<T>.Apply({a}, {b})",
            Op.Sum => $"{Ns}Kernels.Total({names[node.Args[0]]})",
            Op.MaxOver => $"{Ns}Kernels.Maximum({names[node.Args[0]]})",
            Op.Step => $"{Ns}StepOp<T>.Apply({a})",
            _ => $"throw new global::System.InvalidOperationException(\"LossDsl: {node.Op} has no scalar form\")",
        };
    }

    private string Formula(int id) => FormulaPrinter.Print(graph, id);

    private string DescribePass(int pass)
    {
        var parts = schedule.ReductionsOf(pass).Select(r => names[r]).ToList();
        var text = parts.Count == 0 ? "" : "reduces " + string.Join(", ", parts);
        if (pass == schedule.StorePass)
        {
            text += (text.Length == 0 ? "" : "; ") + "writes the gradients";
        }

        return text.Length == 0 ? "evaluates the chunk" : text;
    }

    private static string Bool(bool value) => value ? "true" : "false";

    private static string PassSize(int pass) => $"pass{pass + 1}PartialCount";

    private string Offset(int reduction) => names[reduction].TrimStart('@') + "Offset";

    private static string Batches(Shape shape) => shape.Has(Axes.Batch) ? "Shape.Batches" : "0";

    private static string Classes(Shape shape) => shape.Has(Axes.Class) ? (shape.ClassDomain.Length == 0 ? "Shape.Classes" : shape.ClassDomain + ".Length") : "0";

    private static string ClassCount(Axes axes, string domain) =>
        axes.HasFlag(Axes.Class) ? (domain.Length == 0 ? "Shape.Classes" : domain + ".Length") : "0";

    private static string SizeOf(Shape shape)
    {
        var factors = new List<string>();
        if (shape.Has(Axes.Batch))
        {
            factors.Add("Shape.Batches");
        }

        if (shape.Has(Axes.Class))
        {
            factors.Add(Classes(shape));
        }

        return factors.Count == 0 ? "1" : string.Join(" * ", factors);
    }

    /// <summary>A double literal converted to T (a float loss rounds it, exactly as C# would).</summary>
    public static string Literal(double value)
    {
        if (double.IsNaN(value))
        {
            return "T.NaN";
        }

        if (double.IsPositiveInfinity(value))
        {
            return "T.PositiveInfinity";
        }

        if (double.IsNegativeInfinity(value))
        {
            return "T.NegativeInfinity";
        }

        if (value == 0)
        {
            return "T.Zero";
        }

        if (value == 1)
        {
            return "T.One";
        }

        // A literal written as a float (1e-5f) keeps its float spelling: T.CreateChecked(1e-5f) is the same value.
        var single = (float)value;
        var shorterAsFloat = (double)single == value
            && single.ToString("R", CultureInfo.InvariantCulture).Length < value.ToString("R", CultureInfo.InvariantCulture).Length;
        return $"T.CreateChecked({CSharpLiterals.Format(shorterAsFloat ? (object)single : value)})";
    }
}
