using System;
using System.Linq;
using LossDsl.Torch;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace LossDsl.Tests.Torch.Sweeps;

/// <summary>Inputs, comparisons and process-wide settings shared by the sweep tests.</summary>
internal static class SweepChecks
{
    public static ScalarType Dtype(string name) => name == "float64" ? ScalarType.Float64 : ScalarType.Float32;

    /// <summary>
    /// Relative to the magnitude of the terms. The sweeps associate differently from ATen (FMA, blocked sums, the
    /// constant added first, p·(u − Σ) instead of p·u − p·Σ), so the two differ by a few rounding errors of the
    /// largest terms: ~1e-7 in float32 (1e-5 leaves room for sums over thousands of terms), ~1e-16 in float64.
    /// </summary>
    public static double Tolerance(ScalarType dtype) => dtype == ScalarType.Float64 ? 1e-12 : 1e-5;

    /// <summary>Standard normal numbers of the given shape and dtype, reproducible from <paramref name="generator"/>.</summary>
    public static Tensor Normal(long[] shape, ScalarType dtype, Generator generator)
    {
        using var values = torch.randn(shape, ScalarType.Float64, generator: generator);
        return values.to_type(dtype);
    }

    /// <summary>A real softmax over the classes of random logits.</summary>
    public static Tensor Softmax(long[] shape, ScalarType dtype, Generator generator)
    {
        using var logits = torch.randn(shape, ScalarType.Float64, generator: generator).mul_(2);
        using var p = logits.softmax(1);
        return p.to_type(dtype);
    }

    /// <summary>
    /// Same shape and dtype; NaN and infinities at the same places; elsewhere |expected − actual| ≤ rtol·scale, where
    /// scale is the largest finite |expected| (or <paramref name="scale"/> when given and finite: a bound on the terms summed).
    /// </summary>
    public static void AssertClose(Tensor expected, Tensor actual, double rtol, string what, double? scale = null)
    {
        Assert.Equal(expected.shape, actual.shape);
        Assert.Equal(expected.dtype, actual.dtype);
        var e = Doubles(expected);
        var a = Doubles(actual);
        var magnitude = scale is { } bound && double.IsFinite(bound) ? bound : e.Where(double.IsFinite).Select(Math.Abs).DefaultIfEmpty(0).Max();
        for (var i = 0; i < e.Length; i++)
        {
            if (!double.IsFinite(e[i]))
            {
                Assert.True(e[i].Equals(a[i]), $"{what}[{i}]: expected {e[i]}, got {a[i]}");
                continue;
            }

            Assert.True(Math.Abs(e[i] - a[i]) <= rtol * Math.Max(magnitude, 1e-300), $"{what}[{i}]: expected {e[i]:R}, got {a[i]:R} (scale {magnitude:R})");
        }
    }

    /// <summary>Same shape, dtype and bytes (torch's <c>equal</c> in TorchSharp is elementwise).</summary>
    public static bool SameBits(Tensor a, Tensor b)
    {
        using var x = a.contiguous();
        using var y = b.contiguous();
        return a.dtype == b.dtype && a.shape.SequenceEqual(b.shape) && x.bytes.SequenceEqual(y.bytes);
    }

    public static double[] Doubles(Tensor tensor)
    {
        using var values = tensor.detach().to_type(ScalarType.Float64).contiguous();
        return values.data<double>().ToArray();
    }

    /// <summary>Runs <paramref name="body"/> with libtorch's thread count set, restoring the previous count.</summary>
    public static TResult WithThreads<TResult>(int threads, Func<TResult> body)
    {
        var before = torch.get_num_threads();
        torch.set_num_threads(threads);
        try
        {
            return body();
        }
        finally
        {
            torch.set_num_threads(before);
        }
    }

    /// <summary>Whether <paramref name="call"/> went through a sweep (rather than the ATen fallback).</summary>
    public static TResult Counting<TResult>(Func<TResult> call, out bool swept)
    {
        var before = FusedOps.SweepsTaken;
        var result = call();
        swept = FusedOps.SweepsTaken == before + 1;
        return result;
    }

    /// <summary>The number of live tensors once the finalizer has run for anything other code dropped.</summary>
    public static long LiveTensors()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return Tensor.TotalCount;
    }
}
