namespace LossDsl.FSharp

open System
open System.Numerics.Tensors
open Microsoft.FSharp.Quotations
open LossDsl
open LossDsl.Generators
open TorchSharp
open LossDsl.FSharp.QuotationCompiler

/// <summary>
/// A loss declared as an F# quotation and compiled by LossDsl's compiler: the members the C# source generator adds
/// for a <c>[Loss]</c> (<c>NameCpu</c>, <c>NameCpuGradient</c>, <c>Name(Tensor …)</c>, <c>NameInfo</c>), reached
/// through <see cref="Cpu"/>, <see cref="CpuGradient"/>, <see cref="Torch"/> and <see cref="Info"/>. Arguments other
/// than fields (class lists, hyper-parameters) follow the fields in the lambda's order.
/// </summary>
type CompiledLoss internal (name: string, parameters: Parameter list, program: ILossProgram, code: Lazy<string * string * string>) =
    let fields = parameters |> List.filter (fun p -> p.Kind = FieldParameter)
    let others = parameters |> List.filter (fun p -> p.Kind <> FieldParameter)

    let checkArgs (args: obj[] | null) : obj[] =
        let args = match args with | null -> [||] | a -> a
        if args.Length <> others.Length then
            let expected = String.Join(", ", others |> List.map describe)
            invalidArg "args" $"%s{name} takes %d{others.Length} argument(s) after its fields (%s{expected}), not %d{args.Length}"
        (others, List.ofArray args)
        ||> List.iteri2 (fun i (p: Parameter) (a: obj) ->
            match p.Kind, a with
            | ClassListParameter, (:? (int[])) -> ()
            | ClassListParameter, _ -> invalidArg "args" $"argument %d{i} of %s{name} ('%s{p.Name}') must be an int[] class list, not %A{a}"
            | _, (:? float | :? float32 | :? int | :? int64) -> ()
            | _ -> invalidArg "args" $"argument %d{i} of %s{name} ('%s{p.Name}') must be a number, not %A{a}")
        args

    /// The length of an array argument; a null array counts as empty (and is then reported as the wrong count).
    let lengthOf (a: 'a[]) = match box a with | null -> 0 | _ -> a.Length

    /// FieldArray<'T>[] as FieldArray<float32>[] or FieldArray<float>[] once 'T is known to be that type.
    let retype (a: 'a[]) : 'b[] = match box a with | :? ('b[]) as b -> b | _ -> raise (InvalidCastException())

    let checkFields (count: int) what =
        if count <> fields.Length then
            let names = String.Join(", ", fields |> List.map (fun p -> p.Name))
            invalidArg what $"%s{name} takes %d{fields.Length} field(s) (%s{names}), not %d{count}"

    let checkSpans count =
        checkFields count "fields"
        if count > 4 then raise (NotSupportedException($"%s{name}: the span entries take at most four fields; use the FieldArray entries"))

    let dispatch (single: unit -> float32) (double: unit -> float) : 'T =
        if typeof<'T> = typeof<float32> then unbox<'T> (box (single ()))
        elif typeof<'T> = typeof<float> then unbox<'T> (box (double ()))
        else raise (NotSupportedException($"%s{name}: the CPU back end computes in float32 or float (double), not %s{typeof<'T>.Name}"))

    /// <summary>The loss's name (its generated members are named after it).</summary>
    member _.Name = name

    /// <summary>The parameters in the lambda's order, as <c>LossInfo.Parameters</c> writes them.</summary>
    member _.Parameters : string list = parameters |> List.map describe

    /// <summary>The generated <c>NameInfo</c>: formula, derived gradients, stored graph.</summary>
    member _.Info : LossInfo = program.Info

    /// <summary>The C# the loss was compiled from: the generated file (byte for byte the generator's for this formula) and the adapter.</summary>
    member _.GeneratedCode : string = (let file, _, _ = code.Value in file)

    /// <summary>The generated TorchSharp members.</summary>
    member _.TorchSharpCode : string = (let _, torch, _ = code.Value in torch)

    /// <summary>The generated SIMD CPU members.</summary>
    member _.CpuCode : string = (let _, _, cpu = code.Value in cpu)

    /// <summary>The loss value on the CPU back end (<c>NameCpu</c>), in float32 or float.</summary>
    member _.Cpu<'T>(fields: FieldArray<'T>[], [<ParamArray>] args: obj[]) : 'T =
        checkFields (lengthOf fields) "fields"
        let args = checkArgs args
        dispatch (fun () -> program.CpuSingle(retype fields, null, args)) (fun () -> program.CpuDouble(retype fields, null, args))

    /// <summary>The value and the gradients (<c>NameCpuGradient</c>): <paramref name="gradients"/> has one entry per field, null where not wanted.</summary>
    member _.CpuGradient<'T>(fields: FieldArray<'T>[], gradients: (FieldArray<'T> | null)[], [<ParamArray>] args: obj[]) : 'T =
        checkFields (lengthOf fields) "fields"
        checkFields (lengthOf gradients) "gradients"
        let args = checkArgs args
        dispatch (fun () -> program.CpuSingle(retype fields, retype gradients, args)) (fun () -> program.CpuDouble(retype fields, retype gradients, args))

    /// <summary>The value over spans (one field).</summary>
    member this.CpuSpan(a: ReadOnlyTensorSpan<float32>, [<ParamArray>] args: obj[]) = checkSpans 1; program.SpanSingle(1, a, ReadOnlyTensorSpan(), ReadOnlyTensorSpan(), ReadOnlyTensorSpan(), false, TensorSpan(), TensorSpan(), TensorSpan(), TensorSpan(), checkArgs args)
    /// <summary>The value over spans (two fields).</summary>
    member this.CpuSpan(a: ReadOnlyTensorSpan<float32>, b: ReadOnlyTensorSpan<float32>, [<ParamArray>] args: obj[]) = checkSpans 2; program.SpanSingle(2, a, b, ReadOnlyTensorSpan(), ReadOnlyTensorSpan(), false, TensorSpan(), TensorSpan(), TensorSpan(), TensorSpan(), checkArgs args)
    /// <summary>The value over spans (three fields).</summary>
    member this.CpuSpan(a: ReadOnlyTensorSpan<float32>, b: ReadOnlyTensorSpan<float32>, c: ReadOnlyTensorSpan<float32>, [<ParamArray>] args: obj[]) = checkSpans 3; program.SpanSingle(3, a, b, c, ReadOnlyTensorSpan(), false, TensorSpan(), TensorSpan(), TensorSpan(), TensorSpan(), checkArgs args)
    /// <summary>The value over spans (one field), double.</summary>
    member this.CpuSpan(a: ReadOnlyTensorSpan<float>, [<ParamArray>] args: obj[]) = checkSpans 1; program.SpanDouble(1, a, ReadOnlyTensorSpan(), ReadOnlyTensorSpan(), ReadOnlyTensorSpan(), false, TensorSpan(), TensorSpan(), TensorSpan(), TensorSpan(), checkArgs args)
    /// <summary>The value over spans (two fields), double.</summary>
    member this.CpuSpan(a: ReadOnlyTensorSpan<float>, b: ReadOnlyTensorSpan<float>, [<ParamArray>] args: obj[]) = checkSpans 2; program.SpanDouble(2, a, b, ReadOnlyTensorSpan(), ReadOnlyTensorSpan(), false, TensorSpan(), TensorSpan(), TensorSpan(), TensorSpan(), checkArgs args)
    /// <summary>The value over spans (three fields), double.</summary>
    member this.CpuSpan(a: ReadOnlyTensorSpan<float>, b: ReadOnlyTensorSpan<float>, c: ReadOnlyTensorSpan<float>, [<ParamArray>] args: obj[]) = checkSpans 3; program.SpanDouble(3, a, b, c, ReadOnlyTensorSpan(), false, TensorSpan(), TensorSpan(), TensorSpan(), TensorSpan(), checkArgs args)
    /// <summary>Value and gradients over spans (one field; an empty gradient span: not wanted).</summary>
    member this.CpuSpanGradient(a: ReadOnlyTensorSpan<float32>, ga: TensorSpan<float32>, [<ParamArray>] args: obj[]) = checkSpans 1; program.SpanSingle(1, a, ReadOnlyTensorSpan(), ReadOnlyTensorSpan(), ReadOnlyTensorSpan(), true, ga, TensorSpan(), TensorSpan(), TensorSpan(), checkArgs args)
    /// <summary>Value and gradients over spans (two fields).</summary>
    member this.CpuSpanGradient(a: ReadOnlyTensorSpan<float32>, b: ReadOnlyTensorSpan<float32>, ga: TensorSpan<float32>, gb: TensorSpan<float32>, [<ParamArray>] args: obj[]) = checkSpans 2; program.SpanSingle(2, a, b, ReadOnlyTensorSpan(), ReadOnlyTensorSpan(), true, ga, gb, TensorSpan(), TensorSpan(), checkArgs args)
    /// <summary>Value and gradients over spans (three fields).</summary>
    member this.CpuSpanGradient(a: ReadOnlyTensorSpan<float32>, b: ReadOnlyTensorSpan<float32>, c: ReadOnlyTensorSpan<float32>, ga: TensorSpan<float32>, gb: TensorSpan<float32>, gc: TensorSpan<float32>, [<ParamArray>] args: obj[]) = checkSpans 3; program.SpanSingle(3, a, b, c, ReadOnlyTensorSpan(), true, ga, gb, gc, TensorSpan(), checkArgs args)
    /// <summary>Value and gradients over spans (one field), double.</summary>
    member this.CpuSpanGradient(a: ReadOnlyTensorSpan<float>, ga: TensorSpan<float>, [<ParamArray>] args: obj[]) = checkSpans 1; program.SpanDouble(1, a, ReadOnlyTensorSpan(), ReadOnlyTensorSpan(), ReadOnlyTensorSpan(), true, ga, TensorSpan(), TensorSpan(), TensorSpan(), checkArgs args)
    /// <summary>Value and gradients over spans (two fields), double.</summary>
    member this.CpuSpanGradient(a: ReadOnlyTensorSpan<float>, b: ReadOnlyTensorSpan<float>, ga: TensorSpan<float>, gb: TensorSpan<float>, [<ParamArray>] args: obj[]) = checkSpans 2; program.SpanDouble(2, a, b, ReadOnlyTensorSpan(), ReadOnlyTensorSpan(), true, ga, gb, TensorSpan(), TensorSpan(), checkArgs args)
    /// <summary>Value and gradients over spans (three fields), double.</summary>
    member this.CpuSpanGradient(a: ReadOnlyTensorSpan<float>, b: ReadOnlyTensorSpan<float>, c: ReadOnlyTensorSpan<float>, ga: TensorSpan<float>, gb: TensorSpan<float>, gc: TensorSpan<float>, [<ParamArray>] args: obj[]) = checkSpans 3; program.SpanDouble(3, a, b, c, ReadOnlyTensorSpan(), true, ga, gb, gc, TensorSpan(), checkArgs args)

    /// <summary>TorchSharp: the generated <c>Name(Tensor …)</c>, one autograd node with the generated analytic backward.</summary>
    member _.Torch(fields: torch.Tensor[], [<ParamArray>] args: obj[]) : torch.Tensor =
        checkFields (lengthOf fields) "fields"
        program.Torch(fields, checkArgs args)

    override _.ToString() = name + "(" + String.Join(", ", parameters |> List.map describe) + ")"

/// <summary>A compiled loss with the quotation it was compiled from, typed, to splice into other losses.</summary>
type CompiledLoss<'F> internal (name: string, quotation: Expr<'F>, parameters: Parameter list, program: ILossProgram, code: Lazy<string * string * string>) =
    inherit CompiledLoss(name, parameters, program, code)

    let formula =
        let named = (nonNull (typeof<ILossProgram>.Assembly.GetType "LossDsl.FSharp.Dsl")).GetMethod("named", Reflection.BindingFlags.NonPublic ||| Reflection.BindingFlags.Public ||| Reflection.BindingFlags.Static)
        Expr.Cast<'F>(Expr.Call((nonNull named).MakeGenericMethod(typeof<'F>), [ Expr.Value name; quotation.Raw ]))

    /// <summary>
    /// The quotation it was compiled from, marked with the loss's name: splice it into another loss with
    /// <c>(%loss.Formula) a b …</c>; the inlined values are named after it (<c>tversky</c>, <c>tversky_tp</c>), as
    /// the C# generator names an inlined <c>[Loss]</c>.
    /// </summary>
    member _.Formula : Expr<'F> = formula

    /// <summary>The quotation as written.</summary>
    member _.Quotation : Expr<'F> = quotation
