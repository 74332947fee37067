using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using LossDsl.Tests.Differential;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace LossDsl.Tests.Torch;

/// <summary>
/// The TorchSharp half of the differential test of the compiler: the random losses of <see cref="RandomLosses"/>
/// (the grammar of the generator tests' differential test, which checks their CPU code against the IR interpreter
/// and finite differences) called through their generated TorchSharp functions on the generated-passes path and on
/// the ATen composition, float64, 2-D and 3-D fields of odd sizes, every field requiring its gradient: value and
/// gradients must equal the generated CPU back end's.
/// </summary>
/// <remarks>
/// Tolerance: both sides evaluate the same formula in double in different orders (the ATen composition reduces with
/// libtorch's own summation order), so they differ by round-off relative to the magnitudes summed, amplified where a
/// loss cancels; 1e-9 of the larger of 1 and the largest magnitude compared leaves six orders of magnitude above
/// double round-off and fails on any wrong term.
/// </remarks>
[Collection(TorchCollection.Name)]
public sealed class RandomLossTorchTests
{
    private const double Tolerance = 1e-9;
    private static readonly int[] Idc = { 2, 0 };

    public static IEnumerable<object[]> Cases() =>
        from loss in RandomLossNames()
        from path in TorchPaths.Tested
        select new object[] { loss, path };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_random_loss_through_TorchSharp_computes_what_its_CPU_code_computes(string name, TorchPath path)
    {
        foreach (var shape in new[] { new long[] { 2, 3, 5, 3 }, new long[] { 3, 3, 3, 2, 3 } })
        {
            using var scope = NewDisposeScope();
            var inputs = Inputs(name, shape, ScalarType.Float64, name.GetHashCode(StringComparison.Ordinal) ^ shape.Length);

            // The CPU back end: the reference here (checked against the interpreter by the generator tests).
            var expected = OnCpu<double>(name, inputs);
            var actual = ThroughTorch<double>(name, path, inputs);

            var where = $"{name} on {path}, shape ({string.Join(", ", shape)})";
            Close(expected.Value, actual.Value, $"{where}: the loss");
            for (var f = 0; f < inputs.Length; f++)
            {
                var want = expected.Gradients[f]!;
                var got = actual.Gradients[f] ?? new double[want.Length];
                var scale = Math.Max(1, want.Max(Math.Abs));
                var worst = Enumerable.Range(0, want.Length).MaxBy(i => Math.Abs(want[i] - got[i]));
                Assert.True(Math.Abs(want[worst] - got[worst]) <= Tolerance * scale,
                    $"{where}: ∂L/∂f{f}[{worst}] is {got[worst]:R} through TorchSharp, {want[worst]:R} on the CPU back end");
            }
        }
    }

    /// <summary>
    /// In float32 the pass path runs the very program <c>NameCpuGradient&lt;float&gt;</c> runs, over libtorch's memory:
    /// the loss and every gradient must have the same bits (an incoming gradient of 1 is not applied).
    /// </summary>
    [Theory]
    [MemberData(nameof(Names))]
    public void A_random_loss_on_the_pass_path_gives_the_bits_of_its_CPU_code_in_float32(string name)
    {
        using var scope = NewDisposeScope();
        var inputs = Inputs(name, new long[] { 2, 3, 7, 5 }, ScalarType.Float32, name.GetHashCode(StringComparison.Ordinal));
        var expected = OnCpu<float>(name, inputs);
        var actual = ThroughTorch<float>(name, TorchPath.Passes, inputs);

        Assert.Equal(1, actual.Passes);
        Assert.True(SameBits(expected.Value, actual.Value), $"{name}: the loss is {actual.Value:R} on the pass path, {expected.Value:R} on the CPU back end");
        for (var f = 0; f < inputs.Length; f++)
        {
            var want = expected.Gradients[f]!;
            var got = actual.Gradients[f];
            Assert.True(got is not null, $"{name}: no ∂L/∂f{f} on the pass path");
            var first = Enumerable.Range(0, want.Length).FirstOrDefault(i => !SameBits(want[i], got[i]), -1);
            Assert.True(first < 0, $"{name}: ∂L/∂f{f}[{first}] is {(first < 0 ? 0 : got[first]):R} on the pass path, {(first < 0 ? 0 : want[first]):R} on the CPU back end");
        }
    }

    /// <summary>A loss's value and, per field, its gradient (null where libtorch gave none).</summary>
    private sealed record Outcome<T>(T Value, T[]?[] Gradients, long Passes);

    /// <summary>One field per field parameter of loss <paramref name="name"/>, uniform in [−1, 1], drawn in double.</summary>
    private static Tensor[] Inputs(string name, long[] shape, ScalarType dtype, int seed)
    {
        var generator = new System.Random(seed);
        var count = (int)shape.Aggregate(1L, (a, b) => a * b);
        return Enumerable.Range(0, TorchEntry(name).GetParameters().Count(p => p.ParameterType == typeof(Tensor)))
            .Select(_ => tensor(Enumerable.Range(0, count).Select(_ => (generator.NextDouble() * 2) - 1).ToArray(), shape, ScalarType.Float64).to_type(dtype))
            .ToArray();
    }

    /// <summary>The generated CPU back end (<c>NameCpuGradient&lt;T&gt;</c>), every gradient wanted.</summary>
    private static Outcome<T> OnCpu<T>(string name, Tensor[] inputs)
        where T : unmanaged
    {
        var arrays = inputs.Select(FieldArray.FromTensor<T>).ToArray();
        var gradients = inputs.Select(t => FieldArray.Zeros<T>(Array.ConvertAll(t.shape, d => (int)d))).ToArray();
        var value = (T)CpuEntry(name).MakeGenericMethod(typeof(T)).Invoke(null, arrays.Cast<object?>().Concat(gradients).Concat(new object?[] { Idc, 0.75 }).ToArray())!;
        return new Outcome<T>(value, gradients.Select(g => (T[]?)g.Data).ToArray(), 0);
    }

    /// <summary>The generated TorchSharp function on <paramref name="path"/>, every field requiring its gradient, one backward.</summary>
    private static Outcome<T> ThroughTorch<T>(string name, TorchPath path, Tensor[] inputs)
        where T : unmanaged
    {
        var leaves = inputs.Select(t => t.clone().requires_grad_(true)).ToArray();
        T value = default;
        var taken = TorchPaths.On(path, () =>
        {
            var loss = (Tensor)TorchEntry(name).Invoke(null, leaves.Cast<object?>().Concat(new object?[] { Idc, 0.75 }).ToArray())!;
            value = loss.item<T>();
            loss.backward();
        });
        return new Outcome<T>(value, leaves.Select(l => l.grad?.data<T>().ToArray()).ToArray(), taken.Passes);
    }

    private static bool SameBits(float a, float b) =>
        BitConverter.SingleToInt32Bits(a) == BitConverter.SingleToInt32Bits(b) || (float.IsNaN(a) && float.IsNaN(b));

    public static IEnumerable<object[]> Names() => RandomLossNames().Select(n => new object[] { n });

    private static MethodInfo TorchEntry(string name) =>
        typeof(RandomLosses).GetMethods().Single(m => m.Name == name && m.GetParameters()[0].ParameterType == typeof(Tensor));

    private static MethodInfo CpuEntry(string name) =>
        typeof(RandomLosses).GetMethods().Single(m => m.Name == name + "CpuGradient" && m.GetParameters()[0].ParameterType.IsGenericType
            && m.GetParameters()[0].ParameterType.GetGenericTypeDefinition() == typeof(FieldArray<>));

    private static void Close(double expected, double actual, string what)
    {
        var bothNaN = double.IsNaN(expected) && double.IsNaN(actual);
        Assert.True(bothNaN || expected.Equals(actual) || Math.Abs(expected - actual) <= Tolerance * Math.Max(1, Math.Abs(expected)),
            $"{what} is {actual:R} through TorchSharp, {expected:R} on the CPU back end");
    }

    private static IEnumerable<string> RandomLossNames() =>
        typeof(RandomLosses).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.Name.StartsWith('L') && m.GetParameters().Length > 0 && m.GetParameters()[0].ParameterType == typeof(Tensor))
            .Select(m => m.Name)
            .OrderBy(n => int.Parse(n.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture));
}
