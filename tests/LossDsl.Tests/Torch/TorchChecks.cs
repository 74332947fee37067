using System;
using System.Linq;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace LossDsl.Tests.Torch;

/// <summary>
/// The equivalence checks of a fused TorchSharp loss against its eager TorchSharp version and the CPU back end,
/// shared by <see cref="TorchBackendTests"/> (whatever path FusedOps takes) and <see cref="AtenPathTests"/> (each path).
/// </summary>
internal static class TorchChecks
{
    /// <summary>Small 2D or 3D inputs (B, C, *spatial): large enough for every code path, fast in a matrix of tests.</summary>
    public static long[] Shape(int rank) => rank == 2 ? new long[] { 2, 4, 7, 6 } : new long[] { 2, 4, 3, 5, 4 };

    public static ScalarType Dtype(string name) => name == "float64" ? ScalarType.Float64 : ScalarType.Float32;

    /// <summary>
    /// The fused loss associates differently from the eager one (and from the CPU back end): a few rounding errors
    /// of terms of order 1, relative 1e-7 in float32, 1e-16 in float64, with room for sums of hundreds of terms.
    /// </summary>
    public static (double Relative, double Absolute) Tolerance(ScalarType dtype) =>
        dtype == ScalarType.Float64 ? (1e-10, 1e-12) : (2e-4, 2e-5);

    public static void Close(double expected, double actual, ScalarType dtype, string what)
    {
        var (rel, abs) = Tolerance(dtype);
        Assert.True(Math.Abs(expected - actual) <= abs + (rel * Math.Abs(expected)), $"{what}: expected {expected:R}, got {actual:R}");
    }

    /// <summary>The fused value (inputs not requiring grad) is a 0-dim tensor of the inputs' dtype and device, equal to the eager and CPU values.</summary>
    public static void ValueMatches(TorchCase loss, long[] shape, ScalarType dtype, int[] idc, int seed)
    {
        using var scope = torch.NewDisposeScope();
        var inputs = loss.Inputs(shape, dtype, seed);
        var fused = loss.Fused(inputs, idc);
        var eager = loss.Eager(inputs, idc);
        Assert.Equal(0, fused.ndim);
        Assert.Equal(dtype, fused.dtype);
        Assert.Equal(inputs[0].device.type, fused.device.type);
        Close(eager.ToDouble(), fused.ToDouble(), dtype, loss.Name + " vs eager");
        Close(loss.Cpu(inputs, idc), fused.ToDouble(), dtype, loss.Name + " vs CPU");
    }

    /// <summary>
    /// With every field requiring grad, the fused loss's gradients equal eager autograd's (max error relative to the
    /// largest |gradient| of each field). <paramref name="backward"/> runs the fused backward (default: <c>backward()</c>),
    /// so that a caller can observe it.
    /// </summary>
    public static void GradientsMatch(TorchCase loss, long[] shape, ScalarType dtype, int[] idc, int seed, Action<Tensor>? backward = null)
    {
        using var scope = torch.NewDisposeScope();
        var fusedInputs = loss.Inputs(shape, dtype, seed).Select(t => t.requires_grad_(true)).ToArray();
        var eagerInputs = loss.Inputs(shape, dtype, seed).Select(t => t.requires_grad_(true)).ToArray();
        var fused = loss.Fused(fusedInputs, idc);
        (backward ?? (value => value.backward())).Invoke(fused);
        loss.Eager(eagerInputs, idc).backward();
        var (rel, _) = Tolerance(dtype);
        for (var i = 0; i < fusedInputs.Length; i++)
        {
            var expected = eagerInputs[i].grad;
            var actual = fusedInputs[i].grad;
            Assert.NotNull(actual);
            Assert.Equal(expected!.shape, actual!.shape);
            var scale = Math.Max(1e-30, expected.abs().max().ToDouble());
            var error = (expected - actual).abs().max().ToDouble();
            Assert.True(error <= rel * 10 * scale, $"{loss.Name} ∂/∂{loss.Fields[i]} (input {i}): max error {error:R} against max |g| {scale:R}");
        }
    }
}
