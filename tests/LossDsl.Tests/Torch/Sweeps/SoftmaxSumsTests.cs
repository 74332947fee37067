using System.Collections.Generic;
using System.Linq;
using LossDsl.Torch;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace LossDsl.Tests.Torch.Sweeps;

/// <summary>
/// <see cref="FusedOps.SpatialSums(Tensor[], Tensor?[], Tensor, Tensor)"/>: the softmax written by the sweep and the
/// sums that read it, against ATen's softmax followed by its multiply-and-sum, and when it steps aside.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class SoftmaxSumsTests
{
    public static IEnumerable<object[]> Shapes() =>
        from shape in new[] { "2,3,17,23", "1,1,5,7", "3,5,4,6,7", "2,4,130,129" }
        from dtype in new[] { "float32", "float64" }
        select new object[] { shape, dtype };

    private static long[] Parse(string shape) => shape.Split(',').Select(long.Parse).ToArray();

    /// <summary>The sweep's outputs and ATen's (softmax, then the sums of the same pairs with the softmax in place of s).</summary>
    private static (Tensor[] Sums, Tensor Softmax, bool Swept) Run(Tensor logits, Tensor[] others, (int Factor, int Cofactor)[] pairs)
    {
        var softmax = torch.empty_like(logits);
        var sources = new[] { softmax }.Concat(others).ToArray();
        var factors = pairs.Select(p => sources[p.Factor]).ToArray();
        var cofactors = pairs.Select(p => p.Cofactor < 0 ? null : sources[p.Cofactor]).ToArray();
        var sums = SweepChecks.Counting(() => FusedOps.SpatialSums(factors, cofactors, logits, softmax), out var swept);
        return (sums, softmax, swept);
    }

    private static void AssertMatchesAten(Tensor logits, Tensor[] others, (int Factor, int Cofactor)[] pairs, Tensor[] sums, Tensor softmax, double rtol)
    {
        var expectedSoftmax = logits.softmax(1);
        SweepChecks.AssertClose(expectedSoftmax, softmax, rtol, "softmax", 1.0);
        var sources = new[] { expectedSoftmax }.Concat(others).ToArray();
        var dims = FusedOps.ReduceDims(logits.ndim, false, false, true);
        for (var k = 0; k < pairs.Length; k++)
        {
            var product = pairs[k].Cofactor < 0 ? sources[pairs[k].Factor] : sources[pairs[k].Factor].mul(sources[pairs[k].Cofactor]);
            var expected = product.sum(dims, keepdim: true);
            SweepChecks.AssertClose(expected, sums[k], rtol, $"pair {k}", product.abs().sum().ToDouble());
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void The_softmax_and_its_sums_with_a_target_and_a_distance_map_match_ATen(string shapeText, string dtypeName)
    {
        var shape = Parse(shapeText);
        var dtype = SweepChecks.Dtype(dtypeName);
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator(23);
        var logits = SweepChecks.Normal(shape, dtype, generator).mul_(4);
        var target = SweepChecks.Softmax(shape, dtype, generator);
        var dist = SweepChecks.Normal(shape, dtype, generator).mul_(10);
        // GDL + boundary's sums: Σ p·y, Σ y, Σ p, Σ p·φ (0 = the softmax, 1 = target, 2 = dist).
        var pairs = new[] { (0, 1), (1, -1), (0, -1), (0, 2) };

        var (sums, softmax, swept) = Run(logits, new[] { target, dist }, pairs);

        Assert.True(swept);
        AssertMatchesAten(logits, new[] { target, dist }, pairs, sums, softmax, SweepChecks.Tolerance(dtype));
    }

    [Fact]
    public void Large_logits_do_not_overflow_and_a_NaN_logit_makes_its_column_NaN()
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator(29);
        var shape = new long[] { 2, 3, 5, 9 };
        var logits = SweepChecks.Normal(shape, ScalarType.Float32, generator).mul_(200); // e^200 overflows float
        logits[1, 2, 3, 4] = torch.tensor(float.NaN);
        var pairs = new[] { (0, -1) };

        var (sums, softmax, _) = Run(logits, System.Array.Empty<Tensor>(), pairs);

        var expected = logits.softmax(1);
        Assert.True(expected.isnan().eq(softmax.isnan()).all().ToBoolean(), "NaN exactly where ATen has NaN");
        Assert.True(softmax[1, 0, 3, 4].isnan().ToBoolean() && softmax[1, 1, 3, 4].isnan().ToBoolean(), "the whole column");
        var finite = expected.isnan().logical_not();
        SweepChecks.AssertClose(expected.masked_select(finite), softmax.masked_select(finite), 1e-5, "finite values", 1.0);
        Assert.True(float.IsNaN(sums[0][1, 0].ToSingle()) && float.IsFinite(sums[0][0, 0].ToSingle()));
    }

    [Fact]
    public void One_and_two_threads_give_the_same_bits()
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator(31);
        var shape = new long[] { 3, 4, 160, 150 };
        var logits = SweepChecks.Normal(shape, ScalarType.Float32, generator);
        var target = SweepChecks.Softmax(shape, ScalarType.Float32, generator);
        var pairs = new[] { (0, 1), (0, -1) };

        var one = SweepChecks.WithThreads(1, () => Run(logits, new[] { target }, pairs));
        var two = SweepChecks.WithThreads(2, () => Run(logits, new[] { target }, pairs));

        Assert.True(SweepChecks.SameBits(one.Softmax, two.Softmax));
        Assert.True(one.Sums.Zip(two.Sums).All(p => SweepChecks.SameBits(p.First, p.Second)));
    }

    [Fact]
    public void Non_contiguous_logits_and_logits_that_require_grad_under_grad_mode_take_ATen()
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator(37);
        var shape = new long[] { 2, 3, 6, 5 };
        var transposed = SweepChecks.Normal(new long[] { 2, 3, 5, 6 }, ScalarType.Float64, generator).transpose(2, 3);
        var recording = SweepChecks.Normal(shape, ScalarType.Float64, generator).requires_grad_(true);
        var pairs = new[] { (0, -1) };
        foreach (var logits in new[] { transposed, recording })
        {
            var (sums, softmax, swept) = Run(logits, System.Array.Empty<Tensor>(), pairs);
            Assert.False(swept);
            using var noGrad = torch.no_grad();
            AssertMatchesAten(logits.detach(), System.Array.Empty<Tensor>(), pairs, sums, softmax, 1e-12);
        }
    }
}
