/// The C# compiled with a generated loss file: a class implementing ILossProgram by calling the generated members
/// positionally (fields, gradients, then the other parameters in order: the fields come first in the declaration).
module internal LossDsl.FSharp.AdapterSource

open System
open LossDsl.FSharp.QuotationCompiler

let private conversion (index: int) (p: Parameter) =
    let a = $"args[%d{index}]"
    match p.Kind with
    | ClassListParameter -> $"(int[])%s{a}"
    | HyperParameter "float" -> $"global::System.Convert.ToSingle(%s{a}, global::System.Globalization.CultureInfo.InvariantCulture)"
    | HyperParameter "int" -> $"global::System.Convert.ToInt32(%s{a}, global::System.Globalization.CultureInfo.InvariantCulture)"
    | _ -> $"global::System.Convert.ToDouble(%s{a}, global::System.Globalization.CultureInfo.InvariantCulture)"

/// The adapter's source; <paramref name="className"/>.<paramref name="name"/> is the generated loss.
let source (nameSpace: string) (className: string) (name: string) (parameters: Parameter list) =
    let fields = parameters |> List.filter (fun p -> p.Kind = FieldParameter) |> List.length
    // args holds the non-field arguments in the lambda's order, which is their order in the generated signatures.
    let rest = parameters |> List.filter (fun p -> p.Kind <> FieldParameter) |> List.mapi conversion
    let join (items: string seq) = String.Join(", ", items)
    let indexed prefix = [ for i in 0 .. fields - 1 -> $"%s{prefix}[%d{i}]" ]
    let numbered prefix = [ for i in 0 .. fields - 1 -> $"%s{prefix}%d{i}" ]
    let cpu t =
        $"""    public %s{t} Cpu%s{(if t = "float" then "Single" else "Double")}(global::LossDsl.FieldArray<%s{t}>[] fields, global::LossDsl.FieldArray<%s{t}>[] gradients, object[] args) => gradients is null
        ? {className}.{name}Cpu<%s{t}>(%s{join (indexed "fields" @ rest)})
        : {className}.{name}CpuGradient<%s{t}>(%s{join (indexed "fields" @ indexed "gradients" @ rest)});"""
    let spans t =
        let ro = $"global::System.Numerics.Tensors.ReadOnlyTensorSpan<%s{t}>"
        let rw = $"global::System.Numerics.Tensors.TensorSpan<%s{t}>"
        $"""    public %s{t} Span%s{(if t = "float" then "Single" else "Double")}(int count, %s{ro} f0, %s{ro} f1, %s{ro} f2, %s{ro} f3, bool gradients, %s{rw} g0, %s{rw} g1, %s{rw} g2, %s{rw} g3, object[] args) => gradients
        ? {className}.{name}CpuGradient<%s{t}>(%s{join (numbered "f" @ numbered "g" @ rest)})
        : {className}.{name}Cpu<%s{t}>(%s{join (numbered "f" @ rest)});"""
    let spanBodies =
        if fields <= 4 then spans "float" + "\n" + spans "double"
        else
            // More than four fields: the span entry is not offered (CompiledLoss says so before calling).
            let throwing t =
                let ro = $"global::System.Numerics.Tensors.ReadOnlyTensorSpan<%s{t}>"
                let rw = $"global::System.Numerics.Tensors.TensorSpan<%s{t}>"
                $"""    public %s{t} Span%s{(if t = "float" then "Single" else "Double")}(int count, %s{ro} f0, %s{ro} f1, %s{ro} f2, %s{ro} f3, bool gradients, %s{rw} g0, %s{rw} g1, %s{rw} g2, %s{rw} g3, object[] args) => throw new global::System.NotSupportedException("span entries take at most four fields");"""
            throwing "float" + "\n" + throwing "double"
    $"""
namespace %s{nameSpace}
{{
/// <summary>Calls the generated members of {className}.{name} for LossDsl.FSharp.CompiledLoss.</summary>
public sealed class LossProgram : global::LossDsl.FSharp.ILossProgram
{{
    public global::LossDsl.LossInfo Info => {className}.{name}Info;
%s{cpu "float"}
%s{cpu "double"}
%s{spanBodies}
    public global::TorchSharp.torch.Tensor Torch(global::TorchSharp.torch.Tensor[] fields, object[] args) => {className}.{name}(%s{join (indexed "fields" @ rest)});
}}
}}
"""
