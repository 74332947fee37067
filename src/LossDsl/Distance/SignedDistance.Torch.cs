using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace LossDsl.Distance;

public static partial class SignedDistance
{
    /// <summary>
    /// TorchSharp: one-hot <c>(B, K, *S)</c> (any numeric or bool dtype, any device) → signed maps <c>(B, K, *S)</c>
    /// of <paramref name="dtype"/> (float32 or float64) on the same device. The maps are computed on the CPU (exact
    /// EDT); only the input and the result cross devices.
    /// </summary>
    /// <param name="oneHot">The one-hot ground truth.</param>
    /// <param name="spacing">One spacing per spatial axis, or null for unit spacing.</param>
    /// <param name="variant">How the inside is measured.</param>
    /// <param name="dtype">The output element type: <see cref="ScalarType.Float32"/> or <see cref="ScalarType.Float64"/>.</param>
    /// <exception cref="ArgumentException">Bad shape, spacing or dtype, or the input is not one-hot (the message says where).</exception>
    public static Tensor FromOneHot(Tensor oneHot, double[]? spacing = null, SignedDistanceVariant variant = SignedDistanceVariant.Reference, ScalarType dtype = ScalarType.Float32)
    {
        ArgumentNullException.ThrowIfNull(oneHot);
        CheckFloat(dtype);
        int[] shape = oneHot.shape.Select(d => checked((int)d)).ToArray();
        if (shape.Length < 3)
            throw new ArgumentException($"A one-hot input is (B, K, *spatial) with at least one spatial axis; got shape ({Checks.Show(shape)}).", nameof(oneHot));
        byte[] bytes = ToBytes(oneHot, nameof(oneHot));
        return Compute(shape, spacing, dtype, oneHot.device, (f, d) =>
        {
            if (f is not null) FromOneHot(bytes, shape, spacing, f, variant);
            else FromOneHot(bytes, shape, spacing, d!, variant);
        });
    }

    /// <summary>
    /// TorchSharp: class-index labels <c>(B, *S)</c> (integer or bool dtype, any device) → signed maps
    /// <c>(B, K, *S)</c> of <paramref name="dtype"/> on the same device.
    /// </summary>
    /// <param name="labels">The labels, values in 0…K−1.</param>
    /// <param name="numClasses">K.</param>
    /// <param name="spacing">One spacing per spatial axis, or null for unit spacing.</param>
    /// <param name="variant">How the inside is measured.</param>
    /// <param name="dtype">The output element type: float32 or float64.</param>
    /// <exception cref="ArgumentException">Bad shape, spacing or dtype, or a label outside 0…K−1 (the message says where).</exception>
    public static Tensor FromLabels(Tensor labels, int numClasses, double[]? spacing = null, SignedDistanceVariant variant = SignedDistanceVariant.Reference, ScalarType dtype = ScalarType.Float32)
    {
        ArgumentNullException.ThrowIfNull(labels);
        CheckFloat(dtype);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numClasses);
        if (labels.is_floating_point() || labels.is_complex())
            throw new ArgumentException($"Labels must be an integer or bool tensor; got {labels.dtype}. Use FromOneHot for one-hot input.", nameof(labels));
        int[] shape = labels.shape.Select(d => checked((int)d)).ToArray();
        if (shape.Length < 2)
            throw new ArgumentException($"Labels are (B, *spatial) with at least one spatial axis; got shape ({Checks.Show(shape)}).", nameof(labels));
        int[] values;
        using (var cpu = labels.to(CPU).to_type(ScalarType.Int32).contiguous())
            values = cpu.data<int>().ToArray();
        int[] outShape = [shape[0], numClasses, .. shape[1..]];
        return Compute(outShape, spacing, dtype, labels.device, (f, d) =>
        {
            if (f is not null) FromLabels(values, shape, numClasses, spacing, f, variant);
            else FromLabels(values, shape, numClasses, spacing, d!, variant);
        });
    }

    private static void CheckFloat(ScalarType dtype)
    {
        if (dtype is not (ScalarType.Float32 or ScalarType.Float64))
            throw new ArgumentException($"Distance maps are float32 or float64, not {dtype}.", nameof(dtype));
    }

    /// <summary>Copies a 0/1 tensor to bytes, refusing values other than 0 and 1 (which a byte cast would hide).</summary>
    internal static byte[] ToBytes(Tensor t, string name)
    {
        using var scope = NewDisposeScope();
        var cpu = t.to(CPU).contiguous();
        if (cpu.dtype != ScalarType.Bool)
        {
            var bad = cpu.ne(0).logical_and(cpu.ne(1));
            if (bad.any().item<bool>())
            {
                long flat = bad.flatten().nonzero()[0, 0].item<long>();
                double value = cpu.flatten()[flat].to_type(ScalarType.Float64).item<double>();
                long[] dims = t.shape;
                var at = new long[dims.Length];
                for (int i = dims.Length - 1; i >= 0; i--) { at[i] = flat % dims[i]; flat /= dims[i]; }
                throw new ArgumentException($"Not one-hot: value {value} at batch item {at[0]}, class {at[1]}, position ({string.Join(", ", at.Skip(2))}); expected 0 or 1.", name);
            }
        }
        return cpu.to_type(ScalarType.Byte).data<byte>().ToArray();
    }

    private static Tensor Compute(int[] shape, double[]? spacing, ScalarType dtype, Device device, Action<float[]?, double[]?> fill)
    {
        long n = shape.Aggregate(1L, (a, b) => a * b);
        long[] dims = shape.Select(d => (long)d).ToArray();
        Tensor cpu;
        if (dtype == ScalarType.Float32)
        {
            var data = new float[n];
            fill(data, null);
            cpu = tensor(data, dims);
        }
        else
        {
            var data = new double[n];
            fill(null, data);
            cpu = tensor(data, dims);
        }
        if (device.type == DeviceType.CPU) return cpu;
        using (cpu)
            return cpu.to(device);
    }
}
