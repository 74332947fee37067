/// The figures of docs/performance.md ("Losses declared in F#"): first and cached compile times, and the CPU run time
/// of an F#-declared loss against the same loss declared in C#. Runs only when LOSSDSL_FSHARP_TIMING names a file to
/// write them to (`LOSSDSL_FSHARP_TIMING=timing.txt dotnet test -c Release tests/LossDsl.FSharp.Tests --filter
/// FullyQualifiedName~CompileTiming`), so that it runs in a fresh process where nothing has compiled yet.
module LossDsl.FSharp.Tests.CompileTiming

open System
open System.Diagnostics
open System.IO
open Xunit
open LossDsl
open LossDsl.FSharp

let private seconds (f: unit -> 'a) =
    let watch = Stopwatch.StartNew()
    let result = f ()
    result, watch.Elapsed.TotalSeconds

let private median (xs: float list) = List.sort xs |> List.item (xs.Length / 2)

[<Fact>]
let ``Compile and run times of an F# loss`` () =
    match Environment.GetEnvironmentVariable "LOSSDSL_FSHARP_TIMING" with
    | null | "" -> ()
    | output ->
        let declare (weight: float) =
            Loss.compileAs "TimedGdlBoundary" <@ fun (probs: Field) (target: Field) (dist: Field) (idc: int[]) (alpha: float) ->
                let p = select probs idc
                let y = select target idc
                let w = 1.0 / square (sumSpatial y + 1e-10)
                let intersection = w * sumSpatial (p * y)
                let union = w * (sumSpatial p + sumSpatial y)
                let gdl = mean (1.0 - weight * (sumClasses intersection + 1e-10) / (sumClasses union + 1e-10))
                (1.0 - alpha) * gdl + alpha * mean (select probs idc * select dist idc) @>
        // What the first compile costs is mostly the JIT compiling Roslyn (and the generator) in this process: count it.
        let jitted, jitTime = Runtime.JitInfo.GetCompiledMethodCount(), Runtime.JitInfo.GetCompilationTime()
        let loss, first = seconds (fun () -> declare 2.0)
        let jitted, jitTime = Runtime.JitInfo.GetCompiledMethodCount() - jitted, (Runtime.JitInfo.GetCompilationTime() - jitTime).TotalSeconds
        let generateFirst, roslynFirst, loadFirst = Loss.lastCompileSeconds
        let _, cached = seconds (fun () -> declare 2.0)
        let _, changed = seconds (fun () -> declare 2.5)
        let generateChanged, roslynChanged, loadChanged = Loss.lastCompileSeconds
        // Run time: the F# loss (same formula as the built-in GdlBoundary) against the C# built-in, float32,
        // (8, 4, 128, 128), interleaved rounds after a warm-up, medians.
        let shape = [| 8; 4; 128; 128 |]
        let data = Inputs.fields [ "Field probs"; "Field target"; "Field dist" ] shape 5 |> Inputs.asFloat32
        let fields = Inputs.arrays data shape
        let gradients = Inputs.gradients<float32> 3 shape
        let idc = [| 1; 2; 3 |]
        let fsharp () = loss.CpuGradient<float32>(fields, gradients, idc, 0.25) |> ignore
        let csharp () = SegmentationLosses.GdlBoundaryCpuGradient<float32>(fields.[0], fields.[1], fields.[2], gradients.[0], gradients.[1], gradients.[2], idc, 0.25) |> ignore
        for _ in 1 .. 40 do
            fsharp ()
            csharp ()
        let rounds = [ for _ in 1 .. 40 -> snd (seconds fsharp), snd (seconds csharp) ]
        let f, c = median (List.map fst rounds), median (List.map snd rounds)
        // The benchmark project's pair (FSharpLossBenchmarks): an F# loss whose body calls the built-in
        // GdlBoundaryFromLogits, against that built-in, logits gradient only.
        let fromLogits =
            Loss.compileAs "TimedGdlBoundaryFromLogits" <@ fun (logits: Field) (target: Field) (dist: Field) (idc: int[]) (alpha: float) ->
                SegmentationLosses.GdlBoundaryFromLogits(logits, target, dist, idc, alpha) @>
        let logitsGradient = [| FieldArray<float32>.Zeros shape; Unchecked.defaultof<_>; Unchecked.defaultof<_> |]
        let fsharpLogits () = fromLogits.CpuGradient<float32>(fields, logitsGradient, idc, 0.25) |> ignore
        let csharpLogits () = SegmentationLosses.GdlBoundaryFromLogitsCpuGradient<float32>(fields.[0], fields.[1], fields.[2], logitsGradient.[0], null, null, idc, 0.25) |> ignore
        for _ in 1 .. 40 do
            fsharpLogits ()
            csharpLogits ()
        let roundsLogits = [ for _ in 1 .. 40 -> snd (seconds fsharpLogits), snd (seconds csharpLogits) ]
        let fl, cl = median (List.map fst roundsLogits), median (List.map snd roundsLogits)
        let lines =
            [ $"first compile (fresh process, Roslyn cold): %.3f{first} s (generate %.3f{generateFirst}, Roslyn %.3f{roslynFirst}, load %.3f{loadFirst}); JIT meanwhile: %d{jitted} methods, %.3f{jitTime} s (all threads)"
              $"second compile of the same quotation (cached): %.6f{cached} s"
              $"compile after changing a constant (Roslyn warm): %.3f{changed} s (generate %.3f{generateChanged}, Roslyn %.3f{roslynChanged}, load %.3f{loadChanged})"
              $"GdlBoundary value+gradients, float32 (8,4,128,128): F# %.3f{f * 1000.0} ms, C# %.3f{c * 1000.0} ms, ratio F#/C# %.3f{f / c}"
              $"GdlBoundaryFromLogits (F# body calls the built-in), logits gradient, float32: F# %.3f{fl * 1000.0} ms, C# %.3f{cl * 1000.0} ms, ratio F#/C# %.3f{fl / cl}"
              $"Roslyn compilations: %d{Loss.roslynCompilations ()}" ]
        File.WriteAllLines(output, lines)
