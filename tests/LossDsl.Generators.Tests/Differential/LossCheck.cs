using System;
using System.Collections.Generic;
using System.Linq;
using LossDsl.Cpu;
using LossDsl.Generators.Ir;
using LossDsl.Generators.Model;
using Xunit.Sdk;

namespace LossDsl.Generators.Tests.Differential;

/// <summary>How <see cref="LossCheck"/> checks one loss.</summary>
/// <param name="Float">Also run the loss in single precision (against the interpreter on the rounded inputs).</param>
/// <param name="Threads">Also check that two threads and one give the same bits on a field large enough to be split.</param>
/// <param name="Low">The smallest input value drawn.</param>
/// <param name="High">The largest input value drawn.</param>
/// <param name="Guarded">
/// For losses not built to be well conditioned (the fuzzer's): a disagreement counts only where the reference itself
/// is stable, see <see cref="IllConditionedException"/>; without it every disagreement fails.
/// </param>
/// <param name="Smooth">Whether finite differences apply; by default, whether the loss's graph has no kink.</param>
internal sealed record LossCheckOptions(bool Float, bool Threads, double Low = -1, double High = 1, bool Guarded = false, bool? Smooth = null);

/// <summary>
/// The inputs drawn for a check are ones where the loss is too sensitive to rounding for the tolerance to mean
/// anything: perturbing every input by a few dozen ulps moves the interpreter's own value (or the compared gradient
/// element, or the finite-difference estimate) by more than a tenth of the tolerance. Only thrown when guarded.
/// </summary>
internal sealed class IllConditionedException(string message) : Exception(message);

/// <summary>
/// All the checks of one compiled loss on inputs drawn from a seed: the generated CPU code, in double (and float),
/// against the IR interpreter (value and gradients) and against central finite differences (smooth losses); the
/// value-only call and a call wanting only the first gradient must give the same bits as the full call.
/// Shared by the differential test and the fuzzer.
/// </summary>
/// <remarks>
/// Tolerances. Double: the generated code and the interpreter evaluate the same graph in different summation orders
/// (vector lanes, work items) and the generated exp/log differ from Math's by an ulp, so values agree to about
/// N·ε relative to the sizes of the summed terms; 1e-9 relative to (1 + |L|) is above that for fields of at most a
/// few thousand elements, and a wrong operation (a missing term, a wrong class, a wrong broadcast) is off by far more.
/// Gradients are compared element by element to 1e-9 of the largest element of the reference gradient (plus 1e-13),
/// except where the loss is NaN: both must then give NaN, and the gradient of a NaN loss is unspecified (at a NaN
/// input the CPU's comparison masks propagate NaN, the interpreter's and TorchSharp's give 0, as PyTorch's do).
/// Float: the same graph in single precision (ε = 6e-8, the library's exp within 2 ulp): 2e-3 relative. Finite
/// differences: the directional derivative along a random direction, central with Richardson extrapolation
/// (h = 1e-3, truncation O(h⁴)), to 1e-5 relative.
/// </remarks>
internal sealed class LossCheck
{
    private readonly CompiledLoss loss;
    private readonly int seed;
    private readonly LossCheckOptions options;
    private readonly Random random;

    public LossCheck(CompiledLoss loss, int seed, LossCheckOptions options)
    {
        this.loss = loss;
        this.seed = seed;
        this.options = options;
        random = new Random(seed * 7919);
    }

    private int FieldCount => loss.Fields.Count;

    public void Run()
    {
        var threeD = random.Next(3) == 0;
        var shape = threeD
            ? new[] { 1 + random.Next(2), 2 + random.Next(3), 2 + random.Next(4), 3 + random.Next(4), 3 + random.Next(5) }
            : new[] { 1 + random.Next(3), 2 + random.Next(3), 3 + random.Next(9), 3 + random.Next(13) };
        var lists = loss.Others.Where(p => p.Kind == ParameterKind.ClassList)
            .ToDictionary(p => p.Name, _ => Enumerable.Range(0, 1 + random.Next(shape[1])).Select(_ => random.Next(shape[1])).ToArray());
        var fields = Enumerable.Range(0, FieldCount).Select(_ => Enumerable.Range(0, shape.Aggregate(1, (a, b) => a * b)).Select(_ => Draw()).ToArray()).ToArray();
        var arguments = new LossArguments(
            loss.Others.Where(p => p.Kind is not ParameterKind.ClassList).ToDictionary(p => p.Name, CompiledLoss.HyperValue),
            lists);
        CheckDouble(shape, fields, arguments);
        if (options.Float)
        {
            CheckFloat(shape, fields, arguments);
        }

        if (options.Threads)
        {
            CheckThreads(arguments);
        }
    }

    private double Draw() => options.Low + (random.NextDouble() * (options.High - options.Low));

    private void CheckDouble(int[] shape, double[][] data, LossArguments arguments)
    {
        var (value, gradients) = Reference(shape, data, arguments);
        var fields = data.Select(d => new FieldArray<double>(d, shape)).ToArray();
        var computed = fields.Select(f => f.ZerosLike()).ToArray();
        var result = loss.Gradient(fields, computed, arguments);
        var guard = new Guard(this, shape, data, arguments, 1e-14, isFloat: false);
        Near("the double loss", result, value, 1e-9, guard);
        for (var f = 0; f < fields.Length && !double.IsNaN(value); f++)
        {
            NearElements($"∂L/∂{loss.Fields[f].Name} (double)", computed[f].Data, gradients[f], 1e-9, value, guard, f, noise: null);
        }

        var valueOnly = loss.Value(fields, arguments);
        Same("the value-only call", valueOnly, result);
        if (fields.Length > 0)
        {
            var first = fields[0].ZerosLike();
            var onlyFirst = loss.Gradient(fields, new[] { first }.Concat(fields.Skip(1).Select(_ => (FieldArray<double>?)null)).ToArray(), arguments);
            Same("the value with one gradient wanted", onlyFirst, result);
            for (var i = 0; i < first.Data.Length; i++)
            {
                Same($"∂L/∂{loss.Fields[0].Name}[{i}] with one gradient wanted", first.Data[i], computed[0].Data[i]);
            }
        }

        if ((options.Smooth ?? loss.Smooth) && double.IsFinite(value))
        {
            CheckFiniteDifference(shape, data, arguments, gradients, value);
        }
    }

    private void CheckFloat(int[] shape, double[][] data, LossArguments arguments)
    {
        var rounded = data.Select(d => d.Select(v => (double)(float)v).ToArray()).ToArray();
        var (value, gradients) = Reference(shape, rounded, arguments);
        var fields = rounded.Select(d => new FieldArray<float>(d.Select(v => (float)v).ToArray(), shape)).ToArray();
        var computed = fields.Select(f => f.ZerosLike()).ToArray();
        var result = loss.Gradient(fields, computed, arguments);
        if (options.Guarded && double.IsFinite(value) && !float.IsFinite(result))
        {
            // Float's range ends at 3.4e38: a value or an intermediate beyond it is infinite in float, not in double.
            throw new IllConditionedException($"the float loss is {result}, the double interpreter {value:R}: beyond float's range");
        }

        // Rounding in float is about 1e-7 relative: a few ulps of float is what the inputs are perturbed by.
        var guard = new Guard(this, shape, rounded, arguments, 3e-7, isFloat: true);
        Near("the float loss", result, value, 2e-3, guard);
        var actual = computed.Select(g => g.Data.Select(v => (double)v).ToArray()).ToArray();
        double[]? noise = null; // Measured on the first disagreement only: it runs the loss twice more.
        for (var f = 0; f < fields.Length && !double.IsNaN(value); f++)
        {
            // Unguarded (the differential test's well-conditioned losses), every disagreement fails.
            NearElements($"∂L/∂{loss.Fields[f].Name} (float)", actual[f], gradients[f], 2e-3, value, guard, f,
                options.Guarded ? field => (noise ??= FloatNoise(shape, rounded, arguments, actual, gradients))[field] : null);
        }
    }

    /// <summary>
    /// The round-off of the float gradient, measured: the error e = float − double reference, per element, is
    /// compared with the same error after every input is moved by about 16 ulps of float (1e-6 relative, rounded
    /// to float), twice; the noise of a field is 4 × the largest change of e. Round-off changes erratically with
    /// the inputs' last bits, so a gradient that is ~0 because its terms cancel (a loss constant in a field, e.g.
    /// Σ_c softmax = 1) jitters by the rounding of those terms, however small the reference gradient is; a wrong
    /// rule (a wrong factor, a missing or extra term) gives an error that moves with the inputs as smoothly as the
    /// gradient does, so it hardly changes over 1e-6 and stays caught (see GradientCheckTests).
    /// </summary>
    private double[] FloatNoise(int[] shape, double[][] rounded, LossArguments arguments, double[][] actual, double[][] reference)
    {
        var noise = new double[FieldCount];
        var perturbation = new Random(seed ^ 0x5eed);
        for (var round = 0; round < 2; round++)
        {
            var moved = rounded.Select(d => d.Select(v => (double)(float)(v * (1 + (1e-6 * ((perturbation.NextDouble() * 2) - 1))))).ToArray()).ToArray();
            var (_, movedReference) = Reference(shape, moved, arguments);
            var fields = moved.Select(d => new FieldArray<float>(d.Select(v => (float)v).ToArray(), shape)).ToArray();
            var movedActual = fields.Select(f => f.ZerosLike()).ToArray();
            loss.Gradient(fields, movedActual, arguments);
            for (var f = 0; f < FieldCount; f++)
            {
                for (var i = 0; i < actual[f].Length; i++)
                {
                    var change = (movedActual[f].Data[i] - movedReference[f][i]) - (actual[f][i] - reference[f][i]);
                    noise[f] = double.IsFinite(change) ? Math.Max(noise[f], 4 * Math.Abs(change)) : noise[f];
                }
            }
        }

        return noise;
    }

    /// <summary>Two threads and one give the same bits on a field big enough to be split.</summary>
    private void CheckThreads(LossArguments arguments)
    {
        var classes = Math.Max(2, arguments.ClassLists.Values.SelectMany(l => l).DefaultIfEmpty(0).Max() + 1);
        var shape = new[] { 2, classes, 101, 113 };
        var data = Enumerable.Range(0, FieldCount).Select(_ => Enumerable.Range(0, shape.Aggregate(1, (a, b) => a * b)).Select(_ => Draw()).ToArray()).ToArray();
        var fields = data.Select(d => new FieldArray<double>(d, shape)).ToArray();
        var previous = CpuBackend.MaxDegreeOfParallelism;
        try
        {
            CpuBackend.MaxDegreeOfParallelism = 1;
            var one = fields.Select(f => f.ZerosLike()).ToArray();
            var valueOne = loss.Gradient(fields, one, arguments);
            CpuBackend.MaxDegreeOfParallelism = 2;
            var two = fields.Select(f => f.ZerosLike()).ToArray();
            var valueTwo = loss.Gradient(fields, two, arguments);
            Same("the loss on 2 threads", valueTwo, valueOne);
            for (var f = 0; f < fields.Length; f++)
            {
                for (var i = 0; i < one[f].Data.Length; i++)
                {
                    Same($"∂L/∂{loss.Fields[f].Name}[{i}] on 2 threads", two[f].Data[i], one[f].Data[i]);
                }
            }

            var (value, _) = Reference(shape, data, arguments);
            Near("the double loss on a large field", valueOne, value, 1e-8, new Guard(this, shape, data, arguments, 1e-14, isFloat: false));
        }
        finally
        {
            CpuBackend.MaxDegreeOfParallelism = previous;
        }
    }

    private void CheckFiniteDifference(int[] shape, double[][] data, LossArguments arguments, double[][] gradients, double value)
    {
        var direction = data.Select(d => d.Select(_ => (random.NextDouble() * 2) - 1).ToArray()).ToArray();
        var analytic = 0.0;
        for (var f = 0; f < data.Length; f++)
        {
            for (var i = 0; i < data[f].Length; i++)
            {
                analytic += gradients[f][i] * direction[f][i];
            }
        }

        double At(double step) => Reference(shape, data.Select((d, f) => d.Select((v, i) => v + (step * direction[f][i])).ToArray()).ToArray(), arguments, withGradients: false).Value;
        double Central(double step) => (At(step) - At(-step)) / (2 * step);
        double Richardson(double step) => ((4 * Central(step / 2)) - Central(step)) / 3;
        var numeric = Richardson(1e-3);
        var tolerance = (1e-5 * Math.Max(Math.Abs(analytic), Math.Abs(numeric))) + (1e-8 * (1 + Math.Abs(value)));
        if (!(Math.Abs(analytic - numeric) <= tolerance))
        {
            if (options.Guarded)
            {
                // Finite differences mean something only where the loss is smooth at the step's scale: the estimate
                // with half the step must agree with this one.
                var finer = Richardson(5e-4);
                if (!(Math.Abs(finer - numeric) <= tolerance / 10))
                {
                    throw new IllConditionedException($"finite differences do not settle: {numeric:R} with h = 1e-3, {finer:R} with h = 5e-4");
                }
            }

            throw new XunitException($"the directional derivative is {analytic:R}, finite differences give {numeric:R}");
        }
    }

    /// <summary>The loss and its gradients by the interpreter, in double, from the loss's model.</summary>
    private (double Value, double[][] Gradients) Reference(int[] shape, double[][] data, LossArguments arguments, bool withGradients = true, bool floatIntermediates = false)
    {
        var model = loss.Model;
        var (b, c) = (shape[0], shape[1]);
        var s = shape.Skip(2).Aggregate(1, (x, y) => x * y);
        var interpreter = Interpret(shape, data, arguments, floatIntermediates);
        var value = interpreter.Scalar(model.Result);
        var gradients = withGradients
            ? model.Gradients.Select(g => g < 0 ? new double[b * c * s] : interpreter.Evaluate(g).ToField(b, c, s)).ToArray()
            : Array.Empty<double[]>();
        return (value, gradients);
    }

    /// <summary>An interpreter of the loss's graph (forward and backward nodes) on these inputs.</summary>
    private Interpreter Interpret(int[] shape, double[][] data, LossArguments arguments, bool floatIntermediates = false)
    {
        var (b, c) = (shape[0], shape[1]);
        var s = shape.Skip(2).Aggregate(1, (x, y) => x * y);
        var fields = data.Select((d, f) => (loss.Fields[f].Name, Data: new FieldData(d, b, c, s))).ToDictionary(p => p.Name, p => p.Data);
        return new Interpreter(loss.Model.Graph, fields, arguments.Hypers, arguments.ClassLists, (b, c, s), floatIntermediates);
    }

    private void Near(string what, double actual, double expected, double relative, Guard guard)
    {
        var tolerance = relative * (1 + Math.Abs(expected));
        if (!Agrees(actual, expected, tolerance))
        {
            guard.BeyondFloat(what, actual, expected, loss.Model.Result);
            guard.AtDomainEdge(what, actual, expected);
            guard.Check(what, tolerance, r => r.Value);
            throw new XunitException($"{what} is {actual:R}, the interpreter gives {expected:R}");
        }
    }

    /// <summary>
    /// Element by element, relative to the largest element, with a floor of 1e-3·relative·(1 + |L|); where that
    /// fails and <paramref name="noise"/> is given (float, guarded), the measured round-off of the field's gradient is allowed
    /// too: a gradient that is 0 because the loss is constant in the field comes out of the generated code as a − a,
    /// and its error is the rounding of a, however small the reference gradient is (see <see cref="FloatNoise"/>).
    /// </summary>
    private void NearElements(string what, double[] actual, double[] expected, double relative, double value, Guard guard, int field, Func<int, double>? noise)
    {
        var scale = expected.Where(double.IsFinite).Select(Math.Abs).DefaultIfEmpty(0).Max();
        var floor = double.IsFinite(value) ? 1e-3 * (1 + Math.Abs(value)) : 1e-3;
        var tolerance = relative * Math.Max(scale, floor);
        var roundOff = 0.0;
        for (var i = 0; i < expected.Length; i++)
        {
            if (Agrees(actual[i], expected[i], tolerance))
            {
                continue;
            }

            var root = loss.Model.Gradients[field];
            roundOff = noise?.Invoke(field) ?? 0;
            if (Agrees(actual[i], expected[i], tolerance + roundOff))
            {
                continue;
            }

            if (noise is not null && guard.VanishingGradientRoundOff(scale, root) is { } vanishing && Agrees(actual[i], expected[i], tolerance + vanishing))
            {
                continue;
            }

            var element = i;
            guard.BeyondFloat($"{what}[{i}]", actual[i], expected[i], root);
            guard.AtDomainEdge($"{what}[{i}]", actual[i], expected[i]);
            guard.Check($"{what}[{i}]", tolerance + roundOff, r => r.Gradients[field][element]);
            throw new XunitException($"{what}[{i}] is {actual[i]:R}, the interpreter gives {expected[i]:R} (largest element {scale:R}, round-off allowed {roundOff:G3})");
        }
    }

    /// <summary>
    /// Float's largest value (3.4e38) divided by 1e4: the generated code forms sums of up to a few thousand terms and
    /// products in another order than the graph's nodes, so an intermediate within a factor 1e4 of the range can
    /// overflow in float even where no node of the graph does.
    /// </summary>
    private const double NearFloatRange = float.MaxValue / 1e4;

    private static bool Agrees(double actual, double expected, double tolerance) =>
        double.IsNaN(expected) ? double.IsNaN(actual)
        : double.IsInfinity(expected) ? actual == expected
        : Math.Abs(actual - expected) <= tolerance;

    private static void Same<T>(string what, T actual, T expected)
        where T : IEquatable<T>
    {
        if (!actual.Equals(expected))
        {
            throw new XunitException($"{what} is {actual}, not the same bits as {expected}");
        }
    }

    /// <summary>
    /// Decides, when a guarded check disagrees, whether the inputs are ill-conditioned: the interpreter is run on the
    /// inputs perturbed by <c>relative</c> (a few dozen ulps in double, a few in float) twice; if the compared
    /// quantity moves by more than a tenth of the tolerance (or changes between finite and not), rounding alone can
    /// explain the disagreement and the draw does not count. In float the interpreter also runs with every
    /// intermediate rounded to float, which shows cancellations between intermediates that moving the inputs does not.
    /// </summary>
    private sealed class Guard(LossCheck check, int[] shape, double[][] data, LossArguments arguments, double relative, bool isFloat)
    {
        /// <summary>
        /// In float, a disagreement where the double evaluation of the nodes <paramref name="root"/> depends on has a
        /// value at or beyond <see cref="NearFloatRange"/> is float's overflow (∞, then ∞ − ∞ = NaN where double gives
        /// a finite or infinite value), not a wrong rule: the draw is ill-conditioned for float. Without such a value a
        /// NaN or ∞ in float against anything else in double still fails.
        /// </summary>
        public void BeyondFloat(string what, double actual, double expected, int root)
        {
            if (!check.options.Guarded || !isFloat || root < 0)
            {
                return;
            }

            var largest = IntermediateMagnitudes.Largest(check.loss.Model.Graph, check.Interpret(shape, data, arguments), root);
            if (largest >= NearFloatRange)
            {
                throw new IllConditionedException($"{what} is {actual:R} in float, {expected:R} in double, with an intermediate of {largest:G3}: beyond float's range");
            }
        }

        /// <summary>
        /// NaN on one side only, where the interpreter takes the square root or logarithm of a negative value within
        /// round-off of 0 (1e-9 in double, 1e-5 in float, of the largest value it is computed from): the exact value is
        /// 0 (sqrt(mean(mean(p) − p))) and the sign of its rounding, which summation order decides, makes the NaN.
        /// Ill-conditioned, not a wrong rule.
        /// </summary>
        public void AtDomainEdge(string what, double actual, double expected)
        {
            if (!check.options.Guarded || double.IsNaN(actual) == double.IsNaN(expected))
            {
                return;
            }

            var graph = check.loss.Model.Graph;
            var interpreter = check.Interpret(shape, data, arguments);
            foreach (var node in graph.Nodes.Where(n => n.Op is Op.Sqrt or Op.Log))
            {
                var argument = node.Args[0];
                var edge = (isFloat ? 1e-5 : 1e-9) * (1 + IntermediateMagnitudes.Largest(graph, interpreter, argument));
                if (interpreter.Evaluate(argument).Data.Any(v => v < 0 && -v <= edge))
                {
                    throw new IllConditionedException($"{what} is {actual:R}, the interpreter gives {expected:R}: {node.Op} of a negative value within round-off of 0");
                }
            }
        }

        /// <summary>
        /// In float, a field's gradient that the double interpreter gives at double's round-off of the values it is
        /// computed from (largest element ≤ 1e-10 of the largest of them) is zero in exact arithmetic: the generated
        /// code computes it as a − a (Σ_c softmax − 1, F(p) − F(p)…), and in float its error is the rounding of a,
        /// part of it smooth in the inputs (the vector exponential's approximation) so that <see cref="FloatNoise"/>,
        /// which measures how the error jitters, can miss it. The allowance returned is 1e-5 (≈ 100 ulps of float) of
        /// that largest value; a wrong rule makes such a gradient as large as its terms, far above it. Null when the
        /// gradient does not vanish.
        /// </summary>
        public double? VanishingGradientRoundOff(double scale, int root)
        {
            if (!check.options.Guarded || !isFloat || root < 0)
            {
                return null;
            }

            var largest = IntermediateMagnitudes.Largest(check.loss.Model.Graph, check.Interpret(shape, data, arguments), root);
            return scale <= 1e-10 * (1 + largest) ? 1e-5 * (1 + largest) : null;
        }

        public void Check(string what, double tolerance, Func<(double Value, double[][] Gradients), double> quantity)
        {
            if (!check.options.Guarded)
            {
                return;
            }

            var reference = quantity(check.Reference(shape, data, arguments));
            if (isFloat)
            {
                // Moving the inputs does not show a cancellation between intermediates (1 − q^1e-5 with q near 1):
                // rounding every intermediate to float does.
                var rounded = quantity(check.Reference(shape, data, arguments, floatIntermediates: true));
                if (double.IsFinite(reference) != double.IsFinite(rounded) || Math.Abs(rounded - reference) > tolerance / 10)
                {
                    throw new IllConditionedException($"{what}: the interpreter gives {reference:R}, and {rounded:R} with every intermediate rounded to float");
                }
            }

            var perturbation = new Random(check.seed);
            for (var round = 0; round < 2; round++)
            {
                var moved = data.Select(d => d.Select(v => v * (1 + (relative * ((perturbation.NextDouble() * 2) - 1)))).ToArray()).ToArray();
                var other = quantity(check.Reference(shape, moved, arguments));
                if (double.IsFinite(reference) != double.IsFinite(other) || Math.Abs(other - reference) > tolerance / 10)
                {
                    throw new IllConditionedException($"{what}: the interpreter gives {reference:R}, and {other:R} with inputs moved by {relative:G2} relative");
                }
            }
        }
    }
}
