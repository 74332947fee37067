using System;
using System.Linq;
using System.Numerics;
using LossDsl.Cpu;
using Xunit;

namespace LossDsl.Tests.Cpu;

/// <summary>
/// The partial last vector of a plane: loads, stores and reduction masks for every count of positions, in float and
/// double, touching nothing past the count (the generated passes rely on it at the end of every field).
/// </summary>
public sealed class LanesTests
{
    [Fact]
    public void A_partial_load_reads_the_count_and_zeroes_the_rest_float() => PartialLoad<float>();

    [Fact]
    public void A_partial_load_reads_the_count_and_zeroes_the_rest_double() => PartialLoad<double>();

    [Fact]
    public void A_partial_store_writes_the_count_and_nothing_after_float() => PartialStore<float>();

    [Fact]
    public void A_partial_store_writes_the_count_and_nothing_after_double() => PartialStore<double>();

    [Fact]
    public void Reduction_masks_keep_the_count_float() => Masks<float>();

    [Fact]
    public void Reduction_masks_keep_the_count_double() => Masks<double>();

    [Fact]
    public void Vector_functions_have_the_scalar_IEEE_semantics()
    {
        float[] x = [float.NaN, -0f, 0f, -2f, 3f, float.PositiveInfinity, float.NegativeInfinity, 0.5f];
        var v = new Vector<float>(x.Concat(Enumerable.Repeat(1f, Math.Max(0, Vector<float>.Count - x.Length))).Take(Vector<float>.Count).ToArray());
        var sign = Lanes<float>.Sign(v);
        var step = Lanes<float>.Step(v);
        var ge = Lanes<float>.GreaterOrEqual(v, new Vector<float>(0f));
        for (var i = 0; i < Math.Min(x.Length, Vector<float>.Count); i++)
        {
            Assert.Equal(SignOp<float>.Apply(x[i]), sign[i]);
            Assert.Equal(StepOp<float>.Apply(x[i]), step[i]);
            Assert.Equal(GreaterOrEqualOp<float>.Apply(x[i], 0f), ge[i]);
        }
    }

    [Fact]
    public void The_vector_exponential_is_within_2_ulp_of_the_scalar_one()
    {
        var random = new Random(5);
        for (var trial = 0; trial < 2000; trial++)
        {
            var values = Enumerable.Range(0, Vector<float>.Count).Select(_ => (float)((random.NextDouble() * 180) - 100)).ToArray();
            var e = Lanes<float>.Exp(new Vector<float>(values));
            for (var i = 0; i < values.Length; i++)
            {
                var exact = MathF.Exp(values[i]);
                Assert.True(Math.Abs(BitConverter.SingleToInt32Bits(e[i]) - BitConverter.SingleToInt32Bits(exact)) <= 2 || (exact == 0 && e[i] == 0), $"exp({values[i]:R}) = {e[i]:R}, not {exact:R}");
            }
        }
    }

    [Fact]
    public void The_vector_logarithm_is_within_2_ulp_of_the_scalar_one_and_keeps_the_special_values()
    {
        var random = new Random(6);
        for (var trial = 0; trial < 4000; trial++)
        {
            // Every binade from subnormals to the largest floats.
            var values = Enumerable.Range(0, Vector<float>.Count).Select(_ => (float)(Math.Pow(2, (random.NextDouble() * 276) - 148) * (1 + random.NextDouble()))).ToArray();
            var log = Lanes<float>.Log(new Vector<float>(values));
            for (var i = 0; i < values.Length; i++)
            {
                var exact = MathF.Log(values[i]);
                Assert.True(Math.Abs(BitConverter.SingleToInt32Bits(log[i]) - BitConverter.SingleToInt32Bits(exact)) <= 2 || Math.Abs(log[i] - exact) <= 1e-7f, $"log({values[i]:R}) = {log[i]:R}, not {exact:R}");
            }
        }

        float[] special = [0f, -0f, float.PositiveInfinity, -1f, float.NaN, float.NegativeInfinity, 1f, float.Epsilon];
        var logs = Lanes<float>.Log(new Vector<float>(special.Concat(Enumerable.Repeat(1f, Math.Max(0, Vector<float>.Count - special.Length))).Take(Vector<float>.Count).ToArray()));
        for (var i = 0; i < Math.Min(special.Length, Vector<float>.Count); i++)
        {
            Assert.Equal(MathF.Log(special[i]), logs[i]);
        }
    }

    private static void PartialLoad<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var width = Vector<T>.Count;
        var data = Enumerable.Range(1, 3 * width).Select(i => T.CreateChecked(i)).ToArray();
        for (var count = 0; count <= width; count++)
        {
            // The last `count` elements of the array: anything past them would be outside it.
            var start = data.Length - count;
            var v = count == 0 ? Vector<T>.Zero : Lanes<T>.Load(ref data[0], start, count);
            for (var lane = 0; lane < width; lane++)
            {
                Assert.Equal(lane < count ? data[start + lane] : T.Zero, v[lane]);
            }
        }
    }

    private static void PartialStore<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var width = Vector<T>.Count;
        var value = new Vector<T>(Enumerable.Range(1, width).Select(i => T.CreateChecked(i)).ToArray());
        for (var count = 1; count <= width; count++)
        {
            var data = Enumerable.Repeat(T.CreateChecked(-7), 2 * width).ToArray();
            Lanes<T>.Store(value, ref data[0], width - 1, count);
            for (var i = 0; i < data.Length; i++)
            {
                var written = i >= width - 1 && i < width - 1 + count;
                Assert.Equal(written ? value[i - (width - 1)] : T.CreateChecked(-7), data[i]);
            }
        }
    }

    private static void Masks<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var width = Vector<T>.Count;
        var ones = new Vector<T>(T.One);
        for (var count = 0; count <= width; count++)
        {
            Assert.Equal(T.CreateChecked(count), Lanes<T>.Sum(Lanes<T>.ForSum(ones, count)));
            var max = Lanes<T>.ForMax(ones, count);
            for (var lane = 0; lane < width; lane++)
            {
                Assert.Equal(lane < count ? T.One : T.NegativeInfinity, max[lane]);
            }
        }
    }
}
