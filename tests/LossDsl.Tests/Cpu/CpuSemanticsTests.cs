using System;
using System.Linq;
using System.Numerics.Tensors;
using LossDsl.Cpu;
using Xunit;

namespace LossDsl.Tests.Cpu;

/// <summary>NaN propagation, thread-count independence, inputs spanning many chunks, hyper-parameter precision.</summary>
[Collection(nameof(CpuBackendSettingsCollection))]
public sealed class CpuSemanticsTests
{
    [Fact]
    public void NaN_in_an_input_gives_a_NaN_loss_and_NaN_gradients()
    {
        var f = new TestFields(7, 2, 3, 9, 13);
        var probs = (double[])f.Probs.Clone();
        probs[f.Index(1, 2, 5)] = double.NaN;
        Assert.True(double.IsNaN(ExampleLosses.TverskyCpu(f.Span(probs), f.Span(f.Target))));
        var gradient = new double[f.Count];
        var value = ExampleLosses.GeneralizedDiceOfLogitsCpuGradient(f.Span(probs), f.Span(f.Target), new TensorSpan<double>(gradient, f.Shape), default, f.Idc);
        Assert.True(double.IsNaN(value));
        Assert.Contains(gradient, double.IsNaN);
    }

    [Fact]
    public void Results_do_not_depend_on_the_number_of_threads()
    {
        // 4·5·96·96 elements: above the parallel threshold, many chunks.
        var f = new TestFields(11, 4, 5, 96, 96);
        var saved = CpuBackend.MaxDegreeOfParallelism;
        try
        {
            CpuBackend.MaxDegreeOfParallelism = 1;
            var (single, singleGradient) = Evaluate(f);
            CpuBackend.MaxDegreeOfParallelism = 2;
            var (two, twoGradient) = Evaluate(f);
            CpuBackend.MaxDegreeOfParallelism = -1;
            var (all, allGradient) = Evaluate(f);

            Assert.Equal(BitConverter.DoubleToInt64Bits(single), BitConverter.DoubleToInt64Bits(two));
            Assert.Equal(BitConverter.DoubleToInt64Bits(single), BitConverter.DoubleToInt64Bits(all));
            Assert.Equal(singleGradient, twoGradient);
            Assert.Equal(singleGradient, allGradient);
        }
        finally
        {
            CpuBackend.MaxDegreeOfParallelism = saved;
        }
    }

    [Fact]
    public void An_input_spanning_many_chunks_equals_the_naive_loop()
    {
        var f = new TestFields(12, 2, 3, 130, 77);
        var expected = NaiveLosses.GeneralizedDiceOfLogits(f, f.Logits, f.Target, f.Idc);
        var actual = ExampleLosses.GeneralizedDiceOfLogitsCpu(f.Span(f.Logits), f.Span(f.Target), f.Idc);
        Assert.Equal(expected, actual, 12);
    }

    /// <summary>
    /// Rows of whole vectors (|Ω| = 6·40, a multiple of every vector width) run the pass compiled with a constant lane
    /// count (<see cref="FullVectors"/>); rows of 130·77 positions the one that masks the last vector. Both equal the naive loop.
    /// </summary>
    [Theory]
    [InlineData(6, 40)]
    [InlineData(130, 77)]
    public void Rows_of_whole_vectors_and_rows_with_a_partial_vector_equal_the_naive_loop(int height, int width)
    {
        var f = new TestFields(14, 3, 4, height, width);
        var expected = NaiveLosses.GeneralizedDiceOfLogits(f, f.Logits, f.Target, f.Idc);
        Assert.Equal(expected, ExampleLosses.GeneralizedDiceOfLogitsCpu(f.Span(f.Logits), f.Span(f.Target), f.Idc), 12);
        // float: the same within float round-off of a sum over a few thousand terms.
        Assert.Equal(expected, ExampleLosses.GeneralizedDiceOfLogitsCpu(f.SpanF(f.Logits), f.SpanF(f.Target), f.Idc), 4);
    }

    [Fact]
    public void The_lane_count_policies_say_a_whole_vector_or_what_remains()
    {
        Assert.True(FullVectors.Lanes(3) >= System.Numerics.Vector<float>.Count);
        Assert.Equal(3, PartialLastVector.Lanes(3));
    }

    /// <summary>
    /// Many batch items of few positions: every work item is one batch item, and each leaves the partial sums of its
    /// own batch item only (a row per batch item of every item would be B² partials).
    /// </summary>
    [Fact]
    public void Many_small_batch_items_equal_the_naive_loop_on_every_thread_count()
    {
        var f = new TestFields(13, 600, 3, 6, 7); // 75,600 elements: above the parallel threshold
        var expected = NaiveLosses.GeneralizedDiceOfLogits(f, f.Logits, f.Target, f.Idc);
        var saved = CpuBackend.MaxDegreeOfParallelism;
        try
        {
            CpuBackend.MaxDegreeOfParallelism = 1;
            var single = ExampleLosses.GeneralizedDiceOfLogitsCpu(f.Span(f.Logits), f.Span(f.Target), f.Idc);
            CpuBackend.MaxDegreeOfParallelism = 2;
            var two = ExampleLosses.GeneralizedDiceOfLogitsCpu(f.Span(f.Logits), f.Span(f.Target), f.Idc);
            Assert.Equal(expected, single, 12);
            Assert.Equal(BitConverter.DoubleToInt64Bits(single), BitConverter.DoubleToInt64Bits(two));
        }
        finally
        {
            CpuBackend.MaxDegreeOfParallelism = saved;
        }
    }

    [Fact]
    public void A_float_hyper_parameter_is_widened_before_a_double_evaluation()
    {
        var f = new TestFields(13, 2, 3, 9, 13);
        var widened = ExampleLosses.RebalancedCpu(f.Span(f.Probs), f.Span(f.Target), f.Span(f.Dist), f.Idc, 0.1f);
        var expected = NaiveLosses.Rebalanced(f, f.Probs, f.Target, f.Dist, f.Idc, (double)0.1f);
        var decimalTenth = NaiveLosses.Rebalanced(f, f.Probs, f.Target, f.Dist, f.Idc, 0.1);
        Assert.Equal(expected, widened, 15);
        Assert.NotEqual(decimalTenth, widened);
    }

    [Fact]
    public void Asking_for_one_gradient_gives_the_same_values_as_asking_for_all()
    {
        var f = new TestFields(17, 2, 3, 40, 30);
        var all = new[] { new double[f.Count], new double[f.Count], new double[f.Count] };
        var full = ExampleLosses.RebalancedCpuGradient(
            f.Span(f.Probs), f.Span(f.Target), f.Span(f.Dist),
            new TensorSpan<double>(all[0], f.Shape), new TensorSpan<double>(all[1], f.Shape), new TensorSpan<double>(all[2], f.Shape), f.Idc, 0.3f);
        var onlyProbs = new double[f.Count];
        var partial = ExampleLosses.RebalancedCpuGradient(
            f.Span(f.Probs), f.Span(f.Target), f.Span(f.Dist), new TensorSpan<double>(onlyProbs, f.Shape), default, default, f.Idc, 0.3f);
        Assert.Equal(full, partial);
        Assert.Equal(all[0], onlyProbs);
    }

    [Fact]
    public void Every_example_loss_is_in_the_catalogue_with_its_formula_and_gradients()
    {
        Assert.True(LossCatalog.TryGet("LossDsl.Tests.Cpu.ExampleLosses.Boundary", out var info));
        Assert.Equal("L = mean(probs[idc]·dist[idc])", info.Formula);
        Assert.Equal(new[] { "probs", "dist" }, info.Gradients.Keys.ToArray());
        Assert.Equal(new[] { "Field probs", "Field dist", "int[] idc" }, info.Parameters);
        Assert.StartsWith("lossdsl-graph-v1\n", info.Graph);
        Assert.Contains(LossCatalog.All, i => i.FullName == "LossDsl.Tests.Cpu.ExampleLosses.Tversky");
    }

    private static (double Value, double[] Gradient) Evaluate(TestFields f)
    {
        var gradient = new double[f.Count];
        var value = ExampleLosses.GeneralizedDiceOfLogitsCpuGradient(f.Span(f.Logits), f.Span(f.Target), new TensorSpan<double>(gradient, f.Shape), default, f.Idc);
        return (value, gradient);
    }
}

/// <summary>Tests that change <see cref="CpuBackend.MaxDegreeOfParallelism"/> do not run alongside each other.</summary>
[CollectionDefinition(nameof(CpuBackendSettingsCollection), DisableParallelization = true)]
public sealed class CpuBackendSettingsCollection
{
}
