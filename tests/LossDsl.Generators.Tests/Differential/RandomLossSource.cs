using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace LossDsl.Generators.Tests.Differential;

/// <summary>One random loss: its C# declaration, and what the checks need to know about it.</summary>
/// <param name="Name">The method name.</param>
/// <param name="Seed">The seed that reproduces it.</param>
/// <param name="Fields">The number of field parameters (f0, f1, …).</param>
/// <param name="Declaration">The <c>[Loss]</c> method, as source.</param>
/// <param name="Smooth">No kink (abs, min, max, clamp, step, maxima): finite differences apply.</param>
internal sealed record RandomLoss(string Name, int Seed, int Fields, string Declaration, bool Smooth);

/// <summary>
/// Writes random, valid DSL losses from a seed: expression trees over every intrinsic and operator, reductions over
/// every axis, softmax, <c>Select</c>, hyper-parameters, locals and a call of another <c>[Loss]</c> (composition).
/// Shapes are tracked as the generator does (axes and class domain), so every loss type-checks; arguments of log,
/// sqrt, pow and division are kept positive so that every value is finite on inputs in [−1, 1].
/// </summary>
internal sealed class RandomLossSource
{
    /// <summary>The loss every random loss may call (composition across [Loss] methods).</summary>
    public const string Helper = "    [Loss] public static Scalar Helper(Field a, Field b) => Mean(a * Sigmoid(b));";

    private readonly Random random;
    private readonly int fields;
    private readonly List<string> locals = new();
    private bool smooth = true;

    private RandomLossSource(int seed)
    {
        random = new Random(seed);
        fields = 1 + random.Next(4);
    }

    public static RandomLoss Make(int seed)
    {
        var maker = new RandomLossSource(seed);
        var name = "L" + seed.ToString(CultureInfo.InvariantCulture).Replace("-", "m");
        var body = maker.Body();
        var parameters = Enumerable.Range(0, maker.fields).Select(i => $"Field f{i}").Concat(new[] { "int[] idc", "double h = 0.75" });
        var declaration = $"    [Loss] public static Scalar {name}({string.Join(", ", parameters)})\n    {{\n{body}    }}\n";
        return new RandomLoss(name, seed, maker.fields, declaration, maker.smooth);
    }

    /// <summary>A value's C# expression, its axes (B, C, S flags) and class domain ("" or "idc"), and whether it is a Scalar.</summary>
    private sealed record Value(string Code, bool B, bool C, bool S, string Domain, bool IsScalar)
    {
        public bool IsNone => !B && !C && !S;
    }

    private string Body()
    {
        var text = new StringBuilder();
        var count = random.Next(3);
        var available = new List<Value>();
        for (var i = 0; i < count; i++)
        {
            var value = Expression(2);
            var local = "t" + i.ToString(CultureInfo.InvariantCulture);
            text.Append($"        var {local} = {value.Code};\n");
            available.Add(value with { Code = local });
        }

        locals.AddRange(available.Select(v => v.Code));
        var result = Combine(available.Count > 0 && random.Next(2) == 0 ? available[random.Next(available.Count)] : Expression(1 + random.Next(4)), available);
        text.Append($"        return {Total(result)};\n");
        return text.ToString();
    }

    private Value Combine(Value value, List<Value> available)
    {
        foreach (var other in available.Where(_ => random.Next(2) == 0))
        {
            value = Binary(value, other) ?? value;
        }

        return value;
    }

    /// <summary>The loss: a mean or sum of a field, or the scalar itself.</summary>
    private string Total(Value value)
    {
        var total = value.IsScalar ? value.Code : (random.Next(2) == 0 ? $"Mean({value.Code})" : $"Sum({value.Code})");
        if (random.Next(4) == 0)
        {
            var a = random.Next(fields);
            var b = random.Next(fields);
            total = $"{total} + 0.5 * Helper(f{a}, f{b})";
        }

        return total;
    }

    private Value Leaf()
    {
        var pick = random.Next(10);
        if (pick < 8)
        {
            return new Value("f" + random.Next(fields).ToString(CultureInfo.InvariantCulture), true, true, true, "", false);
        }

        // A field scaled by a constant or the hyper-parameter.
        var field = "f" + random.Next(fields).ToString(CultureInfo.InvariantCulture);
        return new Value(pick == 8 ? $"(h * {field})" : $"({Constant()} + {field})", true, true, true, "", false);
    }

    private string Constant() => (0.25 + Math.Round(random.NextDouble(), 2)).ToString("0.##", CultureInfo.InvariantCulture);

    private Value Expression(int depth)
    {
        if (depth <= 0 || random.Next(5) == 0)
        {
            return Leaf();
        }

        var x = Expression(depth - 1);
        if (x.IsScalar)
        {
            return ScalarUnary(x);
        }

        switch (random.Next(20))
        {
            case 0: return x with { Code = $"(-{x.Code})" };
            case 1: return x with { Code = $"Square({x.Code})" };
            case 2: return x with { Code = $"Sigmoid({x.Code})" };
            case 3: return x with { Code = $"Exp(Sigmoid({x.Code}))" };
            case 4: return x with { Code = $"Log(1 + Square({x.Code}))" };
            case 5: return x with { Code = $"Sqrt(1 + Square({x.Code}))" };
            case 6: return x with { Code = random.Next(2) == 0 ? $"Pow(1 + Square({x.Code}), 1.5)" : $"Pow(1 + Square({x.Code}), h)" };
            case 7: return Kink(x);
            case 8 when x.C: return x with { Code = random.Next(2) == 0 ? $"Softmax({x.Code})" : $"LogSoftmax({x.Code})" };
            case 9 when x.C && x.Domain.Length == 0: return x with { Code = $"Select({x.Code}, idc)", Domain = "idc" };
            case 10 when x.S: return Reduce(x, random.Next(3) switch { 0 => "SumSpatial", 1 => "MeanSpatial", _ => "MaxSpatial" }, spatial: true);
            case 11 when x.C: return Reduce(x, random.Next(3) switch { 0 => "SumClasses", 1 => "MeanClasses", _ => "MaxClasses" }, classes: true);
            case 12 when x.B: return Reduce(x, random.Next(3) switch { 0 => "SumBatch", 1 => "MeanBatch", _ => "MaxBatch" }, batch: true);
            case 13 when !x.IsNone: return new Value(random.Next(2) == 0 ? $"Sum({x.Code})" : $"Mean({x.Code})", false, false, false, "", true);
            default:
                var y = Expression(depth - 1);
                return Binary(x, y) ?? x;
        }
    }

    private Value ScalarUnary(Value x) => random.Next(4) switch
    {
        0 => x with { Code = $"Log(1 + Square({x.Code}))" },
        1 => x with { Code = $"({x.Code} * {Constant()})" },
        2 => x with { Code = $"Sqrt(1 + Square({x.Code}))" },
        _ => x,
    };

    private Value Kink(Value x)
    {
        smooth = false;
        return random.Next(5) switch
        {
            0 => x with { Code = $"Abs({x.Code})" },
            1 => x with { Code = $"Min({x.Code}, 0.3)" },
            2 => x with { Code = $"Max({x.Code}, -0.2)" },
            3 => x with { Code = $"Clamp({x.Code}, -0.5, 0.5)" },
            _ => x with { Code = $"({x.Code} * Step({x.Code}))" },
        };
    }

    private Value Reduce(Value x, string intrinsic, bool spatial = false, bool classes = false, bool batch = false)
    {
        if (intrinsic.StartsWith("Max", StringComparison.Ordinal))
        {
            smooth = false;
        }

        var c = x.C && !classes;
        return new Value($"{intrinsic}({x.Code})", x.B && !batch, c, x.S && !spatial, c ? x.Domain : "", false);
    }

    /// <summary>x ∘ y, or null when their class domains differ (the generator would reject it, rightly).</summary>
    private Value? Binary(Value x, Value y)
    {
        if (x.C && y.C && x.Domain != y.Domain)
        {
            return null;
        }

        var scalar = x.IsScalar && y.IsScalar;
        var domain = x.C ? x.Domain : y.Domain;
        var axes = (B: x.B || y.B, C: x.C || y.C, S: x.S || y.S);
        var code = random.Next(4) switch
        {
            0 => $"({x.Code} + {y.Code})",
            1 => $"({x.Code} - {y.Code})",
            2 => $"({x.Code} * {y.Code})",
            _ => $"({x.Code} / (1 + Square({y.Code})))",
        };
        if (!x.IsScalar && !y.IsScalar && random.Next(6) == 0)
        {
            code = random.Next(2) == 0 ? $"Min({x.Code}, {y.Code})" : $"Max({x.Code}, {y.Code})";
            smooth = false;
        }

        return new Value(code, axes.B, axes.C, axes.S, axes.C ? domain : "", scalar);
    }
}
