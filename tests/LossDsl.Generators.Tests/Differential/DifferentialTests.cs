using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using LossDsl.Cpu;
using LossDsl.Generators.Ir;
using Xunit;
using Xunit.Sdk;

namespace LossDsl.Generators.Tests.Differential;

/// <summary>
/// The differential test of the compiler: random losses (<see cref="RandomLossSource"/>) compiled by the generator,
/// their generated CPU code run in float and double on 2-D and 3-D fields of odd sizes, and compared with the IR
/// interpreter (value and gradients, in double) and with central finite differences (smooth losses). Every loss is
/// also run with only its first gradient wanted and value-only (the same program must give the same bits), and
/// one loss in eight on a field large enough for two threads (the bits must not depend on the thread count).
/// 500 losses per run; <c>LOSSDSL_DIFFERENTIAL_LOSSES</c> asks for more, <c>LOSSDSL_DIFFERENTIAL_SEED</c> moves the
/// range. A failure prints the loss's source and seed.
/// </summary>
/// <remarks>
/// Tolerances. Double: the generated code and the interpreter evaluate the same graph in different summation orders
/// (vector lanes, work items) and the generated exp/log differ from Math's by an ulp, so values agree to about
/// N·ε relative to the sizes of the summed terms; 1e-9 relative to (1 + |L|) is above that for fields of at most a
/// few thousand elements, and a wrong operation (a missing term, a wrong class, a wrong broadcast) is off by far more.
/// Gradients are compared element by element to 1e-9 of the largest element of the reference gradient (plus 1e-13).
/// Float: the same graph in single precision (ε = 6e-8, the library's exp within 2 ulp): 2e-3 relative. Finite
/// differences: the directional derivative along a random direction, central with Richardson extrapolation
/// (h = 1e-3, truncation O(h⁴)), to 1e-5 relative.
/// </remarks>
public sealed class DifferentialTests
{
    private const int BatchSize = 50;

    private static int LossCount => int.TryParse(Environment.GetEnvironmentVariable("LOSSDSL_DIFFERENTIAL_LOSSES"), out var n) ? n : 500;

    private static int FirstSeed => int.TryParse(Environment.GetEnvironmentVariable("LOSSDSL_DIFFERENTIAL_SEED"), out var s) ? s : 1;

    [Fact]
    public void Random_losses_compute_what_the_interpreter_computes()
    {
        var failures = new List<string>();
        var seeds = Enumerable.Range(FirstSeed, LossCount).ToList();
        for (var start = 0; start < seeds.Count; start += BatchSize)
        {
            var losses = seeds.Skip(start).Take(BatchSize).Select(RandomLossSource.Make).ToList();
            CompiledLosses compiled;
            try
            {
                compiled = CompiledLosses.Compile(losses);
            }
            catch (XunitException e)
            {
                failures.Add($"seeds {losses[0].Seed}–{losses[^1].Seed}: {e.Message}");
                continue;
            }

            foreach (var loss in losses)
            {
                try
                {
                    new LossCheck(compiled, loss).Run();
                }
                catch (Exception e) when (e is XunitException or ArgumentException or InvalidOperationException or IndexOutOfRangeException or NullReferenceException)
                {
                    failures.Add($"seed {loss.Seed}: {e.GetType().Name}: {e.Message}\n{RandomLossSource.Helper}\n{loss.Declaration}");
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {seeds.Count} random losses failed; the first ones:\n\n" + string.Join("\n\n", failures.Take(5)));
    }

    /// <summary>All the checks of one loss, on inputs drawn from its seed.</summary>
    private sealed class LossCheck
    {
        private readonly CompiledLosses compiled;
        private readonly RandomLoss loss;
        private readonly Random random;

        public LossCheck(CompiledLosses compiled, RandomLoss loss)
        {
            this.compiled = compiled;
            this.loss = loss;
            random = new Random(loss.Seed * 7919);
        }

        public void Run()
        {
            var threeD = random.Next(3) == 0;
            var shape = threeD
                ? new[] { 1 + random.Next(2), 2 + random.Next(3), 2 + random.Next(4), 3 + random.Next(4), 3 + random.Next(5) }
                : new[] { 1 + random.Next(3), 2 + random.Next(3), 3 + random.Next(9), 3 + random.Next(13) };
            var idc = Enumerable.Range(0, 1 + random.Next(shape[1])).Select(_ => random.Next(shape[1])).ToArray();
            var fields = Enumerable.Range(0, loss.Fields).Select(_ => Enumerable.Range(0, shape.Aggregate(1, (a, b) => a * b)).Select(_ => (random.NextDouble() * 2) - 1).ToArray()).ToArray();
            CheckDouble(shape, fields, idc);
            CheckFloat(shape, fields, idc);
            if (loss.Seed % 8 == 0)
            {
                CheckThreads(idc);
            }
        }

        private void CheckDouble(int[] shape, double[][] data, int[] idc)
        {
            var (value, gradients) = Reference(shape, data, idc);
            var fields = data.Select(d => new FieldArray<double>(d, shape)).ToArray();
            var computed = fields.Select(f => f.ZerosLike()).ToArray();
            var result = compiled.Gradient(loss.Name, fields, computed, idc, 0.75);
            Near("the double loss", result, value, 1e-9);
            for (var f = 0; f < fields.Length; f++)
            {
                NearElements($"∂L/∂f{f} (double)", computed[f].Data, gradients[f], 1e-9, value);
            }

            var valueOnly = compiled.Value(loss.Name, fields, idc, 0.75);
            Same("the value-only call", valueOnly, result);
            var first = fields[0].ZerosLike();
            var onlyFirst = compiled.Gradient(loss.Name, fields, new[] { first }.Concat(fields.Skip(1).Select(_ => (FieldArray<double>?)null)).ToArray(), idc, 0.75);
            Same("the value with one gradient wanted", onlyFirst, result);
            for (var i = 0; i < first.Data.Length; i++)
            {
                Same($"∂L/∂f0[{i}] with one gradient wanted", first.Data[i], computed[0].Data[i]);
            }

            if (loss.Smooth && double.IsFinite(value))
            {
                CheckFiniteDifference(shape, data, idc, gradients, value);
            }
        }

        private void CheckFloat(int[] shape, double[][] data, int[] idc)
        {
            var rounded = data.Select(d => d.Select(v => (double)(float)v).ToArray()).ToArray();
            var (value, gradients) = Reference(shape, rounded, idc);
            var fields = rounded.Select(d => new FieldArray<float>(d.Select(v => (float)v).ToArray(), shape)).ToArray();
            var computed = fields.Select(f => f.ZerosLike()).ToArray();
            var result = compiled.Gradient(loss.Name, fields, computed, idc, 0.75);
            Near("the float loss", result, value, 2e-3);
            for (var f = 0; f < fields.Length; f++)
            {
                NearElements($"∂L/∂f{f} (float)", computed[f].Data.Select(v => (double)v).ToArray(), gradients[f], 2e-3, value);
            }
        }

        /// <summary>Two threads and one give the same bits on a field big enough to be split.</summary>
        private void CheckThreads(int[] idc)
        {
            var shape = new[] { 2, Math.Max(2, idc.Max() + 1), 101, 113 };
            var data = Enumerable.Range(0, loss.Fields).Select(_ => Enumerable.Range(0, shape.Aggregate(1, (a, b) => a * b)).Select(_ => (random.NextDouble() * 2) - 1).ToArray()).ToArray();
            var fields = data.Select(d => new FieldArray<double>(d, shape)).ToArray();
            var previous = CpuBackend.MaxDegreeOfParallelism;
            try
            {
                CpuBackend.MaxDegreeOfParallelism = 1;
                var one = fields.Select(f => f.ZerosLike()).ToArray();
                var valueOne = compiled.Gradient(loss.Name, fields, one, idc, 0.75);
                CpuBackend.MaxDegreeOfParallelism = 2;
                var two = fields.Select(f => f.ZerosLike()).ToArray();
                var valueTwo = compiled.Gradient(loss.Name, fields, two, idc, 0.75);
                Same("the loss on 2 threads", valueTwo, valueOne);
                for (var f = 0; f < fields.Length; f++)
                {
                    for (var i = 0; i < one[f].Data.Length; i++)
                    {
                        Same($"∂L/∂f{f}[{i}] on 2 threads", two[f].Data[i], one[f].Data[i]);
                    }
                }

                var (value, _) = Reference(shape, data, idc);
                Near("the double loss on a large field", valueOne, value, 1e-8);
            }
            finally
            {
                CpuBackend.MaxDegreeOfParallelism = previous;
            }
        }

        private void CheckFiniteDifference(int[] shape, double[][] data, int[] idc, double[][] gradients, double value)
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

            double At(double step) => Reference(shape, data.Select((d, f) => d.Select((v, i) => v + (step * direction[f][i])).ToArray()).ToArray(), idc, withGradients: false).Value;
            double Central(double step) => (At(step) - At(-step)) / (2 * step);
            var numeric = ((4 * Central(5e-4)) - Central(1e-3)) / 3;
            var tolerance = (1e-5 * Math.Max(Math.Abs(analytic), Math.Abs(numeric))) + (1e-8 * (1 + Math.Abs(value)));
            if (!(Math.Abs(analytic - numeric) <= tolerance))
            {
                throw new XunitException($"the directional derivative is {analytic:R}, finite differences give {numeric:R}");
            }
        }

        /// <summary>The loss and its gradients by the interpreter, in double, from the loss's model.</summary>
        private (double Value, double[][] Gradients) Reference(int[] shape, double[][] data, int[] idc, bool withGradients = true)
        {
            var model = compiled.Model(loss.Name);
            var (b, c) = (shape[0], shape[1]);
            var s = shape.Skip(2).Aggregate(1, (x, y) => x * y);
            var fields = data.Select((d, f) => (Name: "f" + f.ToString(CultureInfo.InvariantCulture), Data: new FieldData(d, b, c, s)))
                .ToDictionary(p => p.Name, p => p.Data);
            var interpreter = new Interpreter(model.Graph, fields, new Dictionary<string, double> { ["h"] = 0.75 }, new Dictionary<string, int[]> { ["idc"] = idc });
            var value = interpreter.Scalar(model.Result);
            var gradients = withGradients
                ? model.Gradients.Select(g => g < 0 ? new double[b * c * s] : interpreter.Evaluate(g).ToField(b, c, s)).ToArray()
                : Array.Empty<double[]>();
            return (value, gradients);
        }

        private static void Near(string what, double actual, double expected, double relative)
        {
            if (!Agrees(actual, expected, relative * (1 + Math.Abs(expected))))
            {
                throw new XunitException($"{what} is {actual:R}, the interpreter gives {expected:R}");
            }
        }

        /// <summary>
        /// Element by element, relative to the largest element; a gradient that cancels to ~0 everywhere is compared
        /// with a floor of 1e-3·relative·(1 + |L|), the size of the rounding of its cancelling terms.
        /// </summary>
        private static void NearElements(string what, double[] actual, double[] expected, double relative, double loss)
        {
            var scale = expected.Where(double.IsFinite).Select(Math.Abs).DefaultIfEmpty(0).Max();
            var floor = double.IsFinite(loss) ? 1e-3 * (1 + Math.Abs(loss)) : 1e-3;
            for (var i = 0; i < expected.Length; i++)
            {
                if (!Agrees(actual[i], expected[i], relative * Math.Max(scale, floor)))
                {
                    throw new XunitException($"{what}[{i}] is {actual[i]:R}, the interpreter gives {expected[i]:R} (largest element {scale:R})");
                }
            }
        }

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
    }
}
