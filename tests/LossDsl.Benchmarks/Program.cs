using BenchmarkDotNet.Running;

namespace LossDsl.Benchmarks;

/// <summary>Entry point: BenchmarkDotNet's switcher (use <c>--filter</c> to pick benchmarks).</summary>
public static class Program
{
    /// <summary>Runs the benchmarks selected on the command line.</summary>
    public static void Main(string[] args)
    {
        if (args is ["quick"]) QuickTiming.Run();
        else BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
