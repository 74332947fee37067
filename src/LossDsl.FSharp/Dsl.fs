namespace LossDsl.FSharp

open LossDsl

/// <summary>
/// The DSL's intrinsics as F# functions, for use inside a quotation given to <c>Loss.compile</c>. They are symbolic,
/// like the C# <c>LossDsl.Dsl</c> methods they mirror: the quotation compiler recognises them, and calling one outside
/// a quotation throws. Opening <c>LossDsl.FSharp</c> opens them, shadowing FSharp.Core's <c>log</c>, <c>exp</c>,
/// <c>sqrt</c>, <c>abs</c>, <c>min</c> and <c>max</c> (which need members <c>Field</c> does not have).
/// Element-wise functions take a <c>Field</c>, a <c>Scalar</c> or a number and return the same kind.
/// </summary>
[<AutoOpen>]
module Dsl =
    let internal symbolic name : 'T =
        raise (System.InvalidOperationException(
            $"LossDsl.FSharp.%s{name} is symbolic: use it inside a quotation given to Loss.compile, then call the compiled loss."))

    /// <summary>Natural logarithm, element-wise.</summary>
    let log (x: 'T) : 'T = symbolic "log"
    /// <summary>Exponential, element-wise.</summary>
    let exp (x: 'T) : 'T = symbolic "exp"
    /// <summary>Square root, element-wise.</summary>
    let sqrt (x: 'T) : 'T = symbolic "sqrt"
    /// <summary>Absolute value, element-wise.</summary>
    let abs (x: 'T) : 'T = symbolic "abs"
    /// <summary>x², element-wise.</summary>
    let square (x: 'T) : 'T = symbolic "square"
    /// <summary>Logistic sigmoid, element-wise.</summary>
    let sigmoid (x: 'T) : 'T = symbolic "sigmoid"
    /// <summary>Heaviside step: 1 where x &gt; 0, else 0 (its derivative is zero).</summary>
    let step (x: 'T) : 'T = symbolic "step"
    /// <summary>x to the power e; e is a number, a hyper-parameter or a <c>Scalar</c> that depends on no field.</summary>
    let pow (x: 'T) (e: 'E) : 'T = symbolic "pow"
    /// <summary>Element-wise minimum (broadcasting); b may be a number.</summary>
    let min (a: 'T) (b: 'U) : 'T = symbolic "min"
    /// <summary>Element-wise maximum (broadcasting); b may be a number.</summary>
    let max (a: 'T) (b: 'U) : 'T = symbolic "max"
    /// <summary>min(max(x, lo), hi), element-wise.</summary>
    let clamp (x: Field) (lo: float) (hi: float) : Field = symbolic "clamp"
    /// <summary>Softmax over the class axis.</summary>
    let softmax (logits: Field) : Field = symbolic "softmax"
    /// <summary>Log-softmax over the class axis.</summary>
    let logSoftmax (logits: Field) : Field = symbolic "logSoftmax"
    /// <summary>The class planes of the <c>int[]</c> parameter <paramref name="idc"/> (a parameter of the loss).</summary>
    let select (x: Field) (idc: int[]) : Field = symbolic "select"
    /// <summary>Sum over every axis.</summary>
    let sum (x: Field) : Scalar = symbolic "sum"
    /// <summary>Mean over every axis.</summary>
    let mean (x: Field) : Scalar = symbolic "mean"
    /// <summary>Sum over the spatial axes: per (batch, class).</summary>
    let sumSpatial (x: Field) : Field = symbolic "sumSpatial"
    /// <summary>Mean over the spatial axes.</summary>
    let meanSpatial (x: Field) : Field = symbolic "meanSpatial"
    /// <summary>Sum over the classes: per (batch, *spatial).</summary>
    let sumClasses (x: Field) : Field = symbolic "sumClasses"
    /// <summary>Mean over the classes.</summary>
    let meanClasses (x: Field) : Field = symbolic "meanClasses"
    /// <summary>Sum over the batch.</summary>
    let sumBatch (x: Field) : Field = symbolic "sumBatch"
    /// <summary>Mean over the batch.</summary>
    let meanBatch (x: Field) : Field = symbolic "meanBatch"
    /// <summary>Maximum over the spatial axes.</summary>
    let maxSpatial (x: Field) : Field = symbolic "maxSpatial"
    /// <summary>Maximum over the classes.</summary>
    let maxClasses (x: Field) : Field = symbolic "maxClasses"
    /// <summary>Maximum over the batch.</summary>
    let maxBatch (x: Field) : Field = symbolic "maxBatch"

    /// A compiled loss's formula as CompiledLoss.Formula hands it out: the quotation, marked with the loss's name, so
    /// that a loss it is spliced into names the inlined values as the C# generator names an inlined [Loss].
    let internal named (name: string) (formula: 'F) : 'F = formula

    /// <summary>The C# intrinsic (<c>LossDsl.Dsl</c> name) each function above stands for.</summary>
    let internal intrinsics =
        dict [
            "log", "Log"; "exp", "Exp"; "sqrt", "Sqrt"; "abs", "Abs"; "square", "Square"; "sigmoid", "Sigmoid"
            "step", "Step"; "pow", "Pow"; "min", "Min"; "max", "Max"; "clamp", "Clamp"; "softmax", "Softmax"
            "logSoftmax", "LogSoftmax"; "select", "Select"; "sum", "Sum"; "mean", "Mean"; "sumSpatial", "SumSpatial"
            "meanSpatial", "MeanSpatial"; "sumClasses", "SumClasses"; "meanClasses", "MeanClasses"; "sumBatch", "SumBatch"
            "meanBatch", "MeanBatch"; "maxSpatial", "MaxSpatial"; "maxClasses", "MaxClasses"; "maxBatch", "MaxBatch" ]
