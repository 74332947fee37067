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
/// The generated TorchSharp losses on each of FusedOps' two paths. On contiguous CPU float tensors FusedOps runs
/// single-sweep C# kernels, so <see cref="TorchBackendTests"/> sees only those; with the sweeps switched off the
/// same calls run the device-agnostic ATen composition, which is what CUDA (and other dtypes, and non-contiguous
/// inputs) runs. Each check says, through <see cref="FusedOps.SweepsTaken"/>, which path it took.
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
        from sweeps in new[] { false, true }
        select new object[] { name, rank, dtype, sweeps };

    /// <summary>
    /// Runs <paramref name="body"/> with the sweeps on or off on this thread, restoring them (on) afterwards; returns how
    /// many FusedOps calls took a sweep meanwhile.
    /// </summary>
    private static long OnPath(bool sweeps, Action body)
    {
        FusedOps.SweepsDisabled = !sweeps;
        try
        {
            return Counting(body);
        }
        finally
        {
            FusedOps.SweepsDisabled = false;
        }
    }

    /// <summary>How many FusedOps calls on this thread took a sweep while <paramref name="body"/> ran.</summary>
    private static long Counting(Action body)
    {
        var before = FusedOps.SweepsTaken;
        body();
        return FusedOps.SweepsTaken - before;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Value_equals_the_eager_version_and_the_CPU_back_end_on_each_path(string name, int rank, string dtypeName, bool sweeps)
    {
        var taken = OnPath(sweeps, () => TorchChecks.ValueMatches(TorchCase.Named(name), TorchChecks.Shape(rank), TorchChecks.Dtype(dtypeName), RepeatedIdc, seed: 7));
        AssertPathTaken(name, sweeps, forward: taken, backward: null);
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Gradients_equal_eager_autograd_on_each_path(string name, int rank, string dtypeName, bool sweeps)
    {
        long backward = 0;
        var taken = OnPath(sweeps, () => TorchChecks.GradientsMatch(
            TorchCase.Named(name), TorchChecks.Shape(rank), TorchChecks.Dtype(dtypeName), RepeatedIdc, seed: 11,
            value => backward = Counting(() => value.backward())));
        AssertPathTaken(name, sweeps, forward: taken - backward, backward);
    }

    /// <summary>
    /// Off: no sweep at all. On: the forward swept (except softmax cross-entropy's, which only sums over every axis at
    /// once, a dot no sweep does), and the backward did, counted on this thread: it runs here, so the thread-static
    /// switch reaches it when off.
    /// </summary>
    private static void AssertPathTaken(string name, bool sweeps, long forward, long? backward)
    {
        if (!sweeps)
        {
            Assert.Equal(0, forward + (backward ?? 0));
            return;
        }

        Assert.True(forward > 0 || name == "SoftmaxCrossEntropy", $"{name}: the forward took no sweep");
        Assert.True(backward is null or > 0, $"{name}: the backward took no sweep");
    }

    public static IEnumerable<object[]> Agreement() =>
        from name in Representative
        from dtype in new[] { "float32", "float64" }
        select new object[] { name, dtype };

    /// <summary>
    /// The two paths of one generated loss agree with each other on a segmentation-like problem, value and every
    /// gradient, relative to the value and to each gradient's largest element: 1e-12 in float64, 1e-5 in float32
    /// (<see cref="Sweeps.SweepChecks.Tolerance"/>). The sweeps associate differently from ATen (blocked sums
    /// accumulated in double, FMA, p·(u − Σ) for p·u − p·Σ), so the two differ by a few roundings of the largest terms:
    /// measured ≤ 2.3e-7 in float32 (two ulps) and ≤ 2.6e-16 in float64 on this input; 1e-5 leaves room for the sums
    /// over thousands of positions of larger inputs, and a wrong coefficient is off by far more.
    /// </summary>
    [Theory]
    [MemberData(nameof(Agreement))]
    public void The_sweep_path_and_the_ATen_path_agree(string name, string dtypeName)
    {
        var loss = TorchCase.Named(name);
        var dtype = TorchChecks.Dtype(dtypeName);
        var tolerance = Sweeps.SweepChecks.Tolerance(dtype);
        using var scope = NewDisposeScope();
        var inputs = SegmentationInputs(loss, dtype);
        var (swept, sweptGradients, sweptTaken) = ValueAndGradients(loss, inputs, sweeps: true);
        var (aten, atenGradients, atenTaken) = ValueAndGradients(loss, inputs, sweeps: false);
        Assert.True(sweptTaken > 0, $"{name}: the sweep path took no sweep");
        Assert.Equal(0, atenTaken);
        Assert.True(Math.Abs(swept - aten) <= tolerance * Math.Abs(aten), $"{name}: sweeps {swept:R}, ATen {aten:R}");
        for (var i = 0; i < inputs.Length; i++)
        {
            Sweeps.SweepChecks.AssertClose(atenGradients[i], sweptGradients[i], tolerance, $"{name} ∂/∂{loss.Fields[i]}");
        }
    }

    private static (double Value, Tensor[] Gradients, long Taken) ValueAndGradients(TorchCase loss, Tensor[] inputs, bool sweeps)
    {
        var leaves = inputs.Select(t => t.detach().clone().requires_grad_(true)).ToArray();
        var value = 0.0;
        var taken = OnPath(sweeps, () =>
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
