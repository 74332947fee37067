using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using System.Numerics.Tensors;
using Tensor = TorchSharp.torch.Tensor;
using L = LossDsl.SegmentationLosses;

namespace LossDsl.Tests.Losses;

/// <summary>
/// Every built-in loss as called on a fixture: one key per entry of expected.json (plus the FromLogits forms the
/// reference script does not list, which must equal their probability forms on softmax inputs). The same call is
/// written for the CPU back end (value and gradient with respect to the prediction) and TorchSharp.
/// </summary>
internal static class Builtins
{
    private const double Gamma = 2.0;
    private const double TverskyAlpha = 0.3;
    private const double TverskyBeta = 0.7;
    private const double Alpha = 0.25;

    /// <summary>Key → (the expected.json entry it must equal, whether the prediction is logits).</summary>
    public static readonly IReadOnlyDictionary<string, (string Expected, bool Logits)> Keys = new Dictionary<string, (string, bool)>
    {
        ["Boundary"] = ("Boundary", false),
        ["BoundaryFromLogits"] = ("BoundaryFromLogits", true),
        ["CrossEntropy"] = ("CrossEntropy", false),
        ["CrossEntropyForeground"] = ("CrossEntropyForeground", false),
        ["CrossEntropyFromLogits"] = ("CrossEntropyFromLogits", true),
        ["Focal"] = ("Focal", false),
        ["FocalFromLogits"] = ("FocalFromLogits", true),
        ["Dice"] = ("Dice", false),
        ["DiceFromLogits"] = ("DiceFromLogits", true),
        ["GeneralizedDice"] = ("GeneralizedDice", false),
        ["GeneralizedDiceForeground"] = ("GeneralizedDiceForeground", false),
        ["GeneralizedDiceFromLogits"] = ("GeneralizedDiceFromLogits", true),
        ["GeneralizedDiceMonai"] = ("GeneralizedDiceMonai", false),
        ["GeneralizedDiceMonaiForeground"] = ("GeneralizedDiceMonaiForeground", false),
        ["GeneralizedDiceMonaiFromLogits"] = ("GeneralizedDiceMonai", true),
        ["Tversky"] = ("Tversky", false),
        ["TverskyFromLogits"] = ("TverskyFromLogits", true),
        ["HausdorffDT"] = ("HausdorffDT", false),
        ["HausdorffDTFromLogits"] = ("HausdorffDT", true),
        ["GdlBoundary"] = ("GdlBoundary", false),
        ["GdlBoundaryFromLogits"] = ("GdlBoundary", true),
        ["CrossEntropyBoundary"] = ("CrossEntropyBoundary", false),
        ["CrossEntropyBoundaryFromLogits"] = ("CrossEntropyBoundaryFromLogits", true),
        ["DiceCrossEntropy"] = ("DiceCrossEntropy", false),
        ["DiceCrossEntropyFromLogits"] = ("DiceCrossEntropyFromLogits", true),
    };

    public static IEnumerable<object[]> Matrix() =>
        from c in LossFixture.Cases
        from k in Keys.Keys
        select new object[] { c, k };

    public static T Cpu<T>(string key, CpuInputs<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
        => key switch
        {
            "Boundary" => L.BoundaryCpu(x.P, x.D, x.Fg),
            "BoundaryFromLogits" => L.BoundaryFromLogitsCpu(x.Z, x.D, x.Fg),
            "CrossEntropy" => L.CrossEntropyCpu(x.P, x.Y, x.All),
            "CrossEntropyForeground" => L.CrossEntropyCpu(x.P, x.Y, x.Fg),
            "CrossEntropyFromLogits" => L.CrossEntropyFromLogitsCpu(x.Z, x.Y, x.All),
            "Focal" => L.FocalCpu(x.P, x.Y, x.All, Gamma),
            "FocalFromLogits" => L.FocalFromLogitsCpu(x.Z, x.Y, x.All, Gamma),
            "Dice" => L.DiceCpu(x.P, x.Y, x.Fg),
            "DiceFromLogits" => L.DiceFromLogitsCpu(x.Z, x.Y, x.Fg),
            "GeneralizedDice" => L.GeneralizedDiceCpu(x.P, x.Y, x.All),
            "GeneralizedDiceForeground" => L.GeneralizedDiceCpu(x.P, x.Y, x.Fg),
            "GeneralizedDiceFromLogits" => L.GeneralizedDiceFromLogitsCpu(x.Z, x.Y, x.All),
            "GeneralizedDiceMonai" => L.GeneralizedDiceMonaiCpu(x.P, x.Y, x.All),
            "GeneralizedDiceMonaiForeground" => L.GeneralizedDiceMonaiCpu(x.P, x.Y, x.Fg),
            "GeneralizedDiceMonaiFromLogits" => L.GeneralizedDiceMonaiFromLogitsCpu(x.Z, x.Y, x.All),
            "Tversky" => L.TverskyCpu(x.P, x.Y, x.Fg, TverskyAlpha, TverskyBeta),
            "TverskyFromLogits" => L.TverskyFromLogitsCpu(x.Z, x.Y, x.Fg, TverskyAlpha, TverskyBeta),
            "HausdorffDT" => L.HausdorffDTCpu(x.P, x.Y, x.DT, x.DP, x.Fg),
            "HausdorffDTFromLogits" => L.HausdorffDTFromLogitsCpu(x.Z, x.Y, x.DT, x.DP, x.Fg),
            "GdlBoundary" => L.GdlBoundaryCpu(x.P, x.Y, x.D, x.Fg, Alpha),
            "GdlBoundaryFromLogits" => L.GdlBoundaryFromLogitsCpu(x.Z, x.Y, x.D, x.Fg, Alpha),
            "CrossEntropyBoundary" => L.CrossEntropyBoundaryCpu(x.P, x.Y, x.D, x.Fg, Alpha),
            "CrossEntropyBoundaryFromLogits" => L.CrossEntropyBoundaryFromLogitsCpu(x.Z, x.Y, x.D, x.Fg, Alpha),
            "DiceCrossEntropy" => L.DiceCrossEntropyCpu(x.P, x.Y, x.All),
            "DiceCrossEntropyFromLogits" => L.DiceCrossEntropyFromLogitsCpu(x.Z, x.Y, x.All),
            _ => throw new ArgumentException($"Unknown loss key {key}.", nameof(key)),
        };

    /// <summary>The value, writing ∂L/∂(prediction) into <paramref name="g"/> (other gradients not wanted).</summary>
    public static T CpuGradient<T>(string key, CpuInputs<T> x, TensorSpan<T> g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorSpan<T> none = default;
        return key switch
        {
            "Boundary" => L.BoundaryCpuGradient(x.P, x.D, g, none, x.Fg),
            "BoundaryFromLogits" => L.BoundaryFromLogitsCpuGradient(x.Z, x.D, g, none, x.Fg),
            "CrossEntropy" => L.CrossEntropyCpuGradient(x.P, x.Y, g, none, x.All),
            "CrossEntropyForeground" => L.CrossEntropyCpuGradient(x.P, x.Y, g, none, x.Fg),
            "CrossEntropyFromLogits" => L.CrossEntropyFromLogitsCpuGradient(x.Z, x.Y, g, none, x.All),
            "Focal" => L.FocalCpuGradient(x.P, x.Y, g, none, x.All, Gamma),
            "FocalFromLogits" => L.FocalFromLogitsCpuGradient(x.Z, x.Y, g, none, x.All, Gamma),
            "Dice" => L.DiceCpuGradient(x.P, x.Y, g, none, x.Fg),
            "DiceFromLogits" => L.DiceFromLogitsCpuGradient(x.Z, x.Y, g, none, x.Fg),
            "GeneralizedDice" => L.GeneralizedDiceCpuGradient(x.P, x.Y, g, none, x.All),
            "GeneralizedDiceForeground" => L.GeneralizedDiceCpuGradient(x.P, x.Y, g, none, x.Fg),
            "GeneralizedDiceFromLogits" => L.GeneralizedDiceFromLogitsCpuGradient(x.Z, x.Y, g, none, x.All),
            "GeneralizedDiceMonai" => L.GeneralizedDiceMonaiCpuGradient(x.P, x.Y, g, none, x.All),
            "GeneralizedDiceMonaiForeground" => L.GeneralizedDiceMonaiCpuGradient(x.P, x.Y, g, none, x.Fg),
            "GeneralizedDiceMonaiFromLogits" => L.GeneralizedDiceMonaiFromLogitsCpuGradient(x.Z, x.Y, g, none, x.All),
            "Tversky" => L.TverskyCpuGradient(x.P, x.Y, g, none, x.Fg, TverskyAlpha, TverskyBeta),
            "TverskyFromLogits" => L.TverskyFromLogitsCpuGradient(x.Z, x.Y, g, none, x.Fg, TverskyAlpha, TverskyBeta),
            "HausdorffDT" => L.HausdorffDTCpuGradient(x.P, x.Y, x.DT, x.DP, g, none, none, none, x.Fg),
            "HausdorffDTFromLogits" => L.HausdorffDTFromLogitsCpuGradient(x.Z, x.Y, x.DT, x.DP, g, none, none, none, x.Fg),
            "GdlBoundary" => L.GdlBoundaryCpuGradient(x.P, x.Y, x.D, g, none, none, x.Fg, Alpha),
            "GdlBoundaryFromLogits" => L.GdlBoundaryFromLogitsCpuGradient(x.Z, x.Y, x.D, g, none, none, x.Fg, Alpha),
            "CrossEntropyBoundary" => L.CrossEntropyBoundaryCpuGradient(x.P, x.Y, x.D, g, none, none, x.Fg, Alpha),
            "CrossEntropyBoundaryFromLogits" => L.CrossEntropyBoundaryFromLogitsCpuGradient(x.Z, x.Y, x.D, g, none, none, x.Fg, Alpha),
            "DiceCrossEntropy" => L.DiceCrossEntropyCpuGradient(x.P, x.Y, g, none, x.All),
            "DiceCrossEntropyFromLogits" => L.DiceCrossEntropyFromLogitsCpuGradient(x.Z, x.Y, g, none, x.All),
            _ => throw new ArgumentException($"Unknown loss key {key}.", nameof(key)),
        };
    }

    public static Tensor Torch(string key, TorchInputs x) => key switch
    {
        "Boundary" => L.Boundary(x.P, x.D, x.Fg),
        "BoundaryFromLogits" => L.BoundaryFromLogits(x.Z, x.D, x.Fg),
        "CrossEntropy" => L.CrossEntropy(x.P, x.Y, x.All),
        "CrossEntropyForeground" => L.CrossEntropy(x.P, x.Y, x.Fg),
        "CrossEntropyFromLogits" => L.CrossEntropyFromLogits(x.Z, x.Y, x.All),
        "Focal" => L.Focal(x.P, x.Y, x.All, Gamma),
        "FocalFromLogits" => L.FocalFromLogits(x.Z, x.Y, x.All, Gamma),
        "Dice" => L.Dice(x.P, x.Y, x.Fg),
        "DiceFromLogits" => L.DiceFromLogits(x.Z, x.Y, x.Fg),
        "GeneralizedDice" => L.GeneralizedDice(x.P, x.Y, x.All),
        "GeneralizedDiceForeground" => L.GeneralizedDice(x.P, x.Y, x.Fg),
        "GeneralizedDiceFromLogits" => L.GeneralizedDiceFromLogits(x.Z, x.Y, x.All),
        "GeneralizedDiceMonai" => L.GeneralizedDiceMonai(x.P, x.Y, x.All),
        "GeneralizedDiceMonaiForeground" => L.GeneralizedDiceMonai(x.P, x.Y, x.Fg),
        "GeneralizedDiceMonaiFromLogits" => L.GeneralizedDiceMonaiFromLogits(x.Z, x.Y, x.All),
        "Tversky" => L.Tversky(x.P, x.Y, x.Fg, TverskyAlpha, TverskyBeta),
        "TverskyFromLogits" => L.TverskyFromLogits(x.Z, x.Y, x.Fg, TverskyAlpha, TverskyBeta),
        "HausdorffDT" => L.HausdorffDT(x.P, x.Y, x.DT, x.DP, x.Fg),
        "HausdorffDTFromLogits" => L.HausdorffDTFromLogits(x.Z, x.Y, x.DT, x.DP, x.Fg),
        "GdlBoundary" => L.GdlBoundary(x.P, x.Y, x.D, x.Fg, Alpha),
        "GdlBoundaryFromLogits" => L.GdlBoundaryFromLogits(x.Z, x.Y, x.D, x.Fg, Alpha),
        "CrossEntropyBoundary" => L.CrossEntropyBoundary(x.P, x.Y, x.D, x.Fg, Alpha),
        "CrossEntropyBoundaryFromLogits" => L.CrossEntropyBoundaryFromLogits(x.Z, x.Y, x.D, x.Fg, Alpha),
        "DiceCrossEntropy" => L.DiceCrossEntropy(x.P, x.Y, x.All),
        "DiceCrossEntropyFromLogits" => L.DiceCrossEntropyFromLogits(x.Z, x.Y, x.All),
        _ => throw new ArgumentException($"Unknown loss key {key}.", nameof(key)),
    };

    /// <summary>|actual − expected| ≤ relative·|expected| + absolute.</summary>
    public static bool Close(double actual, double expected, double relative, double absolute)
        => Math.Abs(actual - expected) <= (relative * Math.Abs(expected)) + absolute;
}
