using BenchmarkDotNet.Running;

namespace LossDsl.Benchmarks;

/// <summary>Entry point: BenchmarkDotNet's switcher (use <c>--filter</c> to pick benchmarks).</summary>
public static class Program
{
    /// <summary>Runs the benchmarks selected on the command line.</summary>
    public static void Main(string[] args)
    {
        if (args is ["quick"]) QuickTiming.Run();
        else if (args is ["cpu"]) CpuQuickTiming.Run();
        else if (args is ["repeat", var what, var count]) CpuQuickTiming.Repeat(what, int.Parse(count, System.Globalization.CultureInfo.InvariantCulture));
        else if (args is ["suite", var shape]) CpuQuickTiming.RunSuite(shape);
        else if (args is ["cpu-min", var minShape, var rounds]) MinTiming.Run(minShape, int.Parse(rounds, System.Globalization.CultureInfo.InvariantCulture), withEager: false);
        else if (args is ["cpu-min", var eagerShape, var eagerRounds, "eager"]) MinTiming.Run(eagerShape, int.Parse(eagerRounds, System.Globalization.CultureInfo.InvariantCulture), withEager: true);
        else if (args is ["suite-repeat", var loss, var suiteShape, var times]) CpuQuickTiming.RepeatSuite(loss, suiteShape, int.Parse(times, System.Globalization.CultureInfo.InvariantCulture));
        else if (args is ["torch"]) TorchLossTiming.Run(60);
        else if (args is ["torch-repeat", var variant, var calls]) TorchLossTiming.Repeat(variant, int.Parse(calls, System.Globalization.CultureInfo.InvariantCulture));
        else if (args is ["torch-suite", var suiteLoss, var torchShape, var suiteVariant, var suiteCalls]) Suite.TorchSuiteTiming.Run(suiteLoss, torchShape, suiteVariant, int.Parse(suiteCalls, System.Globalization.CultureInfo.InvariantCulture));
        else if (args is ["torch", var reps]) TorchLossTiming.Run(int.Parse(reps, System.Globalization.CultureInfo.InvariantCulture));
        else BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
