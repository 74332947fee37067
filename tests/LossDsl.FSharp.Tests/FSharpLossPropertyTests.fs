/// FsCheck properties over random shapes (2D and 3D, several batch and class counts) for losses declared in F#: the
/// kit's properties (CPU equals TorchSharp, gradient equals finite differences, minimum at the ground truth), and the
/// F# losses against the built-ins they re-declare. Fixed seeds (Replay), so a run is reproducible.
module LossDsl.FSharp.Tests.FSharpLossPropertyTests

open FsCheck.Xunit
open LossDsl
open LossDsl.Testing
open LossDsl.FSharp

let private foreground (shape: int[]) = [| 1 .. shape.[1] - 1 |]

/// An F# compiled loss as the kit's LossUnderTest: class list = the foreground classes, then the given hypers.
let private underTest (loss: CompiledLoss) (roles: FieldRole[]) (hypers: obj list) =
    let args shape = List.toArray (box (foreground shape) :: hypers)
    LossUnderTest(
        loss.Name + " (declared in F#)",
        roles,
        (fun (f: float[][]) shape -> loss.Cpu<float>(f |> Array.map (fun d -> FieldArray<float>(d, shape)), args shape)),
        (fun (f: float[][]) shape (g: float[][]) ->
            loss.CpuGradient<float>(f |> Array.map (fun d -> FieldArray<float>(d, shape)), g |> Array.map (fun d -> FieldArray<float>(d, shape)), args shape)),
        (fun (t: TorchSharp.torch.Tensor[]) -> loss.Torch(t, args (t.[0].shape |> Array.map int))))

let private tversky = underTest DeclaredLosses.tversky [| FieldRole.Probabilities; FieldRole.Target |] [ box 0.3; box 0.7 ]
let private gdlBoundary = underTest DeclaredLosses.gdlBoundary [| FieldRole.Probabilities; FieldRole.Target; FieldRole.SignedDistance |] [ box 0.25 ]
let private composed = underTest DeclaredLosses.gdlPlusBoundaryOfBuiltins [| FieldRole.Probabilities; FieldRole.Target; FieldRole.SignedDistance |] [ box 0.25 ]

[<Property(MaxTest = 25, Replay = "(1234567,7654321)")>]
let ``F# Tversky: CPU equals TorchSharp`` () = LossProperties.CpuMatchesTorch tversky

[<Property(MaxTest = 25, Replay = "(1234568,7654323)")>]
let ``F# Tversky: gradient equals finite differences`` () = LossProperties.GradientMatchesFiniteDifferences tversky

[<Property(MaxTest = 25, Replay = "(1234569,7654323)")>]
let ``F# Tversky: minimum at the ground truth`` () = LossProperties.MinimumAtGroundTruth tversky

[<Property(MaxTest = 25, Replay = "(1234570,7654325)")>]
let ``F# GdlBoundary: gradient equals finite differences`` () = LossProperties.GradientMatchesFiniteDifferences gdlBoundary

[<Property(MaxTest = 25, Replay = "(1234571,7654325)")>]
let ``F# loss composed of built-ins: CPU equals TorchSharp`` () = LossProperties.CpuMatchesTorch composed

[<Property(MaxTest = 25, Replay = "(1234572,7654327)")>]
let ``F# GdlBoundary has the bits of the built-in for any shape`` () =
    LossProperties.ForAll(SampleOptions.Default, fun sample ->
        let shape = sample.Shape.Dims
        let fields = [| sample.Probabilities; sample.Target; sample.Distance |] |> Array.map (fun d -> FieldArray<float>(d, shape))
        let grads () = Array.init 3 (fun _ -> FieldArray<float>.Zeros shape)
        let expectedGrads, actualGrads = grads (), grads ()
        let idc = foreground shape
        let expected = SegmentationLosses.GdlBoundaryCpuGradient<float>(fields.[0], fields.[1], fields.[2], expectedGrads.[0], expectedGrads.[1], expectedGrads.[2], idc, 0.25)
        let actual = DeclaredLosses.gdlBoundary.CpuGradient<float>(fields, actualGrads, idc, 0.25)
        if expected <> actual || Array.exists2 (fun (e: FieldArray<float>) (a: FieldArray<float>) -> e.Data <> a.Data) expectedGrads actualGrads then
            failwithf "GdlBoundary: F# %g, built-in %g" actual expected)

[<Property(MaxTest = 25, Replay = "(1234573,7654327)")>]
let ``F# loss composed of built-ins equals the built-in combination`` () =
    LossProperties.ForAll(SampleOptions.Default, fun sample ->
        let shape = sample.Shape.Dims
        let fields = [| sample.Probabilities; sample.Target; sample.Distance |] |> Array.map (fun d -> FieldArray<float>(d, shape))
        let idc = foreground shape
        let expected = SegmentationLosses.GdlBoundaryCpu<float>(fields.[0], fields.[1], fields.[2], idc, 0.25)
        let actual = DeclaredLosses.gdlPlusBoundaryOfBuiltins.Cpu<float>(fields, idc, 0.25)
        if System.Math.Abs(expected - actual) > 1e-12 * (1.0 + System.Math.Abs expected) then
            failwithf "composed: %g, built-in GdlBoundary %g" actual expected)

[<Property(MaxTest = 25, Replay = "(1234574,7654329)")>]
let ``F# losses over spans equal the FieldArray entry`` () =
    LossProperties.ForAll(SampleOptions.Default, fun sample ->
        let shape = sample.Shape.Dims
        let p, y = FieldArray<float>(sample.Probabilities, shape), FieldArray<float>(sample.Target, shape)
        let idc = foreground shape
        let viaArrays = DeclaredLosses.dice.Cpu<float>([| p; y |], idc)
        let gp = FieldArray<float>.Zeros shape
        let viaSpans = DeclaredLosses.dice.CpuSpanGradient(p.AsReadOnlyTensorSpan(), y.AsReadOnlyTensorSpan(), gp.AsTensorSpan(), FieldArray<float>.NotWanted(), box idc)
        if viaArrays <> viaSpans || viaSpans <> DeclaredLosses.dice.CpuSpan(p.AsReadOnlyTensorSpan(), y.AsReadOnlyTensorSpan(), box idc) then
            failwithf "spans %g, arrays %g" viaSpans viaArrays)
