/// Compiled losses are cached by their formula: the second compile of the same quotation does no Roslyn work, a
/// changed constant compiles again, and a disk cache serves another process's (here: a cleared memory's) compile.
module LossDsl.FSharp.Tests.CompileCacheTests

open System
open System.IO
open Xunit
open LossDsl
open LossDsl.FSharp

// The counter is process-wide: no test of this assembly runs beside another (AssemblyInfo.fs), so nothing else
// compiles while these count.
type CompileCacheTests() =
    [<Fact>]
    member _.``The same quotation compiles once; a changed constant compiles again`` () =
        let compile (c: float) = Loss.compileAs "CacheProbe" <@ fun (p: Field) -> mean (p * c) + 0.125 @>
        let before = Loss.roslynCompilations ()
        let first = compile 3.0
        let afterFirst = Loss.roslynCompilations ()
        let second = compile 3.0
        Assert.Equal<int>(afterFirst, Loss.roslynCompilations ())
        Assert.Same(first.Info, second.Info)
        compile 4.0 |> ignore
        Assert.Equal<int>(afterFirst + 1, Loss.roslynCompilations ())
        Assert.True(afterFirst <= before + 1, "the first compile ran Roslyn at most once")

    [<Fact>]
    member _.``A quotation written again, not the same object, is the same loss`` () =
        let a = Loss.compileAs "CacheProbeTwo" <@ fun (p: Field) (idc: int[]) -> mean (select p idc) * 0.5 @>
        let count = Loss.roslynCompilations ()
        let b = Loss.compileAs "CacheProbeTwo" <@ fun (p: Field) (idc: int[]) -> mean (select p idc) * 0.5 @>
        Assert.Equal<int>(count, Loss.roslynCompilations ())
        Assert.Equal<string>(a.Info.Graph, b.Info.Graph)

    [<Fact>]
    member _.``A disk cache serves a compile without Roslyn once memory has forgotten the loss`` () =
        let directory = Path.Combine(Path.GetTempPath(), "lossdsl-fsharp-cache-" + string (Guid.NewGuid()))
        let previous = Loss.CacheDirectory
        Loss.CacheDirectory <- directory
        try
            let compile () = Loss.compileAs "DiskProbe" <@ fun (p: Field) (q: Field) -> mean (square (p - q)) * 0.75 @>
            let first = compile ()
            Assert.Equal<int>(2, Directory.GetFiles(directory).Length)
            Loss.forgetCompiledLosses ()
            let count = Loss.roslynCompilations ()
            let second = compile ()
            Assert.Equal<int>(count, Loss.roslynCompilations ())
            let shape = [| 1; 1; 2; 2 |]
            let p, q = FieldArray<float>([| 1.0; 2.0; 3.0; 4.0 |], shape), FieldArray<float>.Zeros shape
            Assert.Equal<float>(first.Cpu<float>([| p; q |]), second.Cpu<float>([| p; q |]))
            Assert.Contains("DiskProbeCpuGradient", second.GeneratedCode)
        finally
            Loss.CacheDirectory <- previous
            try Directory.Delete(directory, true) with _ -> ()
