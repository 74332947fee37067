using BenchmarkDotNet.Attributes;
using LossDsl.Cpu;
using TorchSharp;

namespace LossDsl.Benchmarks.Suite;

/// <summary>
/// What the suite's benchmarks share: one case per loss and shape (<see cref="SuiteInputs"/>), its inputs made once
/// per case, one thread for the CPU back end and for libtorch.
/// </summary>
public abstract class SuiteBenchmark
{
    public static string[] Losses => SuiteInputs.Losses;

    public static string[] Shapes => SuiteInputs.Shapes;

    [ParamsSource(nameof(Losses))]
    public string Loss { get; set; } = "";

    /// <summary>(8, 4, 256, 256) or (2, 3, 64, 64, 64).</summary>
    [ParamsSource(nameof(Shapes))]
    public string Shape { get; set; } = "";

    internal SuiteInputs Inputs { get; private set; } = null!;

    [GlobalSetup]
    public void Setup()
    {
        Inputs = SuiteInputs.For(Loss, Shape);
        CpuBackend.MaxDegreeOfParallelism = 1;
        torch.set_num_threads(1);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Inputs.Dispose();
        CpuBackend.MaxDegreeOfParallelism = -1;
    }
}
