using System;
using System.Linq;
using TorchSharp;
using LossDsl.Torch;
using Xunit;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace LossDsl.Tests.Torch;

/// <summary>
/// When the generated TorchSharp function runs its generated CPU passes, and what that path guarantees: the per-call
/// choice, views with an offset, the incoming gradient, a second backward, the thread count, NaN and ∞.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class PassPathTests
{
    private static readonly int[] Idc = { 1, 2 };

    [Fact]
    public void Contiguous_CPU_inputs_take_the_pass_path_also_as_views_with_an_offset()
    {
        var loss = TorchCase.Named("Tversky");
        using var scope = NewDisposeScope();
        var inputs = loss.Inputs(new long[] { 4, 4, 6, 5 }, ScalarType.Float32, seed: 3);
        var views = inputs.Select(t => t.narrow(0, 1, 2)).ToArray();
        var copies = views.Select(t => t.clone()).ToArray();
        Assert.True(views.All(t => t.is_contiguous()));
        double onViews = 0;
        var taken = TorchPaths.Counting(() => onViews = loss.Fused(views, Idc).ToDouble());
        Assert.Equal(1, taken.Passes);
        TorchChecks.Close(loss.Eager(copies, Idc).ToDouble(), onViews, ScalarType.Float32, "a view at an offset");
    }

    /// <summary>
    /// GDL + boundary's ATen composition does its full-size work in two hand-written CPU sweeps (forward sums with the
    /// softmax, affine gradient of the logits), measured faster than its generated passes where the process keeps
    /// freed memory: there a CPU call that wants only swept gradients keeps the sweeps.
    /// </summary>
    [Fact]
    public void A_loss_the_sweeps_cover_keeps_them_where_freed_memory_is_kept() => WithGdlBoundary(keepsFreedMemory: true, inputs =>
    {
        var taken = TorchPaths.Counting(() => TorchCase.Named("GdlBoundary").Fused(inputs, Idc).backward());
        Assert.Equal(0, taken.Passes);
        Assert.True(taken.Sweeps >= 2, $"{taken.Sweeps} sweeps");

        // ∂L/∂dist is not one sweep: a call that wants it runs the generated passes.
        inputs[2].requires_grad_(true);
        Assert.Equal(1, TorchPaths.Counting(() => TorchCase.Named("GdlBoundary").Fused(inputs, Idc).backward()).Passes);
    });

    /// <summary>
    /// With glibc's default allocator the sweeps' ATen temporaries are fresh pages every call and the sweeps were
    /// measured slower than the passes (and than eager): the same call runs the passes.
    /// </summary>
    [Fact]
    public void A_loss_the_sweeps_cover_runs_the_passes_where_freed_memory_goes_back() => WithGdlBoundary(keepsFreedMemory: false, inputs =>
    {
        var taken = TorchPaths.Counting(() => TorchCase.Named("GdlBoundary").Fused(inputs, Idc).backward());
        Assert.Equal(1, taken.Passes);
        Assert.Equal(0, taken.Sweeps);
    });

    /// <summary>Runs <paramref name="body"/> on GDL + boundary's inputs (logits requiring grad), this thread assuming the allocator setting.</summary>
    private static void WithGdlBoundary(bool keepsFreedMemory, Action<Tensor[]> body)
    {
        using var scope = NewDisposeScope();
        var inputs = TorchCase.Named("GdlBoundary").Inputs(new long[] { 2, 4, 6, 5 }, ScalarType.Float32, seed: 3);
        inputs[0].requires_grad_(true);
        CpuAllocator.Assumed = keepsFreedMemory;
        try
        {
            body(inputs);
        }
        finally
        {
            CpuAllocator.Assumed = null;
        }
    }

    [Fact]
    public void Non_contiguous_inputs_take_the_ATen_path()
    {
        var loss = TorchCase.Named("Tversky");
        using var scope = NewDisposeScope();
        var inputs = loss.Inputs(new long[] { 2, 4, 6, 5 }, ScalarType.Float64, seed: 4);
        var transposed = inputs.Select(t => t.transpose(2, 3)).ToArray();
        var taken = TorchPaths.Counting(() => loss.Fused(transposed, Idc).Dispose());
        Assert.Equal(0, taken.Passes);
    }

    [Theory]
    [InlineData(TorchPath.Passes)]
    [InlineData(TorchPath.Aten)]
    public void The_gradients_are_scaled_by_the_incoming_gradient(TorchPath path)
    {
        var loss = TorchCase.Named("Rebalanced");
        using var scope = NewDisposeScope();
        var once = loss.Inputs(new long[] { 2, 4, 6, 5 }, ScalarType.Float64, seed: 5).Select(t => t.requires_grad_(true)).ToArray();
        var scaled = loss.Inputs(new long[] { 2, 4, 6, 5 }, ScalarType.Float64, seed: 5).Select(t => t.requires_grad_(true)).ToArray();
        TorchPaths.On(path, () =>
        {
            loss.Fused(once, Idc).backward();
            (loss.Fused(scaled, Idc) * -2.5).backward();
        });
        for (var i = 0; i < once.Length; i++)
        {
            var error = (once[i].grad! * -2.5 - scaled[i].grad!).abs().max().ToDouble();
            Assert.True(error <= 1e-15 * Math.Max(1, once[i].grad!.abs().max().ToDouble() * 2.5), $"∂/∂{loss.Fields[i]}: {error:R}");
        }
    }

    [Theory]
    [InlineData(TorchPath.Passes)]
    [InlineData(TorchPath.Aten)]
    public void A_second_backward_through_a_retained_graph_gives_the_same_gradients(TorchPath path)
    {
        var loss = TorchCase.Named("GdlBoundary");
        using var scope = NewDisposeScope();
        var inputs = loss.Inputs(new long[] { 2, 4, 6, 5 }, ScalarType.Float64, seed: 6).Select(t => t.requires_grad_(true)).ToArray();
        TorchPaths.On(path, () =>
        {
            var value = loss.Fused(inputs, Idc);
            (value * 3).backward(retain_graph: true);
            var first = inputs[0].grad!.clone();
            value.backward();
            var error = (inputs[0].grad! - first * (4.0 / 3)).abs().max().ToDouble();
            Assert.True(error <= 1e-14 * Math.Max(1, first.abs().max().ToDouble()), $"{error:R}");
        });
    }

    /// <summary>
    /// The pass path uses libtorch's thread setting; the generated program splits the work by shape alone and combines
    /// the shares in a fixed order, so the value and the gradients are the same bits on one thread and on two.
    /// </summary>
    [Theory]
    [InlineData("GdlBoundary")]
    [InlineData("WeightedSigmoidSquares")]
    public void Results_are_the_same_bits_for_any_thread_count(string name)
    {
        var loss = TorchCase.Named(name);
        var threads = get_num_threads();
        try
        {
            var (value1, gradients1) = OnThreads(loss, 1);
            var (value2, gradients2) = OnThreads(loss, 2);
            Assert.Equal(value1, value2);
            for (var i = 0; i < gradients1.Length; i++)
            {
                Assert.Equal(gradients1[i], gradients2[i]);
            }
        }
        finally
        {
            set_num_threads(threads);
        }
    }

    private static (double Value, float[][] Gradients) OnThreads(TorchCase loss, int threads)
    {
        set_num_threads(threads);
        using var scope = NewDisposeScope();

        // 2·4·96·96 = 73,728 elements: above the size from which the program runs its work items in parallel.
        var inputs = loss.Inputs(new long[] { 2, 4, 96, 96 }, ScalarType.Float32, seed: 8).Select(t => t.requires_grad_(true)).ToArray();
        var value = 0.0;
        var taken = TorchPaths.On(TorchPath.Passes, () =>
        {
            var fused = loss.Fused(inputs, Idc);
            fused.backward();
            value = fused.ToDouble();
        });
        Assert.Equal(1, taken.Passes);
        return (value, inputs.Select(t => t.grad!.data<float>().ToArray()).ToArray());
    }

    /// <summary>A NaN logit makes the loss NaN on both paths, as in eager (its gradient is unspecified, dsl.md).</summary>
    [Theory]
    [InlineData(TorchPath.Passes)]
    [InlineData(TorchPath.Aten)]
    public void A_NaN_input_gives_a_NaN_loss(TorchPath path)
    {
        var loss = TorchCase.Named("GdlBoundary");
        using var scope = NewDisposeScope();
        var inputs = loss.Inputs(new long[] { 2, 4, 6, 5 }, ScalarType.Float32, seed: 7);
        inputs[0].view(-1)[17] = float.NaN;
        double value = 0;
        TorchPaths.On(path, () => value = loss.Fused(inputs, Idc).ToDouble());
        Assert.True(double.IsNaN(loss.Eager(inputs, Idc).ToDouble()));
        Assert.True(double.IsNaN(value), $"{path}: {value:R}");
    }

    /// <summary>
    /// An infinite distance in a selected class with a positive probability makes the boundary loss +∞, as in eager,
    /// and its gradient with respect to the probabilities +∞ there, finite elsewhere.
    /// </summary>
    [Theory]
    [InlineData(TorchPath.Passes)]
    [InlineData(TorchPath.Aten)]
    public void An_infinite_input_propagates_as_in_eager(TorchPath path)
    {
        var loss = TorchCase.Named("Boundary");
        using var scope = NewDisposeScope();
        var inputs = loss.Inputs(new long[] { 2, 4, 6, 5 }, ScalarType.Float64, seed: 7);
        var at = (1 * 30) + 4; // batch 0, class 1 (selected), position 4
        inputs[1].view(-1)[at] = double.PositiveInfinity;
        inputs[0].requires_grad_(true);
        double value = 0;
        TorchPaths.On(path, () =>
        {
            var fused = loss.Fused(inputs, Idc);
            fused.backward();
            value = fused.ToDouble();
        });
        Assert.Equal(loss.Eager(inputs.Select(t => t.detach()).ToArray(), Idc).ToDouble(), value);
        Assert.Equal(double.PositiveInfinity, value);
        var gradient = inputs[0].grad!.view(-1);
        Assert.Equal(double.PositiveInfinity, gradient[at].ToDouble());
        Assert.Equal(1, gradient.isinf().sum().ToInt64());
    }
}
