using System;
using System.Linq;
using System.Numerics.Tensors;

namespace LossDsl.Tests.Cpu;

/// <summary>Random but reproducible fields laid out (B, C, *spatial), in double; converted to float where needed.</summary>
internal sealed class TestFields
{
    public TestFields(int seed, int batches, int classes, params int[] spatial)
    {
        Shape = new[] { batches, classes }.Concat(spatial).Select(n => (nint)n).ToArray();
        B = batches;
        C = classes;
        S = spatial.Aggregate(1, (a, b) => a * b);
        var random = new Random(seed);
        Logits = Enumerable.Range(0, Count).Select(_ => (random.NextDouble() * 4) - 2).ToArray();
        Probs = SoftmaxOverClasses(Logits);
        var labels = Enumerable.Range(0, B * S).Select(_ => random.Next(C)).ToArray();
        Target = new double[Count];
        for (var b = 0; b < B; b++)
        {
            for (var s = 0; s < S; s++)
            {
                Target[Index(b, labels[(b * S) + s], s)] = 1;
            }
        }

        Dist = Enumerable.Range(0, Count).Select(_ => (random.NextDouble() * 6) - 3).ToArray();
        Idc = C == 1 ? new[] { 0 } : Enumerable.Range(1, C - 1).ToArray();
    }

    public nint[] Shape { get; }

    public int B { get; }

    public int C { get; }

    public int S { get; }

    public int Count => B * C * S;

    public double[] Logits { get; }

    public double[] Probs { get; }

    public double[] Target { get; }

    public double[] Dist { get; }

    /// <summary>The foreground classes (all but class 0), or class 0 when there is one class.</summary>
    public int[] Idc { get; }

    public int Index(int b, int c, int s) => (((b * C) + c) * S) + s;

    public ReadOnlyTensorSpan<double> Span(double[] data) => new(data, Shape);

    public ReadOnlyTensorSpan<float> SpanF(double[] data) => new(Floats(data), Shape);

    public static float[] Floats(double[] data) => data.Select(v => (float)v).ToArray();

    public double[] SoftmaxOverClasses(double[] logits)
    {
        var probs = new double[Count];
        for (var b = 0; b < B; b++)
        {
            for (var s = 0; s < S; s++)
            {
                var max = Enumerable.Range(0, C).Max(c => logits[Index(b, c, s)]);
                var total = Enumerable.Range(0, C).Sum(c => Math.Exp(logits[Index(b, c, s)] - max));
                for (var c = 0; c < C; c++)
                {
                    probs[Index(b, c, s)] = Math.Exp(logits[Index(b, c, s)] - max) / total;
                }
            }
        }

        return probs;
    }

    /// <summary>The shapes of the acceptance criteria: 2D and 3D, sizes that are not multiples of the vector width, B = 1..4, C = 1..5.</summary>
    public static TheoryShapes Shapes => new()
    {
        { 1, 1, new[] { 7, 5 } },
        { 2, 3, new[] { 9, 13 } },
        { 3, 5, new[] { 17, 3 } },
        { 4, 2, new[] { 33, 31 } },
        { 1, 4, new[] { 5, 6, 7 } },
        { 2, 5, new[] { 3, 9, 11 } },
        { 4, 3, new[] { 6, 5, 3 } },
        { 3, 2, new[] { 1, 1, 1 } },
    };
}

/// <summary>Theory data of (B, C, spatial extents).</summary>
public sealed class TheoryShapes : Xunit.TheoryData<int, int, int[]>
{
}
