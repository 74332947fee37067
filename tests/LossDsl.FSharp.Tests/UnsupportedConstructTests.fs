/// Each construct a loss cannot have gives a LossCompileException with the C# generator's diagnostic id and wording,
/// and says where it is in this file.
module LossDsl.FSharp.Tests.UnsupportedConstructTests

open System
open Xunit
open LossDsl
open LossDsl.FSharp

let private fails (id: string) (contains: string) (compile: unit -> CompiledLoss) =
    let error = Assert.Throws<LossCompileException>(fun () -> compile () |> ignore)
    Assert.Equal(id, error.Id)
    Assert.Contains(contains, error.Message)
    error

[<ReflectedDefinition>]
let rec private selfCalling (p: Field) : Scalar = selfCalling p

[<ReflectedDefinition>]
let private squaredMean (p: Field) (q: Field) = mean (square (p - q))

[<Fact>]
let ``A conditional is LD0001 and names its position`` () =
    let error = fails "LD0001" "The conditional expression" (fun () -> Loss.compile <@ fun (p: Field) (a: float) -> if a > 0.5 then mean p else sum p @>)
    Assert.Contains("UnsupportedConstructTests.fs(", error.Position)
    Assert.Contains("is not supported in a [Loss] body; a loss has no branches", error.Message)

[<Fact>]
let ``A loop is LD0001`` () =
    fails "LD0001" "The loop" (fun () -> Loss.compile <@ fun (p: Field) -> (for i in 1 .. 2 do ()); mean p @>) |> ignore

[<Fact>]
let ``A call of FSharp.Core's log on a number is LD0001 and points to the DSL function`` () =
    fails "LD0001" "use the function log of LossDsl.FSharp" (fun () -> Loss.compile <@ fun (p: Field) (a: float) -> mean p * Operators.log a @>) |> ignore

[<Fact>]
let ``A call of another method is LD0001`` () =
    fails "LD0001" "The call of 'System.Math.Max'" (fun () -> Loss.compile <@ fun (p: Field) (a: float) -> mean p * Math.Max(a, 1.0) @>) |> ignore

[<Fact>]
let ``A mutable binding is LD0001`` () =
    fails "LD0001" "The assignment" (fun () -> Loss.compile <@ fun (p: Field) -> (let mutable x = mean p in x) @>) |> ignore

[<Fact>]
let ``A class list used as a value is LD0001`` () =
    fails "LD0001" "Using the class list 'idc' as a value" (fun () -> Loss.compile <@ fun (p: Field) (idc: int[]) -> mean p * float idc.Length @>) |> ignore

[<Fact>]
let ``Integer division is LD0001`` () =
    fails "LD0001" "The integer division" (fun () -> Loss.compile <@ fun (p: Field) (n: int) -> mean p * float (n / 2) @>) |> ignore

[<Fact>]
let ``Softmax of a value without a class axis is LD0002`` () =
    fails "LD0002" "Shape mismatch" (fun () -> Loss.compile <@ fun (p: Field) -> mean (softmax (sumClasses p)) @>) |> ignore

[<Fact>]
let ``A loss whose value is not a scalar is LD0002`` () =
    fails "LD0002" "a loss must be a scalar" (fun () -> Loss.compile <@ fun (p: Field) -> sumSpatial p @>) |> ignore

[<Fact>]
let ``A parameter of another type is LD0006`` () =
    fails "LD0006" "The parameter 's' of the loss 'Named'" (fun () -> Loss.compileAs "Named" <@ fun (p: Field) (s: string) -> mean p @>) |> ignore

[<Fact>]
let ``A recursive function is LD0007`` () =
    fails "LD0007" "selfCalling → selfCalling" (fun () -> Loss.compile <@ fun (p: Field) -> selfCalling p @>) |> ignore

[<Fact>]
let ``A class list that is not a parameter is LD0008`` () =
    fails "LD0008" "must be an int[] parameter of the loss" (fun () -> Loss.compile <@ fun (p: Field) -> mean (select p [| 1 |]) @>) |> ignore

[<Fact>]
let ``A Pow exponent that depends on a field is LD0009`` () =
    fails "LD0009" "of Pow depends on a Field" (fun () -> Loss.compile <@ fun (p: Field) (q: Field) -> mean (pow p (mean q)) @>) |> ignore

[<Fact>]
let ``A loss without a field is LD0012`` () =
    fails "LD0012" "has no Field parameter" (fun () -> Loss.compileAs "NoField" <@ fun (a: float) -> Unchecked.defaultof<Scalar> @>) |> ignore

[<Fact>]
let ``A name that is not a C# identifier is refused`` () =
    Assert.Throws<ArgumentException>(fun () -> Loss.compileAs "class" <@ fun (p: Field) -> mean p @> |> ignore) |> ignore

[<Fact>]
let ``A [<ReflectedDefinition>] function is inlined`` () =
    let loss = Loss.compileAs "SquaredMean" <@ fun (p: Field) (q: Field) -> 2.0 * squaredMean p q @>
    let shape = [| 1; 2; 2; 2 |]
    let p = FieldArray<float>([| 1.0; 2.0; 3.0; 4.0; 5.0; 6.0; 7.0; 8.0 |], shape)
    let q = FieldArray<float>.Zeros shape
    Assert.Equal(2.0 * 204.0 / 8.0, loss.Cpu<float>([| p; q |]))

[<Fact>]
let ``Calling a compiled loss with the wrong arguments is an ArgumentException`` () =
    let loss = DeclaredLosses.boundary
    let shape = [| 1; 2; 2; 2 |]
    let p = FieldArray<float>.Zeros shape
    Assert.Throws<ArgumentException>(fun () -> loss.Cpu<float>([| p |], [| 1 |]) |> ignore) |> ignore
    Assert.Throws<ArgumentException>(fun () -> loss.Cpu<float>([| p; p |]) |> ignore) |> ignore
    Assert.Throws<ArgumentException>(fun () -> loss.Cpu<float>([| p; p |], 1.0) |> ignore) |> ignore

[<Fact>]
let ``Bindings named with F#-only characters compile`` () =
    let loss = Loss.compileAs "Primes" <@ fun (p: Field) -> (let p' = p * 2.0 in let ``two p`` = p' + p' in mean ``two p``) @>
    let shape = [| 1; 1; 1; 2 |]
    Assert.Equal(6.0, loss.Cpu<float>([| FieldArray<float>([| 1.0; 2.0 |], shape) |]))

[<Fact>]
let ``A parameter named with F#-only characters is LD0001`` () =
    fails "LD0001" "The parameter name 'p''" (fun () -> Loss.compile <@ fun (p': Field) -> mean p' @>) |> ignore

[<Fact>]
let ``Two parameters of the same name are LD0001`` () =
    fails "LD0001" "A second parameter named 'p'" (fun () -> Loss.compile <@ fun (p: Field) -> fun (p: Field) -> mean p @>) |> ignore
