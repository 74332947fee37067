using System;
using System.IO;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace LossDsl.Cli.Demo;

/// <summary>
/// Loads libtorch for the demo only, when it runs: the other commands never touch TorchSharp and work without natives.
/// </summary>
internal static class TorchRuntime
{
    private const string LibTorchPackage = "libtorch-cpu-linux-x64";
    private const string LibTorchVersion = "2.10.0";

    /// <summary>Loads libtorch (or explains in one line why it cannot) and returns the device to use.</summary>
    /// <exception cref="CliException">libtorch cannot be loaded, the device is unknown, or CUDA is not available.</exception>
    public static Device Select(string device, int threads)
    {
        string name = device.Trim().ToLowerInvariant();
        if (name is not ("cpu" or "cuda"))
            throw new CliException($"unknown device '{device}'; use --device cpu or --device cuda.");
        Load();
        if (name == "cuda")
        {
            if (!torch.cuda.is_available())
                throw new CliException("--device cuda: CUDA is not available (no CUDA device, or this build carries the CPU libtorch; reference a libtorch-cuda package to train on a GPU).");
            return torch.CUDA;
        }
        torch.set_num_threads(threads);
        return torch.CPU;
    }

    /// <summary>Makes sure libtorch is loaded; from an installed tool, which does not carry it, tries the NuGet cache.</summary>
    private static void Load()
    {
        LimitOneDnnToAvx2();
        // TorchSharp prints a long load trace to standard output when it fails; the user gets our one line instead.
        TextWriter console = System.Console.Out;
        try
        {
            string? missing = PreloadFromNuGetCacheIfMissing();
            if (missing is not null)
                throw new InvalidOperationException(missing);
            System.Console.SetOut(TextWriter.Null);
            torch.InitializeDeviceType(DeviceType.CPU);
        }
        catch (Exception e) when (e is not CliException)
        {
            string reason = (e.InnerException ?? e).Message.Split('\n')[0].Trim();
            throw new CliException(
                $"the demo needs libtorch, which could not be loaded ({reason}). The LossDsl.Tool package does not carry it: run the demo from a "
                + $"source checkout (dotnet run --project src/LossDsl.Cli -- demo), or restore the NuGet package {LibTorchPackage} {LibTorchVersion} once "
                + "(any project referencing it) so that the tool finds it in the NuGet cache.");
        }
        finally
        {
            System.Console.SetOut(console);
        }
    }

    /// <summary>
    /// Keeps oneDNN (libtorch's CPU convolutions) off its AVX-512 kernels unless the user chose otherwise: with
    /// libtorch 2.10 on the AVX-512 AMD EPYC machines this project is tested on, the U-Net's convolution backward
    /// intermittently produced NaN weight gradients in the first training step (4–5 of 6 runs of the tiny demo; 0 of 6
    /// with DNNL_MAX_CPU_ISA=AVX2), so two runs with the same seed did not even agree. oneDNN reads the variable from
    /// the native environment when it first dispatches, hence libc's setenv (Environment.SetEnvironmentVariable only
    /// changes .NET's copy); an existing value is kept. See docs/platform-notes.md.
    /// </summary>
    private static void LimitOneDnnToAvx2()
    {
        if (OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64)
            setenv("DNNL_MAX_CPU_ISA", "AVX2", overwrite: 0);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int setenv(string name, string value, int overwrite);

    /// <summary>
    /// When libtorch is not next to the application (an installed tool), loads it from the NuGet package cache if a
    /// restore put it there. Its libraries find each other through their own $ORIGIN run path, and TorchSharp's later
    /// load by name finds the already loaded ones.
    /// </summary>
    /// <returns>Null when libtorch is next to the application or was loaded from the cache (or on other platforms, where TorchSharp's own search applies); otherwise where it looked.</returns>
    private static string? PreloadFromNuGetCacheIfMissing()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
            return null;
        string baseDirectory = AppContext.BaseDirectory;
        if (File.Exists(Path.Combine(baseDirectory, "libtorch_cpu.so"))
            || File.Exists(Path.Combine(baseDirectory, "runtimes", "linux-x64", "native", "libtorch_cpu.so")))
            return null;
        string? packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        if (string.IsNullOrEmpty(packages))
            packages = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string native = Path.Combine(packages, LibTorchPackage, LibTorchVersion, "runtimes", "linux-x64", "native");
        if (!File.Exists(Path.Combine(native, "libtorch.so")))
            return $"not next to the tool, and not in the NuGet cache at {native}";
        foreach (string library in new[] { "libc10.so", "libtorch_cpu.so", "libtorch.so" })
        {
            string path = Path.Combine(native, library);
            if (File.Exists(path))
                NativeLibrary.Load(path);
        }
        return null;
    }
}
