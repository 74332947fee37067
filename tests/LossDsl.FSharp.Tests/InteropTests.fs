/// The runtime API from F#: arrays in, arrays out; FsCheck properties in F# style over the kit's generators.
module LossDsl.FSharp.Tests.InteropTests

open System
open FsCheck
open FsCheck.FSharp
open FsCheck.Xunit
open LossDsl
open LossDsl.Distance
open LossDsl.Testing
open LossDsl.Tests.Losses
open LossDsl.Utilities
open TorchSharp
open Kit

let samples = LossGen.SampleArbitrary SampleOptions.Default

[<Property(MaxTest = 100)>]
let ``Dice of a simplex prediction lies in [0, 1] and is 0 at the ground truth`` () =
    Prop.forAll samples (fun sample ->
        let shape = sample.Shape.Dims
        let dice (p: float[]) = SegmentationLosses.DiceCpu((field p shape).AsReadOnlyTensorSpan(), (field sample.Target shape).AsReadOnlyTensorSpan(), foreground shape)
        let atP, atY = dice sample.Probabilities, dice sample.Target
        (atP >= -1e-12 && atP <= 1.0 + 1e-12 && abs atY < 1e-9)
        |> Prop.label $"Dice(p) = {atP}, Dice(y) = {atY} for {sample}")

[<Property(MaxTest = 60)>]
let ``float32 and float64 CPU losses agree`` () =
    Prop.forAll samples (fun sample ->
        let shape = sample.Shape.Dims
        let single (a: float[]) = FieldArray<float32>(Array.map float32 a, shape)
        let idc = foreground shape
        let inDouble = CustomLosses.SquaredDiceCpu((field sample.Probabilities shape).AsReadOnlyTensorSpan(), (field sample.Target shape).AsReadOnlyTensorSpan(), idc)
        let inSingle = CustomLosses.SquaredDiceCpu((single sample.Probabilities).AsReadOnlyTensorSpan(), (single sample.Target).AsReadOnlyTensorSpan(), idc)
        (close 1e-4 inDouble (float inSingle)) |> Prop.label $"float64 {inDouble} vs float32 {inSingle}")

[<Property(MaxTest = 60)>]
let ``the TorchSharp custom loss equals its CPU form`` () =
    Prop.forAll samples (fun sample ->
        let shape = sample.Shape.Dims
        use scope = torch.NewDisposeScope()
        let tensorOf (a: float[]) = (field a shape).ToTensor()
        let viaTorch = CustomLosses.SquaredDice(tensorOf sample.Probabilities, tensorOf sample.Target, foreground shape).item<float>()
        let onCpu = CustomLosses.SquaredDiceCpu((field sample.Probabilities shape).AsReadOnlyTensorSpan(), (field sample.Target shape).AsReadOnlyTensorSpan(), foreground shape)
        (close 1e-10 viaTorch onCpu) |> Prop.label $"TorchSharp {viaTorch} vs CPU {onCpu}")

[<Property(MaxTest = 60)>]
let ``the gradient through FieldArray equals TorchSharp autograd`` () =
    Prop.forAll samples (fun sample ->
        let shape = sample.Shape.Dims
        let gradient = FieldArray<float>.Zeros shape
        CustomLosses.SquaredDiceCpuGradient(
            (field sample.Probabilities shape).AsReadOnlyTensorSpan(), (field sample.Target shape).AsReadOnlyTensorSpan(),
            gradient.AsTensorSpan(), FieldArray<float>.NotWanted(), foreground shape) |> ignore
        use scope = torch.NewDisposeScope()
        let p = (field sample.Probabilities shape).ToTensor(requiresGrad = true)
        let y = (field sample.Target shape).ToTensor()
        CustomLosses.SquaredDice(p, y, foreground shape).backward()
        let expected = p.grad.data<float>().ToArray()
        let scale = expected |> Array.map abs |> Array.fold max 1e-300
        Array.forall2 (fun (a: float) b -> abs (a - b) <= 1e-9 * scale) gradient.Data expected
        |> Prop.label "CPU gradient (FieldArray) ≠ autograd gradient")

[<Property(MaxTest = 100)>]
let ``labels to one-hot and back through the array API`` () =
    Prop.forAll samples (fun sample ->
        let shape = sample.Shape
        let oneHot = OneHot.FromLabels(sample.Labels, shape.LabelDims, shape.Classes)
        let back = OneHot.Argmax(Array.map float32 oneHot, shape.Dims)
        back = sample.Labels |> Prop.label "argmax(one_hot(labels)) ≠ labels")

[<Property(MaxTest = 100)>]
let ``softmax of any generated logits is a simplex`` () =
    Prop.forAll samples (fun sample ->
        use scope = torch.NewDisposeScope()
        let logits = (field sample.Logits sample.Shape.Dims).ToTensor()
        Simplex.Check(torch.softmax(logits, 1), 1e-12)
        true)

[<Property(MaxTest = 100)>]
let ``signed distances are non-positive exactly on the objects of non-trivial classes`` () =
    Prop.forAll samples (fun sample ->
        let shape = sample.Shape
        let maps = SignedDistance.FromLabels(sample.Labels, shape.LabelDims, shape.Classes)
        [ for b in 0 .. shape.Batch - 1 do
            for k in 0 .. shape.Classes - 1 do
                let size = sample.ObjectSize(b, k)
                if size > 0 && size < shape.Plane then
                    for x in 0 .. shape.Plane - 1 do
                        let i = shape.Index(b, k, x)
                        yield (sample.Target.[i] = 1.0) = (maps.[i] <= 0.0f) ]
        |> List.forall id)

/// The kit's generators compose with F#'s gen { } builder.
let shapesAndLabels =
    gen {
        let! shape = LossGen.Shapes(SampleOptions.Default.WithRanks(2))
        let! labels = LossGen.Labels(shape, SampleOptions.Default)
        return shape, labels
    }

[<Property(MaxTest = 100)>]
let ``generated labels stay within the classes and one-hot encodes them`` () =
    Prop.forAll (Arb.fromGen shapesAndLabels) (fun (shape, labels) ->
        let oneHot = LossGen.OneHot(shape, labels)
        labels |> Array.forall (fun k -> k >= 0 && k < shape.Classes)
        && Array.sum oneHot = float (shape.Batch * shape.Plane))

[<Property(MaxTest = 30)>]
let ``FieldArray converts implicitly where a generated entry point wants a span`` () =
    Prop.forAll samples (fun sample ->
        let shape = sample.Shape.Dims
        let p, d = field sample.Probabilities shape, field sample.Distance shape
        let implicitly = SegmentationLosses.BoundaryCpu<float>(p, d, foreground shape)
        let explicitly = SegmentationLosses.BoundaryCpu(p.AsReadOnlyTensorSpan(), d.AsReadOnlyTensorSpan(), foreground shape)
        implicitly = explicitly)

/// The loss-under-test example of docs/fsharp.md, as written there.
let tverskyAsDocumented =
    LossUnderTest(
        "Tversky",
        [| FieldRole.Probabilities; FieldRole.Target |],
        (fun (f: float[][]) shape ->
            CustomLosses.TverskyCpu<float>(FieldArray<float>(f.[0], shape), FieldArray<float>(f.[1], shape), [| 1 .. shape.[1] - 1 |])),
        (fun (f: float[][]) shape (g: float[][]) ->
            CustomLosses.TverskyCpuGradient<float>(FieldArray<float>(f.[0], shape), FieldArray<float>(f.[1], shape),
                                                   FieldArray<float>(g.[0], shape), FieldArray<float>(g.[1], shape), [| 1 .. shape.[1] - 1 |])),
        (fun (t: TorchSharp.torch.Tensor[]) -> CustomLosses.Tversky(t.[0], t.[1], [| 1 .. int t.[0].shape.[1] - 1 |])))

[<Property(MaxTest = 30)>]
let ``the documented F# loss adapter passes the gradient check`` () = LossProperties.GradientMatchesFiniteDifferences tverskyAsDocumented
