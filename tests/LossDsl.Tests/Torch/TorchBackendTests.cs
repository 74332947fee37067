using System;
using System.Collections.Generic;
using System.Linq;
using LossDsl.Torch;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace LossDsl.Tests.Torch;

/// <summary>Torch tests share process-wide counters (live tensors, backward calls): they run alone, one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchCollection
{
    public const string Name = "TorchSharp back end";
}

/// <summary>
/// The fused TorchSharp losses against the hand-written eager TorchSharp versions and the CPU back end: values and
/// gradients, 2D and 3D, float32 and float64, plus finite differences in float64; each on the generated CPU passes and
/// on the ATen composition (forced), the two paths a generated loss can take.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class TorchBackendTests
{
    private static readonly int[] Idc = { 1, 2 };

    public static IEnumerable<object[]> Matrix() =>
        from c in TorchCase.All
        from rank in new[] { 2, 3 }
        from dtype in new[] { "float32", "float64" }
        from path in TorchPaths.Tested
        select new object[] { c.Name, rank, dtype, path };

    private static long[] Shape(int rank) => TorchChecks.Shape(rank);

    private static void Close(double expected, double actual, ScalarType dtype, string what) => TorchChecks.Close(expected, actual, dtype, what);

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Value_equals_the_eager_TorchSharp_version_and_the_CPU_back_end(string name, int rank, string dtypeName, TorchPath path)
        => TorchPaths.On(path, () => TorchChecks.ValueMatches(TorchCase.Named(name), Shape(rank), TorchChecks.Dtype(dtypeName), Idc, seed: 7));

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Gradients_equal_the_eager_autograd_gradients(string name, int rank, string dtypeName, TorchPath path)
        => TorchPaths.On(path, () => TorchChecks.GradientsMatch(TorchCase.Named(name), Shape(rank), TorchChecks.Dtype(dtypeName), Idc, seed: 11));

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Gradients_pass_a_float64_finite_difference_check(string name, int rank, string dtypeName, TorchPath path)
    {
        if (dtypeName != "float64")
        {
            return; // finite differences are meaningful in double precision only
        }

        TorchPaths.On(path, () => FiniteDifferences(name, rank));
    }

    private static void FiniteDifferences(string name, int rank)
    {
        var loss = TorchCase.Named(name);
        using var scope = torch.NewDisposeScope();
        var inputs = loss.Inputs(Shape(rank), ScalarType.Float64, seed: 3).Select(t => t.requires_grad_(true)).ToArray();
        loss.Fused(inputs, Idc).backward();
        var random = new Random(5);
        const double h = 1e-6;
        for (var i = 0; i < inputs.Length; i++)
        {
            var gradient = inputs[i].grad!.contiguous().data<double>().ToArray();
            for (var trial = 0; trial < 4; trial++)
            {
                var k = random.Next(gradient.Length);
                double At(double delta)
                {
                    using var inner = torch.NewDisposeScope();
                    using var noGrad = torch.no_grad();
                    var moved = inputs.Select(t => t.detach().clone()).ToArray();
                    var flat = moved[i].view(-1);
                    flat[k] = flat[k] + delta;
                    return loss.Fused(moved, Idc).ToDouble();
                }

                var numeric = (At(h) - At(-h)) / (2 * h);
                Assert.True(Math.Abs(numeric - gradient[k]) <= 1e-6 * Math.Max(1, Math.Abs(numeric)),
                    $"{name} ∂/∂{loss.Fields[i]}[{k}]: analytic {gradient[k]:R}, finite difference {numeric:R}");
            }
        }
    }

    [Fact]
    public void Only_fields_that_require_grad_get_a_gradient()
    {
        var loss = TorchCase.Named("Rebalanced");
        using var scope = torch.NewDisposeScope();
        var inputs = loss.Inputs(Shape(2), ScalarType.Float32, seed: 1);
        inputs[0].requires_grad_(true);
        loss.Fused(inputs, Idc).backward();
        Assert.NotNull(inputs[0].grad);
        Assert.Null(inputs[1].grad);
        Assert.Null(inputs[2].grad);
    }

    [Fact]
    public void A_loss_composed_of_other_losses_is_one_autograd_node()
    {
        var loss = TorchCase.Named("Rebalanced");
        using var scope = torch.NewDisposeScope();
        var inputs = loss.Inputs(Shape(2), ScalarType.Float32, seed: 2);
        inputs[0].requires_grad_(true);
        var value = loss.Fused(inputs, Idc);
        var before = FusedOps.BackwardCalls;
        value.backward();
        Assert.Equal(1, FusedOps.BackwardCalls - before);
    }

    [Fact]
    public void Without_grad_mode_nothing_is_saved_and_the_result_does_not_require_grad()
    {
        var loss = TorchCase.Named("GdlBoundary");
        using var scope = torch.NewDisposeScope();
        var inputs = loss.Inputs(Shape(2), ScalarType.Float32, seed: 2).Select(t => t.requires_grad_(true)).ToArray();
        using (torch.no_grad())
        {
            Assert.False(loss.Fused(inputs, Idc).requires_grad);
        }

        Assert.True(loss.Fused(inputs, Idc).requires_grad);
    }

    [Fact]
    public void Non_contiguous_inputs_are_handled()
    {
        var loss = TorchCase.Named("GdlBoundary");
        using var scope = torch.NewDisposeScope();
        var inputs = loss.Inputs(new long[] { 2, 4, 6, 5 }, ScalarType.Float64, seed: 4);
        var transposed = inputs.Select(t => t.transpose(2, 3).contiguous().transpose(2, 3)).ToArray();
        Assert.False(transposed[0].is_contiguous());
        Close(loss.Eager(inputs, Idc).ToDouble(), loss.Fused(transposed, Idc).ToDouble(), ScalarType.Float64, "non-contiguous");
    }

    [Fact]
    public void Fields_without_spatial_axes_are_accepted()
    {
        var loss = TorchCase.Named("Tversky");
        using var scope = torch.NewDisposeScope();
        var inputs = loss.Inputs(new long[] { 3, 4 }, ScalarType.Float64, seed: 4);
        Close(loss.Eager(inputs, Idc).ToDouble(), loss.Fused(inputs, Idc).ToDouble(), ScalarType.Float64, "rank 2");
    }

    [Fact]
    public void Inputs_with_different_shapes_dtypes_or_bad_classes_are_rejected_with_clear_messages()
    {
        using var scope = torch.NewDisposeScope();
        var p = torch.rand(2, 3, 4, 4);
        var shape = Assert.Throws<ArgumentException>(() => TorchLosses.Boundary(p, torch.rand(2, 3, 4, 5), Idc));
        Assert.Contains("shape (2, 3, 4, 5)", shape.Message);
        Assert.Equal("dist", shape.ParamName);
        var dtype = Assert.Throws<ArgumentException>(() => TorchLosses.Boundary(p, torch.rand(2, 3, 4, 4, ScalarType.Float64), Idc));
        Assert.Contains("dtype", dtype.Message);
        var integer = Assert.Throws<ArgumentException>(() => TorchLosses.Boundary(torch.ones(2, 3, 4, 4, ScalarType.Int32), p, Idc));
        Assert.Contains("Int32", integer.Message);
        var rank = Assert.Throws<ArgumentException>(() => TorchLosses.Boundary(torch.rand(3), torch.rand(3), Idc));
        Assert.Contains("rank 2 or more", rank.Message);
        var range = Assert.Throws<ArgumentOutOfRangeException>(() => TorchLosses.Boundary(p, p, new[] { 1, 3 }));
        Assert.Contains("valid indices 0..2", range.Message);
        Assert.Throws<ArgumentException>(() => TorchLosses.Boundary(p, p, Array.Empty<int>()));
        Assert.Throws<ArgumentNullException>(() => TorchLosses.Boundary(p, null!, Idc));
    }
}
