using System;
using System.IO;
using System.Linq;
using System.Text;
using TorchSharp;
using Xunit;

namespace LossDsl.Tests.Platform;

/// <summary>
/// TorchSharp's native library needs GLIBCXX_3.4.32, which Debian 12 lacks; Directory.Build.targets
/// marks that need weak in the output copy. This test fails if the patch stops working.
/// </summary>
public sealed class TorchSharpLoadTests
{
    [Fact]
    public void TorchSharp_loads_and_computes()
    {
        using var t = torch.arange(1, 11, dtype: torch.float64);
        using var sum = t.sum();
        Assert.Equal(55.0, sum.item<double>());
    }

    /// <summary>
    /// The patch touches only the output copy: where the system libstdc++ lacks GLIBCXX_3.4.32 the copy differs from
    /// the NuGet cache's file in exactly one byte (the Vernaux flags); elsewhere they are identical.
    /// </summary>
    [Fact]
    public void Patch_changes_one_byte_of_the_output_copy_and_leaves_the_NuGet_cache_alone()
    {
        string output = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string cached = Path.Combine(packages, "torchsharp", typeof(torch).Assembly.GetName().Version!.ToString(3), "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        if (!OperatingSystem.IsLinux() || !File.Exists(output) || !File.Exists(cached)) return;

        var a = File.ReadAllBytes(output);
        var b = File.ReadAllBytes(cached);
        Assert.Equal(b.Length, a.Length);
        int differences = Enumerable.Range(0, a.Length).Count(i => a[i] != b[i]);
        bool systemHasIt = File.Exists("/usr/lib/x86_64-linux-gnu/libstdc++.so.6")
            && Encoding.ASCII.GetString(File.ReadAllBytes("/usr/lib/x86_64-linux-gnu/libstdc++.so.6")).Contains("GLIBCXX_3.4.32\0", StringComparison.Ordinal);
        Assert.Equal(systemHasIt ? 0 : 1, differences);
    }
}
