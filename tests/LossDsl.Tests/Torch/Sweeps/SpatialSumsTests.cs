using System;
using System.Collections.Generic;
using System.Linq;
using LossDsl.Torch;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace LossDsl.Tests.Torch.Sweeps;

/// <summary><see cref="FusedOps.SpatialSums(TorchSharp.torch.Tensor[], TorchSharp.torch.Tensor?[])"/>: the sweep against ATen's multiply-and-sum, and when it steps aside.</summary>
[Collection(TorchCollection.Name)]
public sealed class SpatialSumsTests
{
    public static IEnumerable<object[]> Shapes() =>
        from shape in new[] { "2,3,17,23", "1,1,5,7", "3,5,4,6,7", "2,2,300,250" }
        from dtype in new[] { "float32", "float64" }
        select new object[] { shape, dtype };

    private static long[] Parse(string shape) => shape.Split(',').Select(long.Parse).ToArray();

    private static long[] Spatial(long ndim) => FusedOps.ReduceDims(ndim, false, false, true);

    /// <summary>ATen's Σ over space of a·b (or a), in keep-dim layout, and the bound Σ|a·b| on the terms summed.</summary>
    private static (Tensor Sum, double Scale) Reference(Tensor a, Tensor? b)
    {
        using var product = b is null ? a.alias() : a.mul(b);
        using var absolute = product.abs();
        using var total = absolute.sum();
        // ATen reads an empty dimension list as "all dimensions": without spatial axes there is nothing to sum.
        return (a.ndim == 2 ? product.clone() : product.sum(Spatial(a.ndim), keepdim: true), total.ToDouble());
    }

    private static void AssertMatchesReference(Tensor[] factors, Tensor?[] cofactors, Tensor[] actual, double rtol)
    {
        Assert.Equal(factors.Length, actual.Length);
        for (var k = 0; k < factors.Length; k++)
        {
            var (expected, scale) = Reference(factors[k], cofactors[k]);
            using (expected)
            {
                SweepChecks.AssertClose(expected, actual[k], rtol, $"pair {k}", scale);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Repeated_pairs_of_a_softmax_target_and_distance_map_match_ATen(string shapeText, string dtypeName)
    {
        var shape = Parse(shapeText);
        var dtype = SweepChecks.Dtype(dtypeName);
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator(17);
        var p = SweepChecks.Softmax(shape, dtype, generator);
        var t = SweepChecks.Softmax(shape, dtype, generator);
        var d = SweepChecks.Normal(shape, dtype, generator).mul_(3);
        var factors = new[] { p, t, p, p, p };
        var cofactors = new Tensor?[] { t, null, null, d, p };

        var sums = SweepChecks.Counting(() => FusedOps.SpatialSums(factors, cofactors), out var swept);

        Assert.True(swept);
        AssertMatchesReference(factors, cofactors, sums, SweepChecks.Tolerance(dtype));
        Assert.All(sums, s => Assert.Equal(new[] { shape[0], shape[1] }.Concat(Enumerable.Repeat(1L, shape.Length - 2)), s.shape));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void One_to_three_pairs_of_distinct_tensors_match_ATen(int pairs)
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator((ulong)pairs);
        var shape = new long[] { 2, 3, 9, 11 };
        var factors = Enumerable.Range(0, pairs).Select(_ => SweepChecks.Normal(shape, ScalarType.Float64, generator)).ToArray();
        var cofactors = Enumerable.Range(0, pairs).Select(k => k == 1 ? null : SweepChecks.Normal(shape, ScalarType.Float64, generator)).ToArray();

        var sums = SweepChecks.Counting(() => FusedOps.SpatialSums(factors, cofactors), out var swept);

        Assert.True(swept);
        AssertMatchesReference(factors, cofactors, sums, 1e-12);
    }

    [Fact]
    public void Float32_sums_over_65536_element_planes_are_within_1e_minus_6_of_the_exact_sum()
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator(3);
        var shape = new long[] { 2, 4, 256, 256 };
        var p = SweepChecks.Softmax(shape, ScalarType.Float32, generator);
        var t = SweepChecks.Softmax(shape, ScalarType.Float32, generator);

        var sums = FusedOps.SpatialSums(new[] { p, p }, new Tensor?[] { t, null });

        // Positive terms: the float64 sum of the same float32 numbers is exact to ~1e-16, a fair judge of both.
        var exactProduct = p.to_type(ScalarType.Float64).mul(t.to_type(ScalarType.Float64)).sum(Spatial(4), keepdim: true);
        var exactSum = p.to_type(ScalarType.Float64).sum(Spatial(4), keepdim: true);
        foreach (var (exact, actual) in new[] { (exactProduct, sums[0]), (exactSum, sums[1]) })
        {
            var e = SweepChecks.Doubles(exact);
            var a = SweepChecks.Doubles(actual);
            for (var i = 0; i < e.Length; i++)
            {
                Assert.True(Math.Abs(e[i] - a[i]) <= 1e-6 * Math.Abs(e[i]), $"plane {i}: exact {e[i]:R}, swept {a[i]:R}");
            }
        }
    }

    [Fact]
    public void A_non_contiguous_factor_takes_the_fallback_and_still_sums_right()
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator(5);
        var shape = new long[] { 2, 3, 6, 5 };
        var p = SweepChecks.Normal(shape, ScalarType.Float32, generator);
        var transposed = SweepChecks.Normal(new long[] { 2, 3, 5, 6 }, ScalarType.Float32, generator).transpose(2, 3);
        Assert.False(transposed.is_contiguous());

        var sums = SweepChecks.Counting(() => FusedOps.SpatialSums(new[] { p, transposed }, new Tensor?[] { transposed, null }), out var swept);

        Assert.False(swept);
        AssertMatchesReference(new[] { p, transposed }, new Tensor?[] { transposed, null }, sums, 1e-5);
    }

    [Theory]
    [InlineData(ScalarType.Float16)]
    [InlineData(ScalarType.Int32)]
    public void Other_dtypes_take_the_fallback(ScalarType dtype)
    {
        using var scope = torch.NewDisposeScope();
        var a = torch.arange(2 * 3 * 4 * 5, ScalarType.Float64).reshape(2, 3, 4, 5).remainder(7).to_type(dtype);
        var b = torch.ones(2, 3, 4, 5, dtype);

        var sums = SweepChecks.Counting(() => FusedOps.SpatialSums(new[] { a, a }, new Tensor?[] { b, null }), out var swept);

        Assert.False(swept);
        var expected = a.sum(Spatial(4), keepdim: true);
        Assert.True(SweepChecks.SameBits(expected, sums[0]) && SweepChecks.SameBits(expected, sums[1]));
    }

    [Fact]
    public void Mixed_dtypes_ranks_below_3_and_broadcast_shapes_take_the_fallback()
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator(6);
        var shape = new long[] { 2, 3, 4, 5 };
        var a = SweepChecks.Normal(shape, ScalarType.Float64, generator);
        var cases = new (Tensor[] Factors, Tensor?[] Cofactors)[]
        {
            (new[] { a }, new Tensor?[] { a.to_type(ScalarType.Float32) }),
            (new[] { a }, new Tensor?[] { SweepChecks.Normal(new long[] { 2, 3, 1, 5 }, ScalarType.Float64, generator) }),
            (new[] { SweepChecks.Normal(new long[] { 4, 3 }, ScalarType.Float64, generator) }, new Tensor?[] { null }),
        };
        foreach (var (factors, cofactors) in cases)
        {
            var sums = SweepChecks.Counting(() => FusedOps.SpatialSums(factors, cofactors), out var swept);
            Assert.False(swept);
            AssertMatchesReference(factors, cofactors, sums, 1e-5);
        }
    }

    [Fact]
    public void A_contiguous_view_with_a_storage_offset_is_read_from_its_own_first_element()
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator(8);
        var whole = SweepChecks.Normal(new long[] { 3, 2, 7, 9 }, ScalarType.Float64, generator);
        var tail = whole.narrow(0, 1, 2);
        Assert.True(tail.is_contiguous());

        var sums = SweepChecks.Counting(() => FusedOps.SpatialSums(new[] { tail }, new Tensor?[] { tail }), out var swept);

        Assert.True(swept);
        AssertMatchesReference(new[] { tail }, new Tensor?[] { tail }, sums, 1e-12);
    }

    [Fact]
    public void NaN_and_infinity_propagate_to_the_sums_of_their_plane_only()
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator(9);
        var shape = new long[] { 2, 2, 5, 7 };
        var p = SweepChecks.Normal(shape, ScalarType.Float32, generator);
        var d = SweepChecks.Normal(shape, ScalarType.Float32, generator);
        p[0, 1, 2, 3] = torch.tensor(float.NaN);
        d[1, 0, 4, 6] = torch.tensor(float.PositiveInfinity);
        var factors = new[] { p, d, p };
        var cofactors = new Tensor?[] { null, null, d };

        var sums = FusedOps.SpatialSums(factors, cofactors);

        AssertMatchesReference(factors, cofactors, sums, 1e-5);
        Assert.True(float.IsNaN(sums[0][0, 1].ToSingle()) && float.IsPositiveInfinity(sums[1][1, 0].ToSingle()));
        Assert.True(float.IsFinite(sums[0][1, 1].ToSingle()) && float.IsFinite(sums[1][0, 0].ToSingle()));
    }

    [Fact]
    public void One_or_two_threads_give_the_same_bits()
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator(10);
        var shape = new long[] { 2, 3, 300, 301 }; // two chunks per plane, several planes: both splits are exercised
        var p = SweepChecks.Softmax(shape, ScalarType.Float32, generator);
        var d = SweepChecks.Normal(shape, ScalarType.Float32, generator);
        Tensor[] Run() => FusedOps.SpatialSums(new[] { p, p, d }, new Tensor?[] { d, null, null });

        var one = SweepChecks.WithThreads(1, Run);
        var two = SweepChecks.WithThreads(2, Run);

        for (var k = 0; k < one.Length; k++)
        {
            Assert.True(SweepChecks.SameBits(one[k], two[k]), $"pair {k} differs between one and two threads");
        }
    }

    [Fact]
    public void Under_grad_mode_inputs_that_require_grad_get_the_differentiable_fallback()
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator(11);
        var p = SweepChecks.Normal(new long[] { 2, 2, 4, 4 }, ScalarType.Float64, generator).requires_grad_(true);

        var sums = SweepChecks.Counting(() => FusedOps.SpatialSums(new[] { p }, new Tensor?[] { p }), out var swept);

        Assert.False(swept);
        Assert.True(sums[0].requires_grad);
    }

    [Fact]
    public void Arrays_of_different_lengths_are_rejected()
    {
        using var scope = torch.NewDisposeScope();
        var p = torch.ones(1, 1, 2, 2);
        Assert.Throws<ArgumentException>(() => FusedOps.SpatialSums(new[] { p }, new Tensor?[] { p, p }));
        Assert.Throws<ArgumentException>(() => FusedOps.SpatialSums(Array.Empty<Tensor>(), Array.Empty<Tensor?>()));
    }

    [Fact]
    public void No_tensor_outlives_the_call_on_either_path()
    {
        using var generator = new Generator(12);
        using var p = SweepChecks.Normal(new long[] { 2, 3, 64, 64 }, ScalarType.Float32, generator);
        using var half = p.to_type(ScalarType.Float16);
        var before = SweepChecks.LiveTensors();
        for (var i = 0; i < 50; i++)
        {
            foreach (var sum in FusedOps.SpatialSums(new[] { p, p }, new Tensor?[] { p, null }))
            {
                sum.Dispose();
            }

            foreach (var sum in FusedOps.SpatialSums(new[] { half, half }, new Tensor?[] { half, null }))
            {
                sum.Dispose();
            }
        }

        Assert.Equal(before, SweepChecks.LiveTensors());
    }
}
