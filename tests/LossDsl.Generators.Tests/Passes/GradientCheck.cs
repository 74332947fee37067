using System;
using System.Collections.Generic;
using System.Linq;
using LossDsl.Generators.Ir;
using LossDsl.Generators.Passes;
using Xunit.Sdk;

namespace LossDsl.Generators.Tests.Passes;

/// <summary>
/// Compares the differentiator's gradients, evaluated by the <see cref="Interpreter"/>, with finite differences of
/// the forward graph, element by element.
/// </summary>
/// <remarks>
/// The finite difference is central with Richardson extrapolation, D = (4·D(h/2) − D(h))/3 with h = 1e-3, whose
/// truncation error is O(h⁴) ≈ 1e-12 for the smooth, O(1)-scaled losses here, and whose rounding error is about
/// ε·|L|/h ≈ 2e-13·|L|. A tolerance of 1e-6 relative (plus 1e-9·(1 + |L|) absolute, for gradients that are zero)
/// is therefore four to six orders above the noise, yet a wrong rule — a missing factor, a wrong sign, a missing
/// unbroadcast — is off by O(1) relative and cannot pass. Inputs stay at least 0.05 away from kinks (abs, min, max),
/// further than the largest step.
/// </remarks>
internal sealed class GradientCheck
{
    private const double Step = 1e-3;
    private const double RelativeTolerance = 1e-6;

    public GradientCheck(int batch, int classes, int spatial, int seed)
    {
        (B, C, S) = (batch, classes, spatial);
        Random = new Random(seed);
    }

    public int B { get; }

    public int C { get; }

    public int S { get; }

    public Random Random { get; }

    public Dictionary<string, FieldData> Fields { get; } = new();

    public Dictionary<string, double> Hypers { get; } = new();

    public Dictionary<string, int[]> ClassLists { get; } = new();

    /// <summary>A field with values uniform in [lo, hi).</summary>
    public GradientCheck Field(string name, double lo, double hi, Func<double, double>? adjust = null)
    {
        var data = Enumerable.Range(0, B * C * S).Select(_ => lo + (Random.NextDouble() * (hi - lo))).Select(adjust ?? (v => v)).ToArray();
        Fields[name] = new FieldData(data, B, C, S);
        return this;
    }

    /// <summary>A field whose class planes sum to one at every (b, s): probabilities.</summary>
    public GradientCheck Simplex(string name)
    {
        var data = new double[B * C * S];
        for (var b = 0; b < B; b++)
        {
            for (var s = 0; s < S; s++)
            {
                var w = Enumerable.Range(0, C).Select(_ => 0.2 + Random.NextDouble()).ToArray();
                for (var c = 0; c < C; c++)
                {
                    data[(((b * C) + c) * S) + s] = w[c] / w.Sum();
                }
            }
        }

        Fields[name] = new FieldData(data, B, C, S);
        return this;
    }

    public GradientCheck Hyper(string name, double value)
    {
        Hypers[name] = value;
        return this;
    }

    public GradientCheck Classes(string name, params int[] classes)
    {
        ClassLists[name] = classes;
        return this;
    }

    /// <summary>Differentiates <paramref name="result"/> w.r.t. every field and checks each gradient element.</summary>
    public (Graph Graph, int Result, int[] Gradients) Check(Graph forward, int result)
    {
        var names = Fields.Keys.OrderBy(n => n, StringComparer.Ordinal).ToArray();
        var differentiated = Differentiator.Differentiate(forward, result, names);
        var interpreter = new Interpreter(differentiated.Graph, Fields, Hypers, ClassLists);
        var loss = interpreter.Scalar(differentiated.Result);
        var expectedLoss = Evaluate(forward, result, Fields);
        if (!(Math.Abs(loss - expectedLoss) <= 1e-12 * (1 + Math.Abs(loss))))
        {
            throw new XunitException($"the differentiated graph changed the loss: {loss} vs {expectedLoss}");
        }

        for (var f = 0; f < names.Length; f++)
        {
            var analytic = differentiated.Gradients[f] < 0
                ? new double[B * C * S]
                : interpreter.Evaluate(differentiated.Gradients[f]).ToField(B, C, S);
            for (var i = 0; i < analytic.Length; i++)
            {
                var numeric = FiniteDifference(forward, result, names[f], i);
                var tolerance = (RelativeTolerance * Math.Max(Math.Abs(analytic[i]), Math.Abs(numeric))) + (1e-9 * (1 + Math.Abs(loss)));
                if (!(Math.Abs(analytic[i] - numeric) <= tolerance))
                {
                    throw new XunitException(
                        $"∂L/∂{names[f]}[{i}] = {analytic[i]:R} but finite differences give {numeric:R} (loss {loss:R})\n"
                        + "gradient: " + FormulaPrinter.Print(differentiated.Graph, Math.Max(0, differentiated.Gradients[f])));
                }
            }
        }

        return differentiated;
    }

    private double FiniteDifference(Graph forward, int result, string field, int index)
    {
        double At(double delta)
        {
            var perturbed = new Dictionary<string, FieldData>(Fields);
            var data = (double[])Fields[field].Data.Clone();
            data[index] += delta;
            perturbed[field] = Fields[field] with { Data = data };
            return Evaluate(forward, result, perturbed);
        }

        double Central(double h) => (At(h) - At(-h)) / (2 * h);
        return ((4 * Central(Step / 2)) - Central(Step)) / 3;
    }

    private double Evaluate(Graph graph, int result, Dictionary<string, FieldData> fields) =>
        new Interpreter(graph, fields, Hypers, ClassLists, (B, C, S)).Scalar(result);
}
