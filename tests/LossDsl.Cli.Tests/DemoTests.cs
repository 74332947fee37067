using System;
using System.IO;
using System.Linq;
using LossDsl.Cli.Demo;
using Xunit;

namespace LossDsl.Cli.Tests;

/// <summary>
/// `lossdsl demo` end to end at a tiny size (seconds), and its option errors. In one class, so that no two trainings
/// share libtorch's global state at the same time.
/// </summary>
public sealed class DemoTests
{
    private static readonly string[] Tiny = ["--epochs", "2", "--size", "32", "--train-images", "16", "--val-images", "6"];

    [Fact]
    public void A_tiny_demo_prints_a_row_per_seed_the_mean_difference_with_its_interval_and_writes_the_plots()
    {
        using var folder = new TestFolder();
        string output = Path.Combine(folder.Path, "out");

        var result = Cli.Run(["demo", .. Tiny, "--runs", "3", "--out", output]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal("", result.Error);
        string[] lines = result.Output.Split('\n');
        string header = Assert.Single(lines, line => FirstCell(line) == "seed");
        foreach (string column in new[] { "Dice GDL", "Dice B", "Δ Dice", "Δ Dice 95 % CI", "HD95 GDL", "HD95 B", "Δ HD95 (px)", "Δ HD95 95 % CI" })
            Assert.Contains(column, Cells(header));
        // One row per seed (1, 2, 3), then the footer: the means and the intervals.
        Assert.Equal(["1", "2", "3", "mean of 3"], lines.Select(FirstCell).OfType<string>().Where(c => c is "1" or "2" or "3" or "mean of 3").ToArray());
        string[] footer = Cells(Assert.Single(lines, line => FirstCell(line) == "mean of 3"));
        string[] columns = Cells(header);
        var interval = new System.Text.RegularExpressions.Regex(@"^\[[+−]\d+\.\d+, [+−]\d+\.\d+\]$");
        Assert.Matches(interval, footer[Array.IndexOf(columns, "Δ Dice 95 % CI")]);
        Assert.Matches(interval, footer[Array.IndexOf(columns, "Δ HD95 95 % CI")]);
        Assert.Single(lines, line => line.StartsWith("verdict, GDL + boundary against GDL over 3 paired seeds: Dice ", StringComparison.Ordinal));
        Assert.Contains(Path.GetFullPath(output), result.Output, StringComparison.Ordinal);
        foreach (string png in new[] { DemoRunner.CurvesFile, DemoRunner.OverlaysFile })
        {
            byte[] bytes = File.ReadAllBytes(Path.Combine(output, png));
            Assert.True(bytes.Length > 1000, $"{png} is only {bytes.Length} bytes");
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
        }
        string[] csv = File.ReadAllLines(Path.Combine(output, DemoRunner.MetricsFile));
        Assert.Equal(1 + (3 * 2 * 2), csv.Length);
    }

    [Fact]
    public void Two_runs_with_the_same_seeds_print_the_same_table_with_one_and_with_two_workers()
    {
        using var folder = new TestFolder();

        var one = Cli.Run(["demo", .. Tiny, "--seed", "7", "--runs", "2", "--workers", "1", "--out", folder.File("a")]);
        var two = Cli.Run(["demo", .. Tiny, "--seed", "7", "--runs", "2", "--workers", "2", "--out", folder.File("b")]);

        Assert.True(one.ExitCode == 0 && two.ExitCode == 0, one.Error + two.Error);
        Assert.Contains("on 1 worker", one.Output, StringComparison.Ordinal);
        Assert.Contains("on 2 workers", two.Output, StringComparison.Ordinal);
        Assert.Equal(Deterministic(one.Output), Deterministic(two.Output));
        Assert.Contains("mean of 2", Deterministic(one.Output), StringComparison.Ordinal);
        Assert.Contains("seed 8   GDL + boundary  epoch   2/2", Deterministic(one.Output), StringComparison.Ordinal);
        // Both runs diverging the same way would also agree: the training must stay finite.
        Assert.DoesNotContain("NaN", one.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_demo_reports_what_the_maps_cost_per_batch_next_to_the_training_step()
    {
        using var folder = new TestFolder();

        var result = Cli.Run(["demo", "--epochs", "1", "--size", "32", "--train-images", "8", "--val-images", "4", "--runs", "1", "--out", folder.File("t")]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Matches(@"time per batch of 8 crops of 24×24, one thread, median: signed distance maps \d+\.\d\d ms, training step \d+\.\d ms", result.Output);
        Assert.Contains("verdict: one seed gives no interval", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_demo_keeps_oneDNN_on_AVX2_unless_the_user_chose_an_ISA()
    {
        // The setting that keeps the U-Net's convolution backward finite here (TorchRuntime.LimitOneDnnToAvx2).
        string? before = Environment.GetEnvironmentVariable("DNNL_MAX_CPU_ISA");
        using var folder = new TestFolder();

        var result = Cli.Run(["demo", "--epochs", "1", "--size", "32", "--train-images", "8", "--val-images", "4", "--runs", "1", "--out", folder.File("c")]);

        Assert.True(result.ExitCode == 0, result.Error);
        if (OperatingSystem.IsLinux() && System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.X64)
        {
            Assert.Equal(before ?? "AVX2", NativeEnvironment("DNNL_MAX_CPU_ISA"));
        }
    }

    /// <summary>The process's native environment (what libtorch sees), not .NET's copy of it.</summary>
    private static string? NativeEnvironment(string name) =>
        System.Runtime.InteropServices.Marshal.PtrToStringUTF8(getenv(name));

    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern IntPtr getenv(string name);

    [Fact]
    public void Negative_epochs_are_one_error_line()
        => AssertOneErrorLine(Cli.Run("demo", "--epochs", "-3", "--out", Path.GetTempPath()), "--epochs must be at least 1; got -3.");

    [Fact]
    public void An_unknown_device_is_one_error_line()
        => AssertOneErrorLine(Cli.Run("demo", "--device", "tpu", "--out", Path.GetTempPath()), "unknown device 'tpu'");

    [Fact]
    public void Cuda_without_a_cuda_libtorch_is_one_error_line()
        => AssertOneErrorLine(Cli.Run("demo", "--device", "cuda", "--out", Path.GetTempPath()), "CUDA is not available");

    [Fact]
    public void A_size_that_is_not_a_multiple_of_four_is_one_error_line()
        => AssertOneErrorLine(Cli.Run("demo", "--size", "30", "--out", Path.GetTempPath()), "--size must be a multiple of 4");

    [Theory]
    [InlineData("--distance", "nearest", "--distance must be reference or contour")]
    [InlineData("--only", "neither", "--only must be both, gdl or combined")]
    [InlineData("--alpha-max", "1.5", "--alpha-max must be in")]
    [InlineData("--alpha-step", "-0.01", "--alpha-step must be in [0, 1]")]
    [InlineData("--lr", "0", "--lr must be a positive number")]
    [InlineData("--width", "0", "--width must be at least 1")]
    [InlineData("--runs", "0", "--runs must be between 1 and 100; got 0.")]
    [InlineData("--workers", "-1", "--workers must be between 1 and 64")]
    [InlineData("--crop", "30", "--crop must be a multiple of 4 between 16 and --size")]
    [InlineData("--contrast", "0", "--contrast must be in (0, 2]")]
    [InlineData("--noise", "-1", "--noise must be in [0, 2]")]
    [InlineData("--blur", "9", "--blur must be in [0, 8] pixels")]
    [InlineData("--radius", "0.5", "--radius must be in [1, 8] pixels")]
    public void Bad_tuning_options_are_one_error_line(string option, string value, string expected)
        => AssertOneErrorLine(Cli.Run("demo", option, value, "--out", Path.GetTempPath()), expected);

    [Fact]
    public void An_unwritable_output_folder_is_one_error_line()
    {
        using var folder = new TestFolder();
        // A folder cannot be created under a regular file, whoever runs the test (root ignores permission bits).
        string file = folder.File("plain-file");
        File.WriteAllText(file, "");

        AssertOneErrorLine(Cli.Run(["demo", .. Tiny, "--out", Path.Combine(file, "out")]), "cannot write to the output folder");
    }

    private static void AssertOneErrorLine(Cli.Result result, string expected)
    {
        Assert.NotEqual(0, result.ExitCode);
        string line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("lossdsl demo: error: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    /// <summary>The first cell of a table row (`│ 1 │ 0.41 │ …`), or null for other lines.</summary>
    private static string? FirstCell(string line)
    {
        string[] cells = Cells(line);
        return cells.Length > 0 ? cells[0] : null;
    }

    /// <summary>The cells of a table row, trimmed; empty for other lines.</summary>
    private static string[] Cells(string line)
    {
        string[] parts = line.Split('│');
        return parts.Length > 2 ? parts[1..^1].Select(c => c.Trim()).ToArray() : [];
    }

    /// <summary>The output without what may differ between two equal runs: the lines with wall-clock times and the output folder.</summary>
    private static string Deterministic(string output)
        => string.Join('\n', output.Split('\n').Where(line => !line.StartsWith(DemoRunner.TimingPrefix, StringComparison.Ordinal)));
}
