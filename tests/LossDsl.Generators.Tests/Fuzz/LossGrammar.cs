using System;
using System.Globalization;
using System.Linq;
using System.Text;

namespace LossDsl.Generators.Tests.Fuzz;

/// <summary>
/// Random valid-looking losses from a grammar over the DSL (src/LossDsl/Dsl/Dsl.cs): field expressions built from the
/// field parameters, element-wise intrinsics, arithmetic with scalars and partial reductions; scalar expressions from
/// numbers, hyper-parameters and full reductions (also of a selection). Shape mismatches are possible on purpose
/// (a Select next to all classes): the generator must answer them with LD0002, not broken code.
/// </summary>
internal sealed class LossGrammar
{
    private static readonly string[] Unary = { "Log", "Exp", "Sqrt", "Abs", "Square", "Sigmoid", "Softmax", "LogSoftmax", "Step" };
    private static readonly string[] Partial = { "SumSpatial", "MeanSpatial", "SumClasses", "MeanClasses", "SumBatch", "MeanBatch", "MaxSpatial", "MaxClasses", "MaxBatch" };
    private static readonly string[] Operators = { "+", "-", "*", "/" };

    private readonly Random random;

    public LossGrammar(Random random) => this.random = random;

    /// <summary>A whole file with one class of one to three losses, the later ones possibly calling the earlier.</summary>
    public string File(string ns, string className = "L")
    {
        var text = new StringBuilder();
        text.AppendLine("using LossDsl;");
        text.AppendLine("using static LossDsl.Dsl;");
        text.AppendLine("namespace " + ns + ";");
        text.AppendLine("public static partial class " + className);
        text.AppendLine("{");
        var count = 1 + random.Next(3);
        for (var i = 0; i < count; i++)
        {
            text.AppendLine(Loss("F" + i.ToString(CultureInfo.InvariantCulture), i));
        }

        text.AppendLine("}");
        return text.ToString();
    }

    /// <summary>One <c>[Loss]</c> method; <paramref name="callable"/> earlier losses F0… may be called.</summary>
    public string Loss(string name, int callable)
    {
        var body = new StringBuilder();
        var locals = random.Next(3);
        var depth = 3;
        string Field() => FieldExpression(depth, callable, locals: 0);
        if (locals == 0)
        {
            return $"    [Loss] public static Scalar {name}(Field p, Field q, float a = 0.5f, double b = 2.0, int k = 3, int[] idc = null!) => {ScalarExpression(depth, callable)};";
        }

        body.AppendLine($"    [Loss] public static Scalar {name}(Field p, Field q, float a = 0.5f, double b = 2.0, int k = 3, int[] idc = null!)");
        body.AppendLine("    {");
        for (var i = 0; i < locals; i++)
        {
            body.AppendLine($"        var t{i} = {(random.Next(2) == 0 ? Field() : ScalarExpression(depth, callable))};");
        }

        body.AppendLine($"        return {ScalarExpression(depth, callable, locals)};");
        body.Append("    }");
        return body.ToString();
    }

    private string FieldExpression(int depth, int callable, int locals)
    {
        if (depth <= 0)
        {
            return random.Next(2) == 0 ? "p" : "q";
        }

        switch (random.Next(8))
        {
            case 0:
                return random.Next(2) == 0 ? "p" : "q";
            case 1:
                return Unary[random.Next(Unary.Length)] + "(" + FieldExpression(depth - 1, callable, locals) + ")";
            case 2:
                return "(" + FieldExpression(depth - 1, callable, locals) + " " + Operators[random.Next(Operators.Length)] + " " + FieldExpression(depth - 1, callable, locals) + ")";
            case 3:
                return "(" + ScalarExpression(depth - 1, callable, locals) + " " + Operators[random.Next(Operators.Length)] + " " + FieldExpression(depth - 1, callable, locals) + ")";
            case 4:
                return Partial[random.Next(Partial.Length)] + "(" + FieldExpression(depth - 1, callable, locals) + ")";
            case 5:
                return random.Next(2) == 0
                    ? "Min(" + FieldExpression(depth - 1, callable, locals) + ", " + FieldExpression(depth - 1, callable, locals) + ")"
                    : "Max(" + FieldExpression(depth - 1, callable, locals) + ", " + Number() + ")";
            case 6:
                return random.Next(2) == 0 ? "Clamp(" + FieldExpression(depth - 1, callable, locals) + ", 0, 1)" : "Pow(" + FieldExpression(depth - 1, callable, locals) + ", " + Number() + ")";
            default:
                return "-" + FieldExpression(depth - 1, callable, locals);
        }
    }

    private string ScalarExpression(int depth, int callable, int locals = 0)
    {
        if (locals > 0 && random.Next(3) == 0)
        {
            // A local may be a field or a scalar: reduce it, which is valid for both.
            return "Mean(t" + random.Next(locals).ToString(CultureInfo.InvariantCulture) + " * p)";
        }

        switch (depth <= 0 ? random.Next(3) : random.Next(9))
        {
            case 0:
                return Number();
            case 1:
                return new[] { "a", "b", "k" }[random.Next(3)];
            case 2:
                return (random.Next(2) == 0 ? "Mean(" : "Sum(") + (depth <= 0 ? "p" : FieldExpression(depth - 1, callable, locals)) + ")";
            case 3:
                return (random.Next(2) == 0 ? "Mean(Select(" : "Sum(Select(") + FieldExpression(depth - 1, callable, locals) + ", idc))";
            case 4:
                return "(" + ScalarExpression(depth - 1, callable, locals) + " " + Operators[random.Next(Operators.Length)] + " " + ScalarExpression(depth - 1, callable, locals) + ")";
            case 5:
                return new[] { "Log", "Exp", "Sqrt", "Abs", "Square" }[random.Next(5)] + "(" + ScalarExpression(depth - 1, callable, locals) + ")";
            case 6 when callable > 0:
                return "F" + random.Next(callable).ToString(CultureInfo.InvariantCulture) + "(" + FieldExpression(depth - 1, 0, locals) + ", q, a, b, k, idc)";
            case 7:
                return "Mean(" + FieldExpression(depth - 1, callable, locals) + " * " + FieldExpression(depth - 1, callable, locals) + ")";
            default:
                return "-" + ScalarExpression(depth - 1, callable, locals);
        }
    }

    private string Number() => random.Next(6) switch
    {
        0 => "1",
        1 => "2",
        2 => "0.5f",
        3 => "1e-5f",
        4 => "-1.0",
        _ => (random.Next(1, 100) / 10.0).ToString("0.0", CultureInfo.InvariantCulture),
    };
}
