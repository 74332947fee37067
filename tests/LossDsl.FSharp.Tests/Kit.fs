/// The F# side of the property kit: losses wrapped as LossUnderTest, small helpers.
module LossDsl.FSharp.Tests.Kit

open System
open LossDsl
open LossDsl.Testing
open LossDsl.Tests.Losses

/// The foreground classes 1…C−1 for a shape (B, C, *spatial).
let foreground (shape: int[]) = [| 1 .. shape.[1] - 1 |]

/// A field array from a kit field and its shape.
let field (data: float[]) (shape: int[]) = FieldArray<float>(data, shape)

/// A built-in loss through arrays: F# closures cannot hold ReadOnlyTensorSpan, FieldArray can.
let boundary =
    LossUnderTest(
        "Boundary (F#)",
        [| FieldRole.Probabilities; FieldRole.SignedDistance |],
        (fun (f: float[][]) shape ->
            SegmentationLosses.BoundaryCpu((field f.[0] shape).AsReadOnlyTensorSpan(), (field f.[1] shape).AsReadOnlyTensorSpan(), foreground shape)),
        (fun (f: float[][]) shape (g: float[][]) ->
            SegmentationLosses.BoundaryCpuGradient(
                (field f.[0] shape).AsReadOnlyTensorSpan(), (field f.[1] shape).AsReadOnlyTensorSpan(),
                (field g.[0] shape).AsTensorSpan(), (field g.[1] shape).AsTensorSpan(), foreground shape)),
        (fun (t: TorchSharp.torch.Tensor[]) -> SegmentationLosses.Boundary(t.[0], t.[1], foreground (t.[0].shape |> Array.map int))))

/// The built-in generalized Dice through the span-delegate helper (F# lambdas convert to the SpanLoss delegates).
let generalizedDice =
    LossUnderTest.FromSpans(
        "GeneralizedDice (F#)", FieldRole.Probabilities, FieldRole.Target,
        SpanLoss2(fun p y -> SegmentationLosses.GeneralizedDiceCpu(p, y, [| 1 .. int p.Lengths.[1] - 1 |])),
        SpanLossGradient2(fun p y gp gy -> SegmentationLosses.GeneralizedDiceCpuGradient(p, y, gp, gy, [| 1 .. int p.Lengths.[1] - 1 |])),
        (fun p y -> SegmentationLosses.GeneralizedDice(p, y, foreground (p.shape |> Array.map int))))

/// A custom loss declared in C# (LossDsl.Tests.Losses), generated CPU and TorchSharp forms.
let tversky =
    LossUnderTest(
        "Tversky (custom, F#)",
        [| FieldRole.Probabilities; FieldRole.Target |],
        (fun (f: float[][]) shape ->
            CustomLosses.TverskyCpu((field f.[0] shape).AsReadOnlyTensorSpan(), (field f.[1] shape).AsReadOnlyTensorSpan(), foreground shape, 0.4, 0.6)),
        (fun (f: float[][]) shape (g: float[][]) ->
            CustomLosses.TverskyCpuGradient(
                (field f.[0] shape).AsReadOnlyTensorSpan(), (field f.[1] shape).AsReadOnlyTensorSpan(),
                (field g.[0] shape).AsTensorSpan(), (field g.[1] shape).AsTensorSpan(), foreground shape, 0.4, 0.6)),
        (fun (t: TorchSharp.torch.Tensor[]) -> CustomLosses.Tversky(t.[0], t.[1], foreground (t.[0].shape |> Array.map int), 0.4, 0.6)))

/// A composite custom loss with three fields.
let tverskyBoundary =
    LossUnderTest.FromSpans(
        "TverskyBoundary (custom, F#)", FieldRole.Probabilities, FieldRole.Target, FieldRole.SignedDistance,
        SpanLoss3(fun p y d -> CustomLosses.TverskyBoundaryCpu(p, y, d, [| 1 .. int p.Lengths.[1] - 1 |], 0.25)),
        SpanLossGradient3(fun p y d gp gy gd -> CustomLosses.TverskyBoundaryCpuGradient(p, y, d, gp, gy, gd, [| 1 .. int p.Lengths.[1] - 1 |], 0.25)),
        (fun p y d -> CustomLosses.TverskyBoundary(p, y, d, foreground (p.shape |> Array.map int), 0.25)))

/// Relative closeness.
let close tolerance (a: float) (b: float) = abs (a - b) <= tolerance * max 1.0 (max (abs a) (abs b))
