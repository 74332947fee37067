using System;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;
using LossDsl.Distance;

namespace LossDsl.Benchmarks;

/// <summary>
/// Signed distance maps (reference one_hot2dist, float32 out) on the masks anchors.py times with scipy:
/// one 128³ volume at spacing (1, 1, 2.5), and 16 maps of 256² at unit spacing; 1 and 2 threads.
/// </summary>
[Config(typeof(ShortInProcess))]
public class DistanceBenchmarks
{
    /// <summary>
    /// In-process (no generated project to build: this one references TorchSharp's natives), 3 warm-ups and 10
    /// iterations of ≈ 100 ms: the whole class runs in about 15 s.
    /// </summary>
    private sealed class ShortInProcess : ManualConfig
    {
        public ShortInProcess()
        {
            AddJob(Job.Default
                .WithToolchain(InProcessEmitToolchain.Instance)
                .WithWarmupCount(3)
                .WithIterationCount(10)
                .WithIterationTime(TimeInterval.FromMilliseconds(100)));
            AddDiagnoser(MemoryDiagnoser.Default);
        }
    }

    private static readonly int[] Volume = [128, 128, 128];
    private static readonly double[] VolumeSpacing = [1, 1, 2.5];
    private static readonly int[] Image = [256, 256];

    private byte[] _volume = [];
    private float[] _volumeOut = [];
    private byte[] _images = [];
    private float[] _imagesOut = [];

    /// <summary>Threads used by the transform.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Loads the anchor masks.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _volume = AnchorMasks.Load(Volume, 1, out bool a);
        _images = AnchorMasks.Load(Image, 16, out bool b);
        Console.WriteLine($"// masks from anchors.py: volume {a}, images {b}");
        _volumeOut = new float[_volume.Length];
        _imagesOut = new float[_images.Length];
    }

    /// <summary>One 128³ volume, spacing (1, 1, 2.5).</summary>
    [Benchmark]
    public void Volume128_spacing_1_1_2_5()
        => SignedDistance.FromMask(_volume, Volume, VolumeSpacing, _volumeOut, SignedDistanceVariant.Reference, Threads);

    /// <summary>16 maps of 256², unit spacing.</summary>
    [Benchmark]
    public void Images16x256()
        => SignedDistance.FromMasks(_images, 16, Image, default, _imagesOut, SignedDistanceVariant.Reference, Threads);
}
