using System;
using System.Diagnostics;
using System.Numerics;
using System.Numerics.Tensors;
using LossDsl.Cpu;

namespace LossDsl.Benchmarks;

/// <summary>
/// A Stopwatch median of the CPU back end on the benchmark loss next to a streaming floor, for quick checks while
/// working on the compiler (<c>dotnet run -c Release -- cpu</c>); the figures in docs/performance.md come from
/// BenchmarkDotNet (<see cref="CpuLossBenchmarks"/>, <see cref="CpuSuiteBenchmarks"/>).
/// </summary>
internal static class CpuQuickTiming
{
    public static void Run()
    {
        var setup = new CpuLossBenchmarks { Threads = 1 };
        setup.Setup();
        Console.WriteLine($"floor (read 3, write 1): {Median(setup.StreamingFloor):F2} ms");
        Console.WriteLine($"GdlBoundary value:       {Median(() => setup.ValueOnly()):F2} ms");
        Console.WriteLine($"GdlBoundary value+grad:  {Median(() => setup.ValueAndGradient()):F2} ms");
        var shape = new nint[] { 8, 4, 256, 256 };
        var data = new float[8 * 4 * 256 * 256];
        new System.Random(1).NextBytes(new byte[1]);
        for (var i = 0; i < data.Length; i++) { data[i] = (i % 7) * 0.1f; }
        Console.WriteLine($"Sum(p):           {Median(() => ProbeLosses.SumOnlyCpu<float>(new ReadOnlyTensorSpan<float>(data, shape))):F2} ms");
        Console.WriteLine($"Sum(Exp(p)):      {Median(() => ProbeLosses.ExpOnlyCpu<float>(new ReadOnlyTensorSpan<float>(data, shape))):F2} ms");
        Console.WriteLine($"Sum(Softmax(p)):  {Median(() => ProbeLosses.SoftmaxOnlyCpu<float>(new ReadOnlyTensorSpan<float>(data, shape))):F2} ms");
        Console.WriteLine($"  split blocks:   {Median(() => SplitBlocks(data, shape)):F2} ms");
        Console.WriteLine($"Spatial:          {Median(() => ProbeLosses.SpatialOnlyCpu<float>(new ReadOnlyTensorSpan<float>(data, shape), new ReadOnlyTensorSpan<float>(data, shape))):F2} ms");
        setup.Cleanup();
    }

    /// <summary><see cref="SplitBlockSoftmaxProgram"/> over the same array as the generated Sum(Softmax(p)).</summary>
    private static float SplitBlocks(float[] data, nint[] shape)
    {
        var span = new ReadOnlyTensorSpan<float>(data, shape);
        var fieldShape = CpuArguments.ShapeOf(span, "p");
        var fields = new FieldSpans<float>();
        fields.Add(CpuArguments.Data(span, "p"));
        var gradients = new FieldSpans<float>();
        gradients.Add(default);
        return new SplitBlockSoftmaxProgram(fieldShape).Run(ref fields, ref gradients);
    }

    /// <summary>The suite, each loss once per back end: values side by side (a sanity check) and CPU-time medians.</summary>
    public static void RunSuite(string shape)
    {
        foreach (var loss in Suite.SuiteInputs.Losses)
        {
            var suite = new Suite.CpuSuiteBenchmarks { Loss = loss, Shape = shape };
            suite.Setup();
            var values = $"{suite.Fused():G6} / {suite.BeforeFusion():G6} / {suite.TorchSharpEager():G6}";
            var fused = Median(() => suite.Fused());
            var before = Median(() => suite.BeforeFusion());
            var eager = Median(() => suite.TorchSharpEager());
            Console.WriteLine($"{loss,-22} fused {fused,6:F2} ms  before {before,6:F2} ms ({before / fused:F1}×)  eager {eager,6:F2} ms ({eager / fused:F1}×)  values {values}");
            suite.Cleanup();
        }
    }

    /// <summary>
    /// Runs one workload <paramref name="count"/> times and nothing else, for hardware counters
    /// (<c>perf stat -e cycles:u,instructions:u dotnet … repeat grad 200</c>): cycles spent in this process only,
    /// steadier than any clock on a shared machine.
    /// </summary>
    public static void Repeat(string what, int count)
    {
        var setup = new CpuLossBenchmarks { Threads = 1 };
        setup.Setup();
        Action work = what switch
        {
            "floor" => setup.StreamingFloor,
            "value" => () => setup.ValueOnly(),
            "grad" => () => setup.ValueAndGradient(),
            _ => throw new ArgumentException($"unknown workload '{what}' (floor, value, grad)", nameof(what)),
        };
        for (var i = 0; i < count; i++)
        {
            work();
        }

        setup.Cleanup();
    }

    /// <summary>
    /// One suite loss's fused value and gradient, <paramref name="count"/> times and nothing else, for hardware
    /// counters or a sampling profiler (<c>perf record … suite-repeat Tversky 8x4x256x256 200</c>).
    /// </summary>
    public static void RepeatSuite(string loss, string shape, int count)
    {
        var suite = new Suite.CpuSuiteBenchmarks { Loss = loss, Shape = shape };
        suite.Setup();
        for (var i = 0; i < count; i++)
        {
            suite.Fused();
        }

        suite.Cleanup();
    }

    private static double Median(Action a)
    {
        for (var i = 0; i < 10; i++)
        {
            a();
        }

        // Process CPU time, not wall time: steadier when other work shares the cores.
        var process = Process.GetCurrentProcess();
        var times = new double[15];
        for (var i = 0; i < times.Length; i++)
        {
            process.Refresh();
            var before = process.TotalProcessorTime;
            for (var r = 0; r < 5; r++)
            {
                a();
            }

            process.Refresh();
            times[i] = (process.TotalProcessorTime - before).TotalMilliseconds / 5;
        }

        Array.Sort(times);
        return times[times.Length / 2];
    }
}
