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
        var torchEntry = TorchEntry(name);
        var cpuEntry = CpuEntry(name).MakeGenericMethod(typeof(double));
        var fields = torchEntry.GetParameters().Count(p => p.ParameterType == typeof(Tensor));
        foreach (var shape in new[] { new long[] { 2, 3, 5, 3 }, new long[] { 3, 3, 3, 2, 3 } })
        {
            using var scope = NewDisposeScope();
            var generator = new System.Random(name.GetHashCode(StringComparison.Ordinal) ^ shape.Length);
            var inputs = Enumerable.Range(0, fields)
                .Select(_ => tensor(Enumerable.Range(0, (int)shape.Aggregate(1L, (a, b) => a * b)).Select(_ => (generator.NextDouble() * 2) - 1).ToArray(), shape, ScalarType.Float64))
                .ToArray();

            // The CPU back end: the reference here (checked against the interpreter by the generator tests).
            var arrays = inputs.Select(FieldArray.FromTensor<double>).ToArray();
            var gradients = inputs.Select(_ => FieldArray.Zeros<double>(Array.ConvertAll(shape, d => (int)d))).ToArray();
            var expected = (double)cpuEntry.Invoke(null, arrays.Cast<object?>().Concat(gradients).Concat(new object?[] { Idc, 0.75 }).ToArray())!;

            var leaves = inputs.Select(t => t.clone().requires_grad_(true)).ToArray();
            double actual = 0;
            TorchPaths.On(path, () =>
            {
                var value = (Tensor)torchEntry.Invoke(null, leaves.Cast<object?>().Concat(new object?[] { Idc, 0.75 }).ToArray())!;
                actual = value.ToDouble();
                value.backward();
            });

            var where = $"{name} on {path}, shape ({string.Join(", ", shape)})";
            Close(expected, actual, $"{where}: the loss");
            for (var f = 0; f < fields; f++)
            {
                var want = gradients[f].Data;
                var got = leaves[f].grad is { } grad ? grad.data<double>().ToArray() : new double[want.Length];
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
        var torchEntry = TorchEntry(name);
        var cpuEntry = CpuEntry(name).MakeGenericMethod(typeof(float));
        var fields = torchEntry.GetParameters().Count(p => p.ParameterType == typeof(Tensor));
        var shape = new long[] { 2, 3, 7, 5 };
        using var scope = NewDisposeScope();
        var generator = new System.Random(name.GetHashCode(StringComparison.Ordinal));
        var inputs = Enumerable.Range(0, fields)
            .Select(_ => tensor(Enumerable.Range(0, 210).Select(_ => (float)((generator.NextDouble() * 2) - 1)).ToArray(), shape, ScalarType.Float32))
            .ToArray();
        var gradients = inputs.Select(_ => FieldArray.Zeros<float>(2, 3, 7, 5)).ToArray();
        var expected = (float)cpuEntry.Invoke(null, inputs.Select(FieldArray.FromTensor<float>).Cast<object?>().Concat(gradients).Concat(new object?[] { Idc, 0.75 }).ToArray())!;

        var leaves = inputs.Select(t => t.clone().requires_grad_(true)).ToArray();
        float actual = 0;
        var taken = TorchPaths.On(TorchPath.Passes, () =>
        {
            var value = (Tensor)torchEntry.Invoke(null, leaves.Cast<object?>().Concat(new object?[] { Idc, 0.75 }).ToArray())!;
            actual = value.ToSingle();
            value.backward();
        });

        Assert.Equal(1, taken.Passes);
        Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(actual) || (float.IsNaN(expected) && float.IsNaN(actual)),
            $"{name}: the loss is {actual:R} on the pass path, {expected:R} on the CPU back end");
        for (var f = 0; f < fields; f++)
        {
            var want = gradients[f].Data;
            var got = leaves[f].grad!.data<float>().ToArray();
            var first = Enumerable.Range(0, want.Length).FirstOrDefault(i => BitConverter.SingleToInt32Bits(want[i]) != BitConverter.SingleToInt32Bits(got[i]) && !(float.IsNaN(want[i]) && float.IsNaN(got[i])), -1);
            Assert.True(first < 0, $"{name}: ∂L/∂f{f}[{first}] is {(first < 0 ? 0 : got[first]):R} on the pass path, {(first < 0 ? 0 : want[first]):R} on the CPU back end");
        }
    }

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
