using System;
using System.Collections.Generic;
using System.Linq;
using LossDsl.Torch;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace LossDsl.Tests.Torch;

/// <summary>
/// The generated TorchSharp losses on each of their three CPU paths (<see cref="TorchPath"/>): the generated CPU passes
/// (what contiguous CPU float tensors get), the ATen composition with FusedOps' CPU sweeps, and the ATen composition
/// alone (what CUDA, other dtypes and non-contiguous inputs run). Each check says, through the path counters, which
/// path it took.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class AtenPathTests
{
    /// <summary>A class listed twice: its plane counts twice in the selection and its gradient accumulates twice.</summary>
    private static readonly int[] RepeatedIdc = { 2, 1, 2 };

    /// <summary>GDL + boundary on logits (idc), Tversky on probabilities, softmax cross-entropy, Tversky + boundary (idc).</summary>
    private static readonly string[] Representative = { "GdlBoundary", "Tversky", "SoftmaxCrossEntropy", "Rebalanced" };

    public static IEnumerable<object[]> Matrix() =>
        from name in Representative
        from rank in new[] { 2, 3 }
        from dtype in new[] { "float32", "float64" }
        from path in Enum.GetValues<TorchPath>()
        select new object[] { name, rank, dtype, path };

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Value_equals_the_eager_version_and_the_CPU_back_end_on_each_path(string name, int rank, string dtypeName, TorchPath path)
    {
        var taken = TorchPaths.On(path, () => TorchChecks.ValueMatches(TorchCase.Named(name), TorchChecks.Shape(rank), TorchChecks.Dtype(dtypeName), RepeatedIdc, seed: 7));
        AssertPathTaken(name, path, forward: taken, backward: null);
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Gradients_equal_eager_autograd_on_each_path(string name, int rank, string dtypeName, TorchPath path)
    {
        (long, long) backward = default;
        var (passes, sweeps) = TorchPaths.On(path, () => TorchChecks.GradientsMatch(
            TorchCase.Named(name), TorchChecks.Shape(rank), TorchChecks.Dtype(dtypeName), RepeatedIdc, seed: 11,
            value => backward = TorchPaths.Counting(() => value.backward())));
        AssertPathTaken(name, path, forward: (passes - backward.Item1, sweeps - backward.Item2), backward);
    }

    /// <summary>
    /// Passes: the forward ran the generated CPU program (the backward only scales what it wrote) and no sweep ran.
    /// Sweeps: the forward swept (except softmax cross-entropy's, which only sums over every axis at once, a dot no
    /// sweep does), and so did the backward, counted on this thread: it runs here, so the thread-static switches reach
    /// it. ATen: neither.
    /// </summary>
    private static void AssertPathTaken(string name, TorchPath path, (long Passes, long Sweeps) forward, (long Passes, long Sweeps)? backward)
    {
        var (backwardPasses, backwardSweeps) = backward ?? (0, 0);
        switch (path)
        {
            case TorchPath.Passes:
                Assert.Equal(1, forward.Passes);
                Assert.Equal(0, forward.Sweeps + backwardPasses + backwardSweeps);
                break;
            case TorchPath.Sweeps:
                Assert.Equal(0, forward.Passes + backwardPasses);
                Assert.True(forward.Sweeps > 0 || name == "SoftmaxCrossEntropy", $"{name}: the forward took no sweep");
                Assert.True(backward is null || backwardSweeps > 0, $"{name}: the backward took no sweep");
                break;
            default:
                Assert.Equal(0, forward.Passes + forward.Sweeps + backwardPasses + backwardSweeps);
                break;
        }
    }

    public static IEnumerable<object[]> Agreement() =>
        from name in Representative
        from dtype in new[] { "float32", "float64" }
        from path in new[] { TorchPath.Passes, TorchPath.Sweeps }
        select new object[] { name, dtype, path };

    /// <summary>
    /// The CPU paths of one generated loss agree with the ATen path on a segmentation-like problem, value and every
    /// gradient, relative to the value and to each gradient's largest element: 1e-12 in float64, 1e-5 in float32
    /// (<see cref="Sweeps.SweepChecks.Tolerance"/>). The passes and sweeps associate differently from ATen (blocked
    /// sums, vector lanes, FMA, softmax through one reciprocal), so they differ by a few roundings of the largest
    /// terms: measured ≤ 2.3e-7 in float32 (two ulps) and ≤ 2.6e-16 in float64 for the sweeps on this input; 1e-5
    /// leaves room for the sums over thousands of positions of larger inputs, and a wrong coefficient is off by far more.
    /// </summary>
    [Theory]
    [MemberData(nameof(Agreement))]
    public void The_CPU_paths_and_the_ATen_path_agree(string name, string dtypeName, TorchPath path)
    {
        var loss = TorchCase.Named(name);
        var dtype = TorchChecks.Dtype(dtypeName);
        var tolerance = Sweeps.SweepChecks.Tolerance(dtype);
        using var scope = NewDisposeScope();
        var inputs = SegmentationInputs(loss, dtype);
        var (fast, fastGradients, fastTaken) = ValueAndGradients(loss, inputs, path);
        var (aten, atenGradients, atenTaken) = ValueAndGradients(loss, inputs, TorchPath.Aten);
        Assert.True(path == TorchPath.Passes ? fastTaken.Passes == 1 : fastTaken.Sweeps > 0, $"{name}: the {path} path was not taken");
        Assert.Equal((0L, 0L), atenTaken);
        Assert.True(Math.Abs(fast - aten) <= tolerance * Math.Abs(aten), $"{name}: {path} {fast:R}, ATen {aten:R}");
        for (var i = 0; i < inputs.Length; i++)
        {
            Sweeps.SweepChecks.AssertClose(atenGradients[i], fastGradients[i], tolerance, $"{name} ∂/∂{loss.Fields[i]}");
        }
    }

    private static (double Value, Tensor[] Gradients, (long Passes, long Sweeps) Taken) ValueAndGradients(TorchCase loss, Tensor[] inputs, TorchPath path)
    {
        var leaves = inputs.Select(t => t.detach().clone().requires_grad_(true)).ToArray();
        var value = 0.0;
        var taken = TorchPaths.On(path, () =>
        {
            var fused = loss.Fused(leaves, RepeatedIdc);
            fused.backward();
            value = fused.ToDouble();
        });
        return (value, leaves.Select(t => t.grad!).ToArray(), taken);
    }

    /// <summary>
    /// (2, 4, 33, 17): logits, the one-hot target of blocky labels (4×4 cells, so that classes form regions), their
    /// signed distance maps, and softmax(logits) for probability fields; 33 × 17 positions are not a multiple of any
    /// vector width, so the sweeps' remainders run too.
    /// </summary>
    private static Tensor[] SegmentationInputs(TorchCase loss, ScalarType dtype)
    {
        using var generator = new Generator(13);
        var logits = randn(new long[] { 2, 4, 33, 17 }, ScalarType.Float64, generator: generator).mul_(2);
        var coarse = randint(0, 4, new long[] { 2, 9, 5 }, ScalarType.Int64, generator: generator);
        var labels = coarse.repeat_interleave(4, 1).repeat_interleave(4, 2).narrow(1, 0, 33).narrow(2, 0, 17).contiguous();
        var target = LossDsl.Utilities.OneHot.FromLabels(labels, 4, ScalarType.Float64);
        var dist = LossDsl.Distance.SignedDistance.FromLabels(labels, 4, dtype: ScalarType.Float64);
        return loss.Fields.Select(kind => (kind switch
        {
            FieldKind.Probs => logits.softmax(1),
            FieldKind.Logits => logits,
            FieldKind.Target => target,
            _ => dist,
        }).to_type(dtype).contiguous()).ToArray();
    }
}
