/// Every built-in loss re-declared in F# (DeclaredLosses) computes what the built-in computes: the same bits on the
/// CPU back end (float and double, value and every gradient), and the same through TorchSharp.
module LossDsl.FSharp.Tests.BuiltinEquivalenceTests

open System
open System.Reflection
open Xunit
open LossDsl
open LossDsl.FSharp
open TorchSharp
open LossDsl.FSharp.Tests.Inputs

// Spelled out rather than read from DeclaredLosses.all: test discovery reads this list, and must not compile the
// losses (CompileTiming measures a first compile in a process where nothing has compiled yet).
let names : obj[] seq =
    [ "Boundary"; "BoundaryFromLogits"; "CrossEntropy"; "CrossEntropyFromLogits"; "Focal"; "FocalFromLogits"; "Dice"
      "DiceFromLogits"; "GeneralizedDice"; "GeneralizedDiceFromLogits"; "GeneralizedDiceMonai"; "GeneralizedDiceMonaiFromLogits"
      "Tversky"; "TverskyFromLogits"; "GdlBoundary"; "GdlBoundaryFromLogits"; "CrossEntropyBoundary"; "CrossEntropyBoundaryFromLogits"
      "DiceCrossEntropy"; "DiceCrossEntropyFromLogits"; "HausdorffDT"; "HausdorffDTFromLogits" ]
    |> Seq.map (fun name -> [| box name |])

let private case name = DeclaredLosses.all |> List.find (fun (_, n, _) -> n = name)

let private shape = [| 2; 3; 6; 5 |]
let private classes = [| 1; 2 |]

/// SegmentationLosses.{name}CpuGradient<'T> over FieldArray: (fields, gradients, class list, hypers).
let private builtinCpu<'T> (name: string) (fields: FieldArray<'T>[]) (gradients: FieldArray<'T>[]) (hypers: obj list) : 'T =
    let m =
        typeof<SegmentationLosses>.GetMethods(BindingFlags.Public ||| BindingFlags.Static)
        |> Array.find (fun m -> m.Name = name + "CpuGradient" && m.GetParameters().[0].ParameterType.IsGenericType
                                && m.GetParameters().[0].ParameterType.GetGenericTypeDefinition() = typedefof<FieldArray<_>>)
    let args = Array.concat [ Array.map box fields; Array.map box gradients; [| box classes |]; List.toArray hypers ]
    m.MakeGenericMethod(typeof<'T>).Invoke(null, args) :?> 'T

let private builtinTorch (name: string) (fields: torch.Tensor[]) (hypers: obj list) : torch.Tensor =
    let m =
        typeof<SegmentationLosses>.GetMethods(BindingFlags.Public ||| BindingFlags.Static)
        |> Array.find (fun m -> m.Name = name && m.GetParameters().[0].ParameterType = typeof<torch.Tensor>)
    m.Invoke(null, Array.concat [ Array.map box fields; [| box classes |]; List.toArray hypers ]) :?> torch.Tensor

let private sameBits<'T when 'T: equality> (what: string) (expected: 'T[]) (actual: 'T[]) =
    Assert.True(Seq.forall2 (fun (a: 'T) (b: 'T) -> a.Equals b) expected actual, $"%s{what}: the gradients differ")

let private check<'T when 'T: equality> (name: string) (data: 'T[][]) =
    let loss, _, hypers = case name
    let fields = arrays data shape
    let expectedGradients = gradients<'T> fields.Length shape
    let actualGradients = gradients<'T> fields.Length shape
    let expected = builtinCpu<'T> name fields expectedGradients hypers
    let actual = loss.CpuGradient<'T>(fields, actualGradients, List.toArray (box classes :: hypers))
    Assert.Equal<'T>(expected, actual)
    Assert.Equal<'T>(expected, loss.Cpu<'T>(fields, List.toArray (box classes :: hypers)))
    for i in 0 .. fields.Length - 1 do
        sameBits $"%s{name}, gradient %d{i}" expectedGradients.[i].Data actualGradients.[i].Data

[<Theory; MemberData(nameof names)>]
let ``An F#-declared built-in gives the built-in's bits on the CPU in double`` (name: string) =
    let loss, _, _ = case name
    check<float> name (fields loss.Parameters shape 11)

[<Theory; MemberData(nameof names)>]
let ``An F#-declared built-in gives the built-in's bits on the CPU in float32`` (name: string) =
    let loss, _, _ = case name
    check<float32> name (asFloat32 (fields loss.Parameters shape 12))

[<Theory; MemberData(nameof names)>]
let ``An F#-declared built-in gives the built-in's value and gradients through TorchSharp`` (name: string) =
    let loss, _, hypers = case name
    use scope = torch.NewDisposeScope()
    let data = fields loss.Parameters shape 13
    let leaves () = data |> Array.map (fun d -> FieldArray<float>(d, shape).ToTensor(requiresGrad = true))
    let expectedInputs, actualInputs = leaves (), leaves ()
    let expected = builtinTorch name expectedInputs hypers
    let actual = loss.Torch(actualInputs, List.toArray (box classes :: hypers))
    expected.backward()
    actual.backward()
    Assert.Equal(expected.item<float>(), actual.item<float>())
    for i in 0 .. data.Length - 1 do
        sameBits $"%s{name}, gradient %d{i}" (FieldArray.FromTensor<float>(expectedInputs.[i].grad).Data) (FieldArray.FromTensor<float>(actualInputs.[i].grad).Data)

[<Fact>]
let ``Every F#-declared built-in is in the list the theories run over`` () =
    Assert.Equal<string list>(DeclaredLosses.all |> List.map (fun (_, n, _) -> n), names |> Seq.map (fun a -> string a.[0]) |> List.ofSeq)

[<Theory; MemberData(nameof names)>]
let ``An F#-declared built-in compiles to the built-in's generated code`` (name: string) =
    // The built-in's code regenerated from its stored graph (as lossdsl inspect does), with the F# loss's declaration
    // facts (no XML summary, no parameter defaults), against the F# loss's: the same CPU members, and the same
    // TorchSharp members but for the declaring type each names.
    let loss, _, _ = case name
    let info = typeof<SegmentationLosses>.GetProperty(name + "Info").GetValue(null) :?> LossInfo
    let mine = loss.Info
    let builtin = LossDsl.Generators.LossSources.Generate(info.Graph, info.Name, info.DeclaringType, mine.Parameters, mine.Accessibility, mine.Summary, mine.ReservedNames)
    Assert.Equal(builtin.Cpu, loss.CpuCode)
    Assert.Equal(builtin.TorchSharp, loss.TorchSharpCode.Replace(loss.Info.DeclaringType, info.DeclaringType))

[<Fact>]
let ``The generated file of an F# loss is the generator's file for that formula`` () =
    // Same graph, same code: the stored graph differs from the built-in's only in where it is declared.
    let info = DeclaredLosses.boundary.Info
    Assert.Equal(SegmentationLosses.BoundaryInfo.Graph, info.Graph)
    Assert.Equal(SegmentationLosses.BoundaryInfo.Formula, info.Formula)
    Assert.Contains("public static T BoundaryCpuGradient<T>", DeclaredLosses.boundary.GeneratedCode)
    Assert.Contains("BoundaryTorchFunction", DeclaredLosses.boundary.TorchSharpCode)
