using System;
using System.Collections.Generic;
using System.Linq;
using LossDsl.Torch;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace LossDsl.Tests.Torch.Sweeps;

/// <summary><see cref="FusedOps.AffineGradient"/>: the sweep against the ATen composition, and when it steps aside.</summary>
[Collection(TorchCollection.Name)]
public sealed class AffineGradientTests
{
    /// <summary>The shapes a coefficient (or the constant) may have: per class, per (b, c), per batch, or one number.</summary>
    private static readonly string[] CoefficientKinds = { "1,C", "B,C", "B,1", "scalar" };

    public static IEnumerable<object[]> Cases() =>
        from shape in new[] { "2,3,17,23", "1,1,5,7", "3,5,4,6,7", "4,3" }
        from dtype in new[] { "float32", "float64" }
        from softmax in new[] { false, true }
        select new object[] { shape, dtype, softmax };

    private static long[] Parse(string shape) => shape.Split(',').Select(long.Parse).ToArray();

    private static Tensor Coefficient(string kind, long[] shape, ScalarType dtype, Generator generator)
    {
        if (kind == "scalar")
        {
            return SweepChecks.Normal(Array.Empty<long>(), dtype, generator);
        }

        var keep = Enumerable.Repeat(1L, shape.Length).ToArray();
        keep[0] = kind.StartsWith('B') ? shape[0] : 1;
        keep[1] = kind.EndsWith('C') ? shape[1] : 1;
        return SweepChecks.Normal(keep, dtype, generator);
    }

    /// <summary>The definition, written out in ATen ops: u = Σ f·a + c, then p·(u − Σ_c u·p), then ·scale.</summary>
    private static Tensor Reference(Tensor[] fields, Tensor[] coefficients, Tensor? constant, Tensor? softmax, Tensor? scale)
    {
        using var scope = torch.NewDisposeScope();
        var u = fields.Zip(coefficients, (f, a) => f * a).Aggregate((x, y) => x + y);
        if (constant is not null)
        {
            u += constant;
        }

        if (softmax is not null)
        {
            u = softmax * (u - (u * softmax).sum(1, keepdim: true));
        }

        if (scale is not null)
        {
            u *= scale;
        }

        return u.MoveToOuterDisposeScope();
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_sweep_matches_the_ATen_composition_for_every_kind_of_coefficient(string shapeText, string dtypeName, bool withSoftmax)
    {
        var shape = Parse(shapeText);
        var dtype = SweepChecks.Dtype(dtypeName);
        using var generator = new Generator(21);
        for (var count = 1; count <= 3; count++)
        {
            for (var first = 0; first < CoefficientKinds.Length; first++)
            {
                foreach (var withConstant in new[] { false, true })
                {
                    foreach (var withScale in new[] { false, true })
                    {
                        using var scope = torch.NewDisposeScope();
                        var fields = Enumerable.Range(0, count).Select(_ => SweepChecks.Normal(shape, dtype, generator)).ToArray();
                        var coefficients = Enumerable.Range(0, count)
                            .Select(k => Coefficient(CoefficientKinds[(first + k) % CoefficientKinds.Length], shape, dtype, generator)).ToArray();
                        var constant = withConstant ? Coefficient(CoefficientKinds[(first + 1) % CoefficientKinds.Length], shape, dtype, generator) : null;
                        var softmax = withSoftmax ? SweepChecks.Softmax(shape, dtype, generator) : null;
                        var scale = withScale ? SweepChecks.Normal(Array.Empty<long>(), dtype, generator) : null;
                        var what = $"K={count}, coefficients from {CoefficientKinds[first]}, constant {withConstant}, scale {withScale}";

                        var actual = SweepChecks.Counting(() => FusedOps.AffineGradient(fields, coefficients, constant, softmax, scale), out var swept);

                        Assert.True(swept, what);
                        SweepChecks.AssertClose(Reference(fields, coefficients, constant, softmax, scale), actual, SweepChecks.Tolerance(dtype), what);
                    }
                }
            }
        }
    }

    [Fact]
    public void A_one_element_keep_dim_scale_is_accepted()
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator(22);
        var shape = new long[] { 2, 3, 5, 4 };
        var fields = new[] { SweepChecks.Normal(shape, ScalarType.Float64, generator) };
        var coefficients = new[] { SweepChecks.Normal(new long[] { 1, 3, 1, 1 }, ScalarType.Float64, generator) };
        var scale = torch.full(new long[] { 1, 1, 1, 1 }, 0.5, ScalarType.Float64);

        var actual = SweepChecks.Counting(() => FusedOps.AffineGradient(fields, coefficients, null, null, scale), out var swept);

        Assert.True(swept);
        SweepChecks.AssertClose(Reference(fields, coefficients, null, null, scale), actual, 1e-12, "keep-dim scale");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_permuted_field_takes_the_fallback_and_still_gives_the_right_answer(bool withSoftmax)
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator(23);
        var shape = new long[] { 2, 3, 6, 5 };
        var permuted = SweepChecks.Normal(new long[] { 3, 2, 5, 6 }, ScalarType.Float32, generator).permute(1, 0, 3, 2);
        Assert.False(permuted.is_contiguous());
        var fields = new[] { SweepChecks.Normal(shape, ScalarType.Float32, generator), permuted };
        var coefficients = new[] { Coefficient("1,C", shape, ScalarType.Float32, generator), Coefficient("B,C", shape, ScalarType.Float32, generator) };
        var softmax = withSoftmax ? SweepChecks.Softmax(shape, ScalarType.Float32, generator) : null;
        var scale = torch.tensor(0.25f);

        var actual = SweepChecks.Counting(() => FusedOps.AffineGradient(fields, coefficients, null, softmax, scale), out var swept);

        Assert.False(swept);
        SweepChecks.AssertClose(Reference(fields, coefficients, null, softmax, scale), actual, 1e-5, "permuted");
    }

    [Theory]
    [InlineData(ScalarType.Float16)]
    [InlineData(ScalarType.Int32)]
    public void Other_dtypes_take_the_fallback(ScalarType dtype)
    {
        using var scope = torch.NewDisposeScope();
        var field = torch.arange(2 * 3 * 4 * 5, ScalarType.Float64).reshape(2, 3, 4, 5).remainder(5).to_type(dtype);
        var coefficient = torch.arange(3, ScalarType.Float64).reshape(1, 3, 1, 1).to_type(dtype);
        var constant = torch.ones(2, 1, 1, 1, dtype);

        var actual = SweepChecks.Counting(() => FusedOps.AffineGradient(new[] { field, field }, new[] { coefficient, coefficient }, constant, null, null), out var swept);

        Assert.False(swept);
        Assert.Equal(dtype, actual.dtype);
        var expected = Reference(new[] { field, field }, new[] { coefficient, coefficient }, constant, null, null);
        Assert.True(SweepChecks.SameBits(expected, actual));
    }

    [Fact]
    public void Mixed_dtypes_and_coefficients_with_spatial_extent_take_the_fallback()
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator(24);
        var shape = new long[] { 2, 3, 4, 5 };
        var field = SweepChecks.Normal(shape, ScalarType.Float64, generator);
        var cases = new (Tensor Coefficient, Tensor? Scale)[]
        {
            (Coefficient("1,C", shape, ScalarType.Float32, generator), null),
            (SweepChecks.Normal(new long[] { 1, 3, 4, 1 }, ScalarType.Float64, generator), null),
            (Coefficient("B,C", shape, ScalarType.Float64, generator), torch.tensor(2.0f)),
        };
        foreach (var (coefficient, scale) in cases)
        {
            var actual = SweepChecks.Counting(() => FusedOps.AffineGradient(new[] { field }, new[] { coefficient }, null, null, scale), out var swept);
            Assert.False(swept);
            SweepChecks.AssertClose(Reference(new[] { field }, new[] { coefficient }, null, null, scale), actual, 1e-12, "fallback");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void NaN_and_infinity_propagate_as_in_the_ATen_composition(bool withSoftmax)
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator(25);
        var shape = new long[] { 2, 3, 5, 7 };
        var field = SweepChecks.Normal(shape, ScalarType.Float32, generator);
        var other = SweepChecks.Normal(shape, ScalarType.Float32, generator);
        field[0, 1, 2, 3] = torch.tensor(float.NaN);
        other[1, 2, 4, 6] = torch.tensor(float.PositiveInfinity);
        var fields = new[] { field, other };
        var coefficients = new[] { Coefficient("B,C", shape, ScalarType.Float32, generator), Coefficient("1,C", shape, ScalarType.Float32, generator) };
        var softmax = withSoftmax ? SweepChecks.Softmax(shape, ScalarType.Float32, generator) : null;

        var actual = FusedOps.AffineGradient(fields, coefficients, null, softmax, torch.tensor(0.5f));

        SweepChecks.AssertClose(Reference(fields, coefficients, null, softmax, torch.tensor(0.5f)), actual, 1e-5, "non-finite");
        Assert.True(float.IsNaN(actual[0, 1, 2, 3].ToSingle()));
        Assert.True(float.IsFinite(actual[0, 1, 2, 2].ToSingle()));
    }

    [Fact]
    public void A_NaN_scale_makes_every_element_NaN()
    {
        using var scope = torch.NewDisposeScope();
        var field = torch.ones(1, 2, 3, 3);
        var actual = FusedOps.AffineGradient(new[] { field }, new[] { torch.tensor(1f) }, null, null, torch.tensor(float.NaN));
        Assert.True(actual.isnan().all().ToBoolean());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_result_is_a_new_tensor_even_when_u_is_one_field_times_one(bool withSoftmax)
    {
        using var scope = torch.NewDisposeScope();
        var field = torch.full(new long[] { 1, 2, 3, 4 }, 0.5f);
        var softmax = withSoftmax ? field : null;

        var actual = FusedOps.AffineGradient(new[] { field }, new[] { torch.tensor(1f) }, null, softmax, null);
        actual.fill_(7f);

        Assert.True(field.eq(0.5f).all().ToBoolean());
        Assert.NotSame(field, actual);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void One_or_two_threads_give_the_same_bits(bool withSoftmax)
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator(26);
        var shape = new long[] { 2, 3, 200, 201 };
        var fields = new[] { SweepChecks.Normal(shape, ScalarType.Float32, generator), SweepChecks.Normal(shape, ScalarType.Float32, generator) };
        var coefficients = new[] { Coefficient("1,C", shape, ScalarType.Float32, generator), Coefficient("B,C", shape, ScalarType.Float32, generator) };
        var constant = Coefficient("B,C", shape, ScalarType.Float32, generator);
        var softmax = withSoftmax ? SweepChecks.Softmax(shape, ScalarType.Float32, generator) : null;
        var scale = torch.tensor(0.3f);
        Tensor Run() => FusedOps.AffineGradient(fields, coefficients, constant, softmax, scale);

        var one = SweepChecks.WithThreads(1, Run);
        var two = SweepChecks.WithThreads(2, Run);

        Assert.True(SweepChecks.SameBits(one, two));
    }

    [Fact]
    public void A_contiguous_view_with_a_storage_offset_is_read_from_its_own_first_element()
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator(27);
        var whole = SweepChecks.Normal(new long[] { 3, 2, 7, 9 }, ScalarType.Float64, generator);
        var field = whole.narrow(0, 1, 2);
        var softmax = SweepChecks.Softmax(new long[] { 3, 2, 7, 9 }, ScalarType.Float64, generator).narrow(0, 1, 2);
        var coefficients = new[] { Coefficient("B,C", field.shape, ScalarType.Float64, generator) };

        var actual = SweepChecks.Counting(() => FusedOps.AffineGradient(new[] { field }, coefficients, null, softmax, null), out var swept);

        Assert.True(swept);
        SweepChecks.AssertClose(Reference(new[] { field }, coefficients, null, softmax, null), actual, 1e-12, "offset view");
    }

    [Fact]
    public void Under_grad_mode_inputs_that_require_grad_get_the_differentiable_fallback()
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new Generator(28);
        var field = SweepChecks.Normal(new long[] { 2, 2, 3, 3 }, ScalarType.Float64, generator);
        var coefficient = SweepChecks.Normal(new long[] { 1, 2, 1, 1 }, ScalarType.Float64, generator).requires_grad_(true);

        var actual = SweepChecks.Counting(() => FusedOps.AffineGradient(new[] { field }, new[] { coefficient }, null, null, null), out var swept);

        Assert.False(swept);
        Assert.True(actual.requires_grad);
    }

    [Fact]
    public void Arrays_of_different_lengths_are_rejected()
    {
        using var scope = torch.NewDisposeScope();
        var field = torch.ones(1, 1, 2, 2);
        Assert.Throws<ArgumentException>(() => FusedOps.AffineGradient(new[] { field }, Array.Empty<Tensor>(), null, null, null));
        Assert.Throws<ArgumentException>(() => FusedOps.AffineGradient(Array.Empty<Tensor>(), Array.Empty<Tensor>(), null, null, null));
    }

    [Fact]
    public void No_tensor_outlives_the_call_on_either_path()
    {
        using var generator = new Generator(29);
        var shape = new long[] { 2, 3, 40, 40 };
        using var field = SweepChecks.Normal(shape, ScalarType.Float32, generator);
        using var coefficient = SweepChecks.Normal(new long[] { 2, 3, 1, 1 }, ScalarType.Float32, generator);
        using var constant = SweepChecks.Normal(new long[] { 1, 3, 1, 1 }, ScalarType.Float32, generator);
        using var softmax = SweepChecks.Softmax(shape, ScalarType.Float32, generator);
        using var scale = torch.tensor(0.5f);
        using var transposed = field.transpose(2, 3);
        var before = SweepChecks.LiveTensors();
        for (var i = 0; i < 50; i++)
        {
            using (FusedOps.AffineGradient(new[] { field, field }, new[] { coefficient, coefficient }, constant, softmax, scale))
            {
            }

            using (FusedOps.AffineGradient(new[] { transposed, field }, new[] { coefficient, constant }, constant, softmax, scale))
            {
            }

            using (FusedOps.AffineGradient(new[] { field }, new[] { coefficient }, null, null, null))
            {
            }
        }

        Assert.Equal(before, SweepChecks.LiveTensors());
    }
}
