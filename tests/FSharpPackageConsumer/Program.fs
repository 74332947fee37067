/// Compiles a loss declared as an F# quotation with the packaged compiler and checks its CPU value and gradient
/// against numbers computed by hand. Exit status 0 when they match, 1 otherwise.
module FSharpPackageConsumer.Program

open System
open System.Diagnostics
open LossDsl
open LossDsl.FSharp

// One image, two classes, 2×2 pixels, laid out (B, C, H, W).
let probs = [| 0.9; 0.2; 0.1; 0.6; (* class 1 *) 0.1; 0.8; 0.9; 0.4 |]
let dist = [| -1.0; 1.0; 2.0; 0.0; (* class 1 *) 2.0; -1.0; -1.0; 1.0 |]
let shape = [| 1; 2; 2; 2 |]

// By hand, idc = [1], w = 0.5:
// Σ p[1]·dist[1] = 0.2 − 0.8 − 0.9 + 0.4 = −1.1 over |idc|·|Ω| = 4 values: mean = −0.275, times w: −0.1375;
// mean(p²) = (0.81 + 0.04 + 0.01 + 0.36 + 0.01 + 0.64 + 0.81 + 0.16)/8 = 2.84/8 = 0.355; L = 0.2175.
let expectedLoss = 0.2175
// ∂L/∂p = w·dist/4 on the selected class + 2p/8 everywhere:
// p[0,1,0,0] (index 4, p = 0.1, dist = 2): 0.25 + 0.025 = 0.275; p[0,0,0,0] (index 0, p = 0.9, not selected): 0.225.
let expectedGradients = [ 4, 0.275; 0, 0.225 ]

let mutable failures = 0

let check what (actual: float) (expected: float) (tolerance: float) =
    // Math.Abs: LossDsl.FSharp's abs (opened above) is the symbolic one of quotations.
    if Double.IsFinite actual && Math.Abs(actual - expected) <= tolerance then
        printfn "ok   %s = %.15g" what actual
    else
        printfn "FAIL %s = %.15g, expected %.15g" what actual expected
        failures <- failures + 1

/// A typical loss (GdlBoundary's formula, as tests/LossDsl.FSharp.Tests/CompileTiming.fs times it), compiled first so
/// that the time printed is this process's first compile, Roslyn cold: the figure docs/performance.md compares between
/// a plain build and a ReadyToRun publish of this program.
let typical () =
    Loss.compileAs "TypicalGdlBoundary" <@ fun (probs: Field) (target: Field) (dist: Field) (idc: int[]) (alpha: float) ->
        let p = select probs idc
        let y = select target idc
        let w = 1.0 / square (sumSpatial y + 1e-10)
        let gdl = mean (1.0 - 2.0 * (sumClasses (w * sumSpatial (p * y)) + 1e-10) / (sumClasses (w * (sumSpatial p + sumSpatial y)) + 1e-10))
        (1.0 - alpha) * gdl + alpha * mean (select probs idc * select dist idc) @>

[<EntryPoint>]
let main _ =
    let watch = Stopwatch.StartNew()
    typical () |> ignore
    let first = watch.Elapsed.TotalSeconds
    watch.Restart()
    let loss =
        Loss.compileAs "ConsumerLoss" <@ fun (p: Field) (d: Field) (idc: int[]) (w: float) ->
            w * mean (select p idc * select d idc) + mean (square p) @>
    // Informational (no limit is checked: the machine's load decides it).
    printfn "first compile (GdlBoundary's formula, Roslyn cold): %.2f s; the checked loss (Roslyn warm): %.2f s" first watch.Elapsed.TotalSeconds

    let fields = [| FieldArray<float>(probs, shape); FieldArray<float>(dist, shape) |]
    check "Cpu<float> value" (loss.Cpu<float>(fields, [| 1 |], 0.5)) expectedLoss 1e-12
    let gradient = FieldArray<float>.Zeros shape
    let value = loss.CpuGradient<float>(fields, [| gradient; null |], [| 1 |], 0.5)
    check "CpuGradient<float> value" value expectedLoss 1e-12
    for index, expected in expectedGradients do
        check $"CpuGradient<float> ∂L/∂p[%d{index}]" gradient.Data.[index] expected 1e-12
    let single = loss.Cpu<float32>([| FieldArray<float32>(Array.map float32 probs, shape); FieldArray<float32>(Array.map float32 dist, shape) |], [| 1 |], 0.5)
    check "Cpu<float32> value" (float single) expectedLoss 1e-6
    if not (loss.Info.Formula.Contains "mean") then
        printfn "FAIL Info.Formula does not read like the loss: %s" loss.Info.Formula
        failures <- failures + 1

    if failures = 0 then
        printfn "FSharpPackageConsumer: all checks passed"
        0
    else
        printfn "FSharpPackageConsumer: %d check(s) FAILED" failures
        1
