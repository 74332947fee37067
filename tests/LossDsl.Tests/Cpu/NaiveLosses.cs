using System;
using System.Linq;

namespace LossDsl.Tests.Cpu;

/// <summary>
/// The example losses written as plain loops in double, straight from their formulas: the reference the generated
/// CPU code must match.
/// </summary>
internal static class NaiveLosses
{
    public static double Tversky(TestFields f, double[] p, double[] y, double alpha = 0.3f, double beta = 0.7f)
    {
        double total = 0;
        for (var b = 0; b < f.B; b++)
        {
            for (var c = 0; c < f.C; c++)
            {
                double tp = 0, fp = 0, fn = 0;
                for (var s = 0; s < f.S; s++)
                {
                    var i = f.Index(b, c, s);
                    tp += p[i] * y[i];
                    fp += p[i] * (1 - y[i]);
                    fn += (1 - p[i]) * y[i];
                }

                total += 1 - ((tp + 1e-5f) / (tp + (alpha * fp) + (beta * fn) + 1e-5f));
            }
        }

        return total / (f.B * f.C);
    }

    public static double Boundary(TestFields f, double[] p, double[] dist, int[] idc)
    {
        double total = 0;
        for (var b = 0; b < f.B; b++)
        {
            foreach (var c in idc)
            {
                for (var s = 0; s < f.S; s++)
                {
                    total += p[f.Index(b, c, s)] * dist[f.Index(b, c, s)];
                }
            }
        }

        return total / (f.B * idc.Length * f.S);
    }

    public static double Rebalanced(TestFields f, double[] p, double[] y, double[] dist, int[] idc, double alpha) =>
        ((1 - alpha) * Tversky(f, p, y)) + (alpha * Boundary(f, p, dist, idc));

    public static double SoftmaxCrossEntropy(TestFields f, double[] logits, double[] y)
    {
        var p = f.SoftmaxOverClasses(logits);
        double numerator = 0, labelled = 0;
        for (var i = 0; i < f.Count; i++)
        {
            numerator += y[i] * Math.Log(p[i]);
            labelled += y[i];
        }

        return -numerator / (labelled + 1e-10);
    }

    public static double GeneralizedDiceOfLogits(TestFields f, double[] logits, double[] y, int[] idc)
    {
        var p = f.SoftmaxOverClasses(logits);
        double total = 0;
        for (var b = 0; b < f.B; b++)
        {
            double intersection = 0, union = 0;
            foreach (var c in idc)
            {
                double py = 0, sp = 0, sy = 0;
                for (var s = 0; s < f.S; s++)
                {
                    var i = f.Index(b, c, s);
                    py += p[i] * y[i];
                    sp += p[i];
                    sy += y[i];
                }

                var w = 1 / ((sy + 1e-10) * (sy + 1e-10));
                intersection += w * py;
                union += w * (sp + sy);
            }

            total += 1 - (2 * (intersection + 1e-10) / (union + 1e-10));
        }

        return total / f.B;
    }

    public static double ClampedFocal(TestFields f, double[] probs, double[] y, double gamma = 2)
    {
        double total = 0;
        for (var i = 0; i < f.Count; i++)
        {
            var p = Math.Min(Math.Max(probs[i], 1e-6), 1 - 1e-6);
            total += Math.Pow(1 - p, gamma) * y[i] * Math.Log(p);
        }

        // mean over classes, then over (B, *S)
        return -total / f.C / (f.B * f.S);
    }

    public static double PeakPenalty(TestFields f, double[] p, double[] y, double[] dist)
    {
        double first = 0;
        for (var b = 0; b < f.B; b++)
        {
            for (var c = 0; c < f.C; c++)
            {
                var present = Enumerable.Range(0, f.S).Sum(s => y[f.Index(b, c, s)]) - 0.5 > 0 ? 1 : 0;
                var peak = Enumerable.Range(0, f.S).Max(s => (p[f.Index(b, c, s)] * (1 - y[f.Index(b, c, s)])) + (0.01 * dist[f.Index(b, c, s)]));
                first += present * peak;
            }
        }

        double second = 0;
        for (var b = 0; b < f.B; b++)
        {
            for (var c = 0; c < f.C; c++)
            {
                for (var s = 0; s < f.S; s++)
                {
                    var classPeak = Enumerable.Range(0, f.C).Max(k => p[f.Index(b, k, s)]);
                    var batchPeak = Enumerable.Range(0, f.B).Max(k => dist[f.Index(k, c, s)]);
                    second += classPeak * batchPeak;
                }
            }
        }

        return (first / (f.B * f.C)) + (second / f.Count);
    }

    public static double WeightedSigmoidSquares(TestFields f, double[] logits, double[] y)
    {
        double squares = 0, absolutes = 0;
        for (var b = 0; b < f.B; b++)
        {
            for (var c = 0; c < f.C; c++)
            {
                for (var s = 0; s < f.S; s++)
                {
                    var i = f.Index(b, c, s);
                    var batchMean = Enumerable.Range(0, f.B).Average(k => y[f.Index(k, c, s)]);
                    var sigmoid = 1 / (1 + Math.Exp(-logits[i]));
                    squares += batchMean * (sigmoid - y[i]) * (sigmoid - y[i]);
                    absolutes += Math.Abs(Math.Max(logits[i], 0.5) - Math.Sqrt(y[i] + 1));
                }
            }
        }

        return (squares + absolutes) / f.Count;
    }
}
