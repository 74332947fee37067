/// Compiles generated C# in memory with Roslyn and loads it; keeps the bytes on disk when a cache folder is named,
/// so a later process loads them without compiling.
module internal LossDsl.FSharp.RoslynCompiler

open System
open System.IO
open System.Reflection
open System.Threading
open System.Threading.Tasks
open Microsoft.CodeAnalysis
open Microsoft.CodeAnalysis.CSharp

let mutable private compilations = 0

/// How many times Roslyn compiled a loss in this process.
let count () = Volatile.Read &compilations

/// The references of the generated code: the framework (trusted platform assemblies), LossDsl, TorchSharp, the
/// tensor spans, and this assembly (ILossProgram). Built once: reading ~200 metadata files is most of a first compile.
let private references =
    lazy (
        let framework =
            (match AppContext.GetData "TRUSTED_PLATFORM_ASSEMBLIES" with | :? string as s -> s | _ -> "").Split Path.PathSeparator
            |> Array.filter (fun p ->
                let name = string (Path.GetFileNameWithoutExtension p)
                name.StartsWith("System.", StringComparison.Ordinal) || name = "System" || name = "netstandard" || name = "mscorlib")
        let ours =
            [ typeof<LossDsl.Field>.Assembly; typeof<TorchSharp.torch>.Assembly; typeof<System.Numerics.Tensors.TensorPrimitives>.Assembly
              typeof<LossDsl.FSharp.ILossProgram>.Assembly ]
            |> List.map (fun a -> a.Location)
        Seq.append framework ours
        |> Seq.filter (fun p -> not (String.IsNullOrEmpty p) && File.Exists p)
        |> Seq.distinctBy (fun p -> Path.GetFileName p)
        |> Seq.map (fun p -> MetadataReference.CreateFromFile p :> MetadataReference)
        |> Seq.toArray)

let private options =
    CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel = OptimizationLevel.Release,
                             nullableContextOptions = NullableContextOptions.Enable, deterministic = true, allowUnsafe = true)

/// Documentation comments are read as plain comments: nothing here writes an XML documentation file, and the generated
/// file is mostly comments (formulas, remarks), whose structured parsing is Roslyn code that a first compile would JIT
/// for nothing (about 500 of the 15,800 methods a cold compile JIT-compiles; docs/performance.md).
let private parse = CSharpParseOptions(LanguageVersion.Latest, DocumentationMode.None)

/// <summary>
/// Starts the part of a compile that does not need the generated loss file, on the thread pool: reading the
/// references' metadata (once per process) and parsing the adapter, whose source is known before the generator runs.
/// So on a machine with a free core they overlap with the generator (differentiate, plan, emit), and the parser's
/// first JIT is paid there rather than after it.
/// </summary>
let prepare (adapter: string) : Task<SyntaxTree> =
    Task.Run(fun () ->
        references.Force() |> ignore
        CSharpSyntaxTree.ParseText(adapter, parse))

/// Compiles the generated file with the prepared adapter into an assembly named <paramref name="assemblyName"/>; its
/// bytes, or an exception with Roslyn's errors (which would be a bug of the generator: the same code compiles in a C#
/// project).
let compile (assemblyName: string) (file: string) (adapter: Task<SyntaxTree>) : byte[] =
    let tree = CSharpSyntaxTree.ParseText(file, parse)
    let trees = [ tree; adapter.GetAwaiter().GetResult() ]
    let compilation = CSharpCompilation.Create(assemblyName, trees, references.Value, options)
    use stream = new MemoryStream()
    let result = compilation.Emit stream
    Interlocked.Increment &compilations |> ignore
    if not result.Success then
        let errors =
            result.Diagnostics
            |> Seq.filter (fun d -> d.Severity = DiagnosticSeverity.Error)
            |> Seq.truncate 10
            |> Seq.map string
        raise (InvalidOperationException("LossDsl.FSharp: the generated code did not compile (please report this with the loss): " + String.Join("; ", errors)))
    stream.ToArray()

/// Loads compiled bytes into a load context of their own (so the same loss can be loaded again, e.g. from the disk
/// cache after the memory cache was dropped), which resolves LossDsl, TorchSharp and this assembly from the default
/// context, shared with the caller. Not collectible: a loss's assembly stays loaded for the process's lifetime, like
/// the losses of a C# project (TorchSharp keeps its autograd function types in static caches).
let load (name: string) (bytes: byte[]) : Assembly =
    Runtime.Loader.AssemblyLoadContext(name, false).LoadFromStream(new MemoryStream(bytes))
