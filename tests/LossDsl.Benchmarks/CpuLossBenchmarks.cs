using System;
using System.Numerics;
using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using LossDsl.Cpu;

namespace LossDsl.Benchmarks;

/// <summary>
/// The SIMD CPU back end on the TorchSharp benchmark's loss and shape: GDL + boundary on softmax(logits),
/// (8, 4, 256, 256) float32, value and gradient of the logits, on 1 and 2 threads. See docs/performance.md.
/// </summary>
[MemoryDiagnoser]
public class CpuLossBenchmarks
{
    private static readonly nint[] Shape = { 8, 4, 256, 256 };
    private static readonly int[] Idc = { 1, 2, 3 };
    private float[] logits = Array.Empty<float>();
    private float[] target = Array.Empty<float>();
    private float[] dist = Array.Empty<float>();
    private float[] gradient = Array.Empty<float>();

    /// <summary>Threads the CPU back end may use.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var count = (int)(Shape[0] * Shape[1] * Shape[2] * Shape[3]);
        var random = new Random(0);
        logits = new float[count];
        target = new float[count];
        dist = new float[count];
        gradient = new float[count];
        for (var i = 0; i < count; i++)
        {
            logits[i] = (float)((random.NextDouble() * 4) - 2);
            dist[i] = (float)((random.NextDouble() * 20) - 10);
        }

        var plane = (int)(Shape[2] * Shape[3]);
        for (var b = 0; b < 8; b++)
        {
            for (var s = 0; s < plane; s++)
            {
                target[(((b * 4) + random.Next(4)) * plane) + s] = 1;
            }
        }

        CpuBackend.MaxDegreeOfParallelism = Threads;
    }

    [Benchmark]
    public float ValueOnly() =>
        BenchLosses.GdlBoundaryCpu<float>(new ReadOnlyTensorSpan<float>(logits, Shape), new(target, Shape), new(dist, Shape), Idc);

    [Benchmark]
    public float ValueAndGradient() =>
        BenchLosses.GdlBoundaryCpuGradient<float>(
            new ReadOnlyTensorSpan<float>(logits, Shape), new(target, Shape), new(dist, Shape),
            new TensorSpan<float>(gradient, Shape), default, default, Idc);

    /// <summary>
    /// The memory traffic the loss cannot avoid: one read of each of the three inputs and one write of the gradient,
    /// over the same bytes (the floor the generated passes are compared with).
    /// </summary>
    [Benchmark(Baseline = true)]
    public void StreamingFloor()
    {
        var width = System.Numerics.Vector<float>.Count;
        ref var a = ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(logits);
        ref var b = ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(target);
        ref var c = ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(dist);
        ref var d = ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(gradient);
        for (nuint i = 0; i + (nuint)width <= (nuint)logits.Length; i += (nuint)width)
        {
            (System.Numerics.Vector.LoadUnsafe(ref a, i) + System.Numerics.Vector.LoadUnsafe(ref b, i) + System.Numerics.Vector.LoadUnsafe(ref c, i)).StoreUnsafe(ref d, i);
        }
    }

    [GlobalCleanup]
    public void Cleanup() => CpuBackend.MaxDegreeOfParallelism = -1;
}
