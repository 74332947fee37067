using System;
using System.Linq;
using System.Reflection;
using BenchmarkDotNet.Attributes;
using LossDsl.FSharp;
using Microsoft.FSharp.Core;
using Microsoft.FSharp.Quotations;

namespace LossDsl.Benchmarks;

/// <summary>
/// A loss declared in F# (LossDsl.FSharp) against the same loss declared in C#: the built-in GdlBoundaryFromLogits,
/// and an F# quotation whose body calls it (the F# front end inlines its stored graph, so both run the code the
/// generator made for that formula). Value and logits gradient, (8, 4, 128, 128) float32. The quotation is built with
/// FSharp.Core's Expr API, since C# has no quotation syntax:
/// <c>fun logits target dist idc alpha -&gt; SegmentationLosses.GdlBoundaryFromLogits(logits, target, dist, idc, alpha)</c>.
/// See docs/performance.md ("Losses declared in F#").
/// </summary>
public class FSharpLossBenchmarks
{
    private static readonly int[] Shape = { 8, 4, 128, 128 };
    private static readonly int[] Idc = { 1, 2, 3 };
    private FieldArray<float>[] fields = Array.Empty<FieldArray<float>>();
    private FieldArray<float>[] gradients = Array.Empty<FieldArray<float>>();
    private CompiledLoss loss = null!;

    [GlobalSetup]
    public void Setup()
    {
        var count = Shape.Aggregate(1, (a, b) => a * b);
        var random = new Random(0);
        float[] Draw(Func<float> value) => Enumerable.Range(0, count).Select(_ => value()).ToArray();
        var logits = Draw(() => (float)((random.NextDouble() * 4) - 2));
        var dist = Draw(() => (float)((random.NextDouble() * 20) - 10));
        var target = new float[count];
        var plane = Shape[2] * Shape[3];
        for (var b = 0; b < Shape[0]; b++)
        {
            for (var s = 0; s < plane; s++)
            {
                target[(((b * Shape[1]) + random.Next(Shape[1])) * plane) + s] = 1;
            }
        }

        fields = new[] { new FieldArray<float>(logits, Shape), new FieldArray<float>(target, Shape), new FieldArray<float>(dist, Shape) };
        gradients = new[] { FieldArray<float>.Zeros(Shape), null!, null! };
        loss = Compile();
    }

    /// <summary>The C# declaration: the generated SegmentationLosses.GdlBoundaryFromLogitsCpuGradient.</summary>
    [Benchmark(Baseline = true)]
    public float DeclaredInCSharp() =>
        SegmentationLosses.GdlBoundaryFromLogitsCpuGradient<float>(fields[0], fields[1], fields[2], gradients[0], null, null, Idc, 0.25);

    /// <summary>The F# declaration, compiled at run time by LossDsl.FSharp.</summary>
    [Benchmark]
    public float DeclaredInFSharp() => loss.CpuGradient<float>(fields, gradients, Idc, 0.25);

    private static CompiledLoss Compile()
    {
        var logits = new FSharpVar("logits", typeof(Field), null);
        var target = new FSharpVar("target", typeof(Field), null);
        var dist = new FSharpVar("dist", typeof(Field), null);
        var idc = new FSharpVar("idc", typeof(int[]), null);
        var alpha = new FSharpVar("alpha", typeof(double), null);
        var method = typeof(SegmentationLosses).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Single(m => m.Name == nameof(SegmentationLosses.GdlBoundaryFromLogits) && m.GetParameters()[0].ParameterType == typeof(Field));
        var body = FSharpExpr.Call(method, Microsoft.FSharp.Collections.ListModule.OfArray(new[] { logits, target, dist, idc, alpha }.Select(FSharpExpr.Var).ToArray()));
        var lambda = new[] { alpha, idc, dist, target, logits }.Aggregate(body, (inner, v) => FSharpExpr.Lambda(v, inner));
        var typed = FSharpExpr.Cast<FSharpFunc<Field, FSharpFunc<Field, FSharpFunc<Field, FSharpFunc<int[], FSharpFunc<double, Scalar>>>>>>(lambda);
        return Loss.compileAs("GdlBoundaryFromLogitsFSharp", typed);
    }
}
