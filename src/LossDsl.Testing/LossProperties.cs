using System;
using System.Globalization;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using static TorchSharp.torch;

namespace LossDsl.Testing;

/// <summary>
/// Reusable FsCheck properties of a loss. Each quantifies over generated <see cref="SegmentationSample"/>s (which
/// shrink to small batches on failure) and reports the first violation with the numbers involved. Return them from an
/// FsCheck.Xunit <c>[Property]</c> method, or run them with <see cref="LossCheck"/>.
/// </summary>
/// <example>
/// <code>
/// [Property] public Property Boundary_gradient() => LossProperties.GradientMatchesFiniteDifferences(MyLosses.BoundaryUnderTest);
/// </code>
/// </example>
public static class LossProperties
{
    /// <summary>
    /// CPU equals TorchSharp: the CPU value equals the TorchSharp value (float64), and, when the loss has a CPU
    /// gradient, TorchSharp's autograd gradient of every differentiated field equals the CPU gradient, within
    /// <paramref name="tolerance"/> (relative to max(1, |L|), and to the largest gradient entry of the field).
    /// </summary>
    /// <exception cref="ArgumentException">The loss has no TorchSharp form.</exception>
    public static Property CpuMatchesTorch(LossUnderTest loss, SampleOptions? options = null, double tolerance = 1e-9)
    {
        ArgumentNullException.ThrowIfNull(loss);
        if (loss.Torch is null)
            throw new ArgumentException($"{loss.Name}: CpuMatchesTorch needs the loss's TorchSharp form ({nameof(LossUnderTest.Torch)}).", nameof(loss));
        return ForAll(options, sample =>
        {
            var shape = sample.Shape.Dims;
            var fields = sample.Fields(loss.Roles);
            double cpu = loss.Value(fields, shape);
            var differentiated = loss.Gradient is null ? [] : loss.DifferentiatedFields;
            using var scope = NewDisposeScope();
            var tensors = fields.Select((f, i) => tensor(f, shape.Select(n => (long)n).ToArray(), ScalarType.Float64, requires_grad: differentiated.Contains(i))).ToArray();
            var value = loss.Torch!(tensors);
            double torchValue = value.to_type(ScalarType.Float64).item<double>();
            if (!Close(cpu, torchValue, tolerance))
                Fail(loss, $"CPU value {Show(cpu)} but TorchSharp gives {Show(torchValue)} (difference {Show(cpu - torchValue)}, tolerance {tolerance:G3} relative)");
            if (differentiated.Length == 0) return;
            value.backward();
            var grads = Zeros(fields);
            loss.Gradient!(fields, shape, grads);
            foreach (int i in differentiated)
            {
                var torchGrad = tensors[i].grad!.to_type(ScalarType.Float64).data<double>().ToArray();
                double scale = Scale(grads[i]);
                for (int j = 0; j < torchGrad.Length; j++)
                {
                    if (!(Math.Abs(grads[i][j] - torchGrad[j]) <= tolerance * scale) && !(double.IsNaN(grads[i][j]) && double.IsNaN(torchGrad[j])))
                        Fail(loss, $"∂L/∂{loss.Roles[i]} at {Position(sample.Shape, j)}: CPU {Show(grads[i][j])} but TorchSharp autograd gives {Show(torchGrad[j])} (tolerance {tolerance:G3} × largest entry {Show(scale)})");
                }
            }
        });
    }

    /// <summary>
    /// Gradient equals finite differences: at up to <paramref name="coordinates"/> coordinates of every differentiated
    /// field (always including the largest gradient entry), the CPU gradient equals a Richardson-extrapolated central
    /// difference of the CPU value (error O(h⁴)), within <paramref name="tolerance"/> relative to the entry plus the
    /// field's largest entry; and the value the gradient delegate returns equals the value delegate. Draws smooth
    /// predictions (<see cref="SampleOptions.Smooth"/>) unless told otherwise, so that no step leaves the domain.
    /// </summary>
    /// <exception cref="ArgumentException">The loss has no CPU gradient.</exception>
    public static Property GradientMatchesFiniteDifferences(LossUnderTest loss, SampleOptions? options = null, double tolerance = 1e-6, int coordinates = 8)
    {
        ArgumentNullException.ThrowIfNull(loss);
        if (loss.Gradient is null)
            throw new ArgumentException($"{loss.Name}: GradientMatchesFiniteDifferences needs the loss's CPU gradient ({nameof(LossUnderTest.Gradient)}).", nameof(loss));
        ArgumentOutOfRangeException.ThrowIfLessThan(coordinates, 1);
        return ForAll(options ?? SampleOptions.Smooth, sample =>
        {
            var shape = sample.Shape.Dims;
            var fields = sample.Fields(loss.Roles);
            double value = loss.Value(fields, shape);
            var grads = Zeros(fields);
            double gradientValue = loss.Gradient!(fields, shape, grads);
            if (!Close(value, gradientValue, 1e-12))
                Fail(loss, $"the gradient delegate returns the value {Show(gradientValue)} but the value delegate gives {Show(value)}");
            foreach (int i in loss.DifferentiatedFields)
            {
                var g = grads[i];
                double scale = Scale(g);
                foreach (int j in Coordinates(g, coordinates))
                {
                    double x = fields[i][j];
                    double h = 1e-3 * Math.Max(Math.Abs(x), 1e-3);
                    double Central(double step)
                    {
                        fields[i][j] = x + step;
                        double up = loss.Value(fields, shape);
                        fields[i][j] = x - step;
                        double down = loss.Value(fields, shape);
                        fields[i][j] = x;
                        return (up - down) / (2 * step);
                    }

                    double coarse = Central(h), fine = Central(h / 2);
                    double fd = ((4 * fine) - coarse) / 3;
                    double allowed = (tolerance * (Math.Abs(g[j]) + scale)) + (1e3 * 2.2e-16 * Math.Max(1, Math.Abs(value)) / h);
                    if (!(Math.Abs(fd - g[j]) <= allowed))
                        Fail(loss, $"∂L/∂{loss.Roles[i]} at {Position(sample.Shape, j)} (value {Show(x)}): CPU gradient {Show(g[j])} but finite differences give {Show(fd)} (difference {Show(g[j] - fd)}, allowed {Show(allowed)})");
                }
            }
        });
    }

    /// <summary>
    /// Minimum at the ground truth: for every generated prediction p on the simplex, L(p, …) ≥ L(y, …) − tolerance ·
    /// max(1, |L(y)|), where every <see cref="FieldRole.Probabilities"/> field is replaced by the one-hot target y and the
    /// other fields (target, distance maps) stay those of the same ground truth.
    /// </summary>
    /// <exception cref="ArgumentException">The loss has no <see cref="FieldRole.Probabilities"/> field.</exception>
    public static Property MinimumAtGroundTruth(LossUnderTest loss, SampleOptions? options = null, double tolerance = 1e-9)
    {
        ArgumentNullException.ThrowIfNull(loss);
        if (!loss.Roles.Contains(FieldRole.Probabilities))
            throw new ArgumentException($"{loss.Name}: MinimumAtGroundTruth needs a field with role {nameof(FieldRole.Probabilities)} (for logits the minimum is not attained).", nameof(loss));
        return ForAll(options, sample =>
        {
            var shape = sample.Shape.Dims;
            double atPrediction = loss.Value(sample.Fields(loss.Roles), shape);
            var truthRoles = loss.Roles.Select(r => r == FieldRole.Probabilities ? FieldRole.Target : r).ToArray();
            double atTruth = loss.Value(sample.Fields(truthRoles), shape);
            if (!(atPrediction >= atTruth - (tolerance * Math.Max(1, Math.Abs(atTruth)))))
                Fail(loss, $"L(p) = {Show(atPrediction)} is below L(y) = {Show(atTruth)} at the ground truth (by {Show(atTruth - atPrediction)})");
        });
    }

    /// <summary>
    /// Invariance under batch permutation: reversing the batch, and rotating it by one image, leaves the value unchanged
    /// and permutes the CPU gradient (when there is one) the same way, within <paramref name="tolerance"/>. Draws
    /// batches of at least two images unless told otherwise.
    /// </summary>
    public static Property BatchPermutationInvariant(LossUnderTest loss, SampleOptions? options = null, double tolerance = 1e-9)
    {
        ArgumentNullException.ThrowIfNull(loss);
        var o = options ?? SampleOptions.Default.WithBatch(2, Math.Max(3, SampleOptions.Default.MaxBatch));
        return ForAll(o, sample =>
        {
            int batch = sample.Shape.Batch;
            var shape = sample.Shape.Dims;
            var fields = sample.Fields(loss.Roles);
            double value = loss.Value(fields, shape);
            var grads = Zeros(fields);
            loss.Gradient?.Invoke(fields, shape, grads);
            int[][] orders = [Enumerable.Range(0, batch).Reverse().ToArray(), Enumerable.Range(0, batch).Select(b => (b + 1) % batch).ToArray()];
            foreach (var order in orders)
            {
                var permuted = fields.Select(f => SegmentationSample.PermuteBatch(f, sample.Shape, order)).ToArray();
                double permutedValue = loss.Value(permuted, shape);
                string which = $"batch order [{string.Join(", ", order)}]";
                if (!Close(value, permutedValue, tolerance))
                    Fail(loss, $"{which} changes the value from {Show(value)} to {Show(permutedValue)}");
                if (loss.Gradient is null) continue;
                var permutedGrads = Zeros(fields);
                loss.Gradient(permuted, shape, permutedGrads);
                for (int i = 0; i < fields.Length; i++)
                {
                    var expected = SegmentationSample.PermuteBatch(grads[i], sample.Shape, order);
                    double scale = Scale(expected);
                    for (int j = 0; j < expected.Length; j++)
                    {
                        if (!(Math.Abs(expected[j] - permutedGrads[i][j]) <= tolerance * scale) && !(double.IsNaN(expected[j]) && double.IsNaN(permutedGrads[i][j])))
                            Fail(loss, $"{which}: ∂L/∂{loss.Roles[i]} at {Position(sample.Shape, j)} is {Show(permutedGrads[i][j])}, not the permuted {Show(expected[j])}");
                    }
                }
            }
        });
    }

    /// <summary>
    /// Finite for extreme inputs: the CPU value, and every entry of the CPU gradient when there is one, is finite for
    /// extreme and near-one-hot predictions (exact zeros and ones included), images without any object, tiny objects
    /// and whole-image classes (<see cref="SampleOptions.Extreme"/> unless told otherwise).
    /// </summary>
    public static Property FiniteForExtremeInputs(LossUnderTest loss, SampleOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(loss);
        return ForAll(options ?? SampleOptions.Extreme, sample =>
        {
            var shape = sample.Shape.Dims;
            var fields = sample.Fields(loss.Roles);
            double value = loss.Value(fields, shape);
            if (!double.IsFinite(value))
                Fail(loss, $"the value is {Show(value)}");
            if (loss.Gradient is null) return;
            var grads = Zeros(fields);
            loss.Gradient(fields, shape, grads);
            for (int i = 0; i < grads.Length; i++)
            {
                int bad = Array.FindIndex(grads[i], v => !double.IsFinite(v));
                if (bad >= 0)
                    Fail(loss, $"∂L/∂{loss.Roles[i]} at {Position(sample.Shape, bad)} is {Show(grads[i][bad])} (field value {Show(fields[i][bad])})");
            }
        });
    }

    /// <summary>A property over samples drawn with <paramref name="options"/> (shrinking included) that fails when
    /// <paramref name="check"/> throws: the building block of the properties above, for your own checks.</summary>
    public static Property ForAll(SampleOptions? options, Action<SegmentationSample> check)
    {
        ArgumentNullException.ThrowIfNull(check);
        return Prop.ForAll(LossGen.SampleArbitrary(options), check);
    }

    /// <summary>"(b=0, c=1, x=(3, 4))" for a flat index into a field.</summary>
    public static string Position(SegmentationShape shape, int index)
    {
        ArgumentNullException.ThrowIfNull(shape);
        int plane = shape.Plane;
        int s = index % plane, c = (index / plane) % shape.Classes, b = index / plane / shape.Classes;
        var spatial = shape.Spatial;
        var at = new int[spatial.Length];
        for (int a = spatial.Length - 1; a >= 0; a--) { at[a] = s % spatial[a]; s /= spatial[a]; }
        return $"(b={b}, c={c}, x=({string.Join(", ", at)}))";
    }

    private static void Fail(LossUnderTest loss, string message) => throw new LossPropertyException($"{loss.Name}: {message}.");

    private static bool Close(double a, double b, double tolerance)
        => (double.IsNaN(a) && double.IsNaN(b)) || a == b || Math.Abs(a - b) <= tolerance * Math.Max(1, Math.Max(Math.Abs(a), Math.Abs(b)));

    private static double Scale(double[] values)
    {
        double max = 0;
        foreach (double v in values) if (double.IsFinite(v)) max = Math.Max(max, Math.Abs(v));
        return Math.Max(max, 1e-300);
    }

    private static double[][] Zeros(double[][] fields) => fields.Select(f => new double[f.Length]).ToArray();

    /// <summary>The largest entry, then evenly spread ones (deterministic, so that a shrunk case checks the same way).</summary>
    private static int[] Coordinates(double[] gradient, int count)
    {
        int largest = 0;
        for (int j = 1; j < gradient.Length; j++) if (Math.Abs(gradient[j]) > Math.Abs(gradient[largest])) largest = j;
        return new[] { largest }
            .Concat(Enumerable.Range(0, Math.Min(count, gradient.Length)).Select(k => (int)((((long)k * 7919) + (k * (long)gradient.Length / count)) % gradient.Length)))
            .Distinct().Take(count).ToArray();
    }

    private static string Show(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}

/// <summary>A violated loss property: the message names the loss, the quantity, where, and the numbers.</summary>
public sealed class LossPropertyException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LossPropertyException(string message) : base(message) { }
}
