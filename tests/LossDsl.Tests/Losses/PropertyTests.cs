using System;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;
using L = LossDsl.SegmentationLosses;

namespace LossDsl.Tests.Losses;

/// <summary>
/// Properties of the built-in losses over random segmentations (CPU back end, float64). Each case comes from one
/// integer seed; a failure prints it, and <c>RandomSegmentation.From(seed)</c> replays it.
/// </summary>
public sealed class PropertyTests
{
    [Property(MaxTest = 150)]
    public Property Boundary_is_minimal_at_the_ground_truth(int seed)
    {
        var c = RandomSegmentation.From(seed);
        double atTruth = L.BoundaryCpu(c.Span(c.Target), c.Span(c.Dist), c.Idc);
        double atProbs = L.BoundaryCpu(c.Span(c.Probs), c.Span(c.Dist), c.Idc);
        return (atTruth <= atProbs + 1e-12 && atTruth <= 1e-12).Label($"{c}: L(y) = {atTruth:R}, L(p) = {atProbs:R}");
    }

    [Property(MaxTest = 150)]
    public Property Dice_Tversky_and_generalized_Dice_lie_in_0_1(int seed)
    {
        var c = RandomSegmentation.From(seed);
        var p = c.Span(c.Probs);
        var y = c.Span(c.Target);
        var values = new[]
        {
            ("Dice", L.DiceCpu(p, y, c.Idc)),
            ("GeneralizedDice", L.GeneralizedDiceCpu(p, y, c.Idc)),
            ("GeneralizedDiceMonai", L.GeneralizedDiceMonaiCpu(p, y, c.Idc)),
            ("Tversky", L.TverskyCpu(p, y, c.Idc)),
        };
        var bad = values.Where(v => !(v.Item2 >= -1e-12 && v.Item2 <= 1 + 1e-12)).ToArray();
        return (bad.Length == 0).Label($"{c}: {string.Join(", ", bad.Select(v => $"{v.Item1} = {v.Item2:R}"))}");
    }

    [Property(MaxTest = 150)]
    public Property Cross_entropy_focal_and_Hausdorff_are_non_negative(int seed)
    {
        var c = RandomSegmentation.From(seed);
        var p = c.Span(c.Probs);
        var y = c.Span(c.Target);
        double ce = L.CrossEntropyCpu(p, y, c.Idc);
        double focal = L.FocalCpu(p, y, c.Idc, 2.0);
        double hd = L.HausdorffDTCpu(p, y, c.Span(c.DistTarget), c.Span(c.DistPrediction), c.Idc);
        return (ce >= 0 && focal >= 0 && focal <= ce + 1e-12 && hd >= 0).Label($"{c}: CE {ce:R}, focal {focal:R}, HD-DT {hd:R}");
    }

    [Property(MaxTest = 100)]
    public Property Mean_losses_are_invariant_under_batch_permutation(int seed)
    {
        var c = RandomSegmentation.From(seed);
        var order = Enumerable.Range(0, c.B).OrderBy(_ => new Random(seed).Next()).Reverse().ToArray();
        double[] Values(Func<double[], double[]> f)
        {
            var p = c.Span(f(c.Probs));
            var y = c.Span(f(c.Target));
            var d = c.Span(f(c.Dist));
            return new[]
            {
                L.BoundaryCpu(p, d, c.Idc),
                L.CrossEntropyCpu(p, y, c.Idc),
                L.FocalCpu(p, y, c.Idc, 2.0),
                L.DiceCpu(p, y, c.Idc),
                L.GeneralizedDiceCpu(p, y, c.Idc),
                L.GeneralizedDiceMonaiCpu(p, y, c.Idc),
                L.TverskyCpu(p, y, c.Idc),
                L.HausdorffDTCpu(p, y, c.Span(f(c.DistTarget)), c.Span(f(c.DistPrediction)), c.Idc),
                L.GdlBoundaryCpu(p, y, d, c.Idc, 0.3),
                L.DiceCrossEntropyCpu(p, y, c.Idc),
            };
        }

        var before = Values(x => x);
        var after = Values(x => c.Permute(x, order));
        var differ = Enumerable.Range(0, before.Length).Where(i => !Builtins.Close(after[i], before[i], 1e-12, 1e-14)).ToArray();
        return (differ.Length == 0).Label($"{c}, order [{string.Join(", ", order)}]: losses {string.Join(", ", differ)} changed");
    }

    [Property(MaxTest = 60)]
    public Property Gradients_equal_finite_differences(int seed, PositiveInt pick)
    {
        var c = RandomSegmentation.From(seed);
        var keys = Builtins.Keys.Keys.Where(k => !Builtins.Keys[k].Logits).ToArray();
        string key = keys[pick.Get % keys.Length];
        var x = new CpuInputs<double>(c.NShape, c.Idc, c.Idc, c.Probs, c.Probs, c.Target, c.Dist, c.DistTarget, c.DistPrediction);
        var g = new double[c.Probs.Length];
        Builtins.CpuGradient(key, x, new System.Numerics.Tensors.TensorSpan<double>(g, c.NShape));
        double scale = g.Max(Math.Abs);
        var rng = new Random(seed);
        for (int n = 0; n < 6; n++)
        {
            int i = rng.Next(g.Length);
            var moved = (double[])c.Probs.Clone();
            const double h = 1e-6;
            moved[i] += h;
            double up = Builtins.Cpu(key, x.WithPrediction(moved));
            moved[i] -= 2 * h;
            double down = Builtins.Cpu(key, x.WithPrediction(moved));
            double fd = (up - down) / (2 * h);
            if (!(Math.Abs(fd - g[i]) <= (1e-5 * scale) + 1e-8))
            {
                return false.Label($"{c}, {key}, element {i}: analytic {g[i]:R}, finite difference {fd:R}");
            }
        }

        return true.Label(key);
    }
}
