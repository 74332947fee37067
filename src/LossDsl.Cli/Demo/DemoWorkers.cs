using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace LossDsl.Cli.Demo;

/// <summary>
/// Each training of the demo runs in a process of its own: the parent starts this tool again with
/// <see cref="WorkerOption"/>, one seed and one loss, and reads a line protocol from its output. Processes, not threads:
/// TorchSharp 0.107 passes temporary native scalars it does not keep alive (implicit conversions inside BatchNorm and
/// Adam), so a garbage collection triggered by a second training thread of the same process can free a scalar while
/// libtorch reads it ("Unknown scalar type"; seen here within minutes with two threads). A worker process has one
/// managed thread doing the work and one libtorch thread, so its results do not depend on how many run side by side.
/// </summary>
internal static class DemoWorkers
{
    public const string WorkerOption = "--worker-process";

    private const string BatchTag = "#batch", EpochTag = "#epoch", PredictionsTag = "#predictions";

    /// <summary>In the worker: trains the one seed and loss of <paramref name="settings"/> and reports every batch, every epoch and the last predictions.</summary>
    public static int RunWorker(DemoSettings settings, TextWriter output)
    {
        // This process trains: freed tensors should stay in the heap instead of page-faulting anew (docs/performance.md).
        LossDsl.Torch.CpuAllocator.KeepFreedMemory();
        TorchSharp.torch.Device device = TorchRuntime.Select(settings.Device, settings.Threads);
        DemoLoss loss = settings.Only == DemoRuns.Gdl ? DemoLoss.GeneralizedDice : DemoLoss.GeneralizedDiceBoundary;
        var (train, validation) = SyntheticData.Make(settings.Seed, settings.Size, settings.TrainImages, settings.ValidationImages, settings.Data);
        var trainer = new DemoTrainer(settings, device, settings.Seed, train, validation);
        DemoRun run = trainer.Train(
            loss,
            timing => output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{BatchTag} {timing.StepMilliseconds[^1]:R} {(timing.MapBatches > 0 ? timing.MapMilliseconds[^1].ToString("R", CultureInfo.InvariantCulture) : "-")}")),
            m => output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{EpochTag} {m.Epoch} {m.Alpha:R} {m.TrainLoss:R} {m.Dice:R} {m.Hd95:R} {m.FalseAlarms}")));
        output.WriteLine($"{PredictionsTag} {Convert.ToBase64String(run.ValidationPredictions)}");
        output.Flush();
        return 0;
    }

    /// <summary>In the parent: runs one training in a worker process and returns what it reported.</summary>
    /// <exception cref="CliException">The worker failed (its first error line is in the message).</exception>
    public static DemoRun Train(DemoSettings settings, int seed, DemoLoss loss, Action<BatchTiming> onBatch, Action<EpochMetrics> onEpoch)
    {
        var start = StartInfo(settings.WorkerArguments(seed, loss));
        using var process = new Process { StartInfo = start };
        var errors = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (errors)
                    errors.AppendLine(e.Data);
            }
        };
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new CliException($"cannot start a training process ({start.FileName}): {e.Message}");
        }
        process.BeginErrorReadLine();

        var epochs = new List<EpochMetrics>();
        var maps = new List<double>();
        var steps = new List<double>();
        byte[]? predictions = null;
        while (process.StandardOutput.ReadLine() is { } line)
        {
            string[] parts = line.Split(' ');
            switch (parts[0])
            {
                case BatchTag:
                    steps.Add(double.Parse(parts[1], CultureInfo.InvariantCulture));
                    if (parts[2] != "-")
                        maps.Add(double.Parse(parts[2], CultureInfo.InvariantCulture));
                    onBatch(new BatchTiming(maps, steps));
                    break;
                case EpochTag:
                    var metrics = new EpochMetrics(
                        int.Parse(parts[1], CultureInfo.InvariantCulture),
                        double.Parse(parts[2], CultureInfo.InvariantCulture),
                        double.Parse(parts[3], CultureInfo.InvariantCulture),
                        double.Parse(parts[4], CultureInfo.InvariantCulture),
                        double.Parse(parts[5], CultureInfo.InvariantCulture),
                        int.Parse(parts[6], CultureInfo.InvariantCulture));
                    epochs.Add(metrics);
                    onEpoch(metrics);
                    break;
                case PredictionsTag:
                    predictions = Convert.FromBase64String(parts[1]);
                    break;
            }
        }
        process.WaitForExit();
        if (process.ExitCode != 0 || predictions is null || epochs.Count != settings.Epochs)
        {
            string error;
            lock (errors)
                error = errors.ToString();
            string first = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is [var head, ..] ? head : $"exit code {process.ExitCode}";
            const string prefix = "lossdsl demo: error: ";
            throw new CliException($"the training of seed {seed} with {DemoTrainer.Label(loss)} failed: {(first.StartsWith(prefix, StringComparison.Ordinal) ? first[prefix.Length..] : first)}");
        }
        return new DemoRun(seed, loss, epochs, predictions, new BatchTiming(maps, steps));
    }

    /// <summary>
    /// `dotnet exec LossDsl.Cli.dll …` with the host of the runtime this process runs on: works from a build folder
    /// (`dotnet run`), from an installed tool and from the test project's folder alike, wherever .NET is installed.
    /// </summary>
    private static ProcessStartInfo StartInfo(string[] arguments)
    {
        string assembly = typeof(DemoWorkers).Assembly.Location;
        var start = new ProcessStartInfo(DotnetHost())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add("exec");
        string runtimeConfig = Path.ChangeExtension(assembly, ".runtimeconfig.json");
        if (File.Exists(runtimeConfig))
        {
            start.ArgumentList.Add("--runtimeconfig");
            start.ArgumentList.Add(runtimeConfig);
        }
        string deps = Path.ChangeExtension(assembly, ".deps.json");
        if (File.Exists(deps))
        {
            start.ArgumentList.Add("--depsfile");
            start.ArgumentList.Add(deps);
        }
        start.ArgumentList.Add(assembly);
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        return start;
    }

    private static string DotnetHost()
    {
        string executable = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        if (Environment.ProcessPath is { } path && string.Equals(Path.GetFileName(path), executable, StringComparison.OrdinalIgnoreCase))
            return path;
        // The runtime lives in <root>/shared/Microsoft.NETCore.App/<version>/; the host is <root>/dotnet.
        string root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        string candidate = Path.Combine(root, executable);
        if (File.Exists(candidate))
            return candidate;
        string? fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        return !string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk) ? fromSdk : executable;
    }
}
