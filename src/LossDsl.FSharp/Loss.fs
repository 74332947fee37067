namespace LossDsl.FSharp

open System
open System.Collections.Concurrent
open System.IO
open System.Security.Cryptography
open System.Text
open Microsoft.FSharp.Quotations
open Microsoft.CodeAnalysis.CSharp
open LossDsl.Generators
open LossDsl.FSharp.QuotationCompiler

/// <summary>
/// Compiles losses declared as F# quotations:
/// <c>Loss.compile &lt;@ fun (p: Field) (dist: Field) (idc: int[]) -&gt; mean (select p idc * select dist idc) @&gt;</c>.
/// The quotation becomes the IR of the C# source generator; the generator's passes and emitters (used as a library)
/// write the same C# it would write for the same formula; Roslyn compiles that in memory. Compiled losses are cached
/// by a hash of the compiler, the name, the parameters and the forward graph: in memory, and on disk when
/// <see cref="CacheDirectory"/> (or the environment variable <c>LOSSDSL_FSHARP_CACHE</c>) names a folder.
/// </summary>
[<RequireQualifiedAccess>]
module Loss =
    let private className = "CompiledLosses"

    let private programs = ConcurrentDictionary<string, Lazy<ILossProgram * Lazy<string * string * string>>>()

    /// <summary>
    /// The folder of the on-disk cache (compiled assemblies and their source), or null for none. Defaults to the
    /// environment variable <c>LOSSDSL_FSHARP_CACHE</c>.
    /// </summary>
    let mutable CacheDirectory : string | null = Environment.GetEnvironmentVariable "LOSSDSL_FSHARP_CACHE"

    /// <summary>How many times Roslyn has compiled a loss in this process (a cached loss does not count).</summary>
    let roslynCompilations () = RoslynCompiler.count ()

    /// A compiled loss's identity: what changes its code. The compiler's own build is part of it, so a new version
    /// of LossDsl never loads assemblies an older one left on disk.
    let private key (name: string) (parameters: Parameter list) (graph: string) =
        let compiler = String.Join("|", [ typeof<LossFiles>.Assembly; typeof<ILossProgram>.Assembly; typeof<LossDsl.Field>.Assembly ] |> List.map (fun a -> string a.ManifestModule.ModuleVersionId))
        let text = String.Join("\n", [ compiler; name; String.Join(";", parameters |> List.map describe); graph ])
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes text)).Substring(0, 32)

    let private checkName (name: string) =
        let identifier = not (String.IsNullOrEmpty name) && (Char.IsLetter name.[0] || name.[0] = '_') && Seq.forall (fun c -> Char.IsLetterOrDigit c || c = '_') name
        if not identifier || SyntaxFacts.GetKeywordKind name <> SyntaxKind.None || name = className || name = "LossProgram" then
            invalidArg "name" $"'%s{name}' cannot name a loss: use a C# identifier that is not a keyword (its generated members are named after it)"

    let private instantiate (assembly: Reflection.Assembly) (nameSpace: string) =
        match Activator.CreateInstance(nonNull (assembly.GetType(nameSpace + ".LossProgram", true))) with
        | :? ILossProgram as program -> program
        | _ -> raise (InvalidOperationException("LossDsl.FSharp: the compiled loss has no LossProgram"))

    let private writeAtomically (path: string) (write: string -> unit) =
        let temp = path + "." + string (Guid.NewGuid()) + ".tmp"
        write temp
        File.Move(temp, path, true)

    /// Seconds spent by the last compile that ran Roslyn: generating the C# (differentiate, plan, emit), Roslyn, loading.
    let mutable internal lastCompileSeconds = (0.0, 0.0, 0.0)

    let private build (name: string) (translated: Translated) (id: string) =
        let nameSpace = "LossDsl.FSharp.Compiled.L" + id
        let parameters = declared translated.Parameters
        let directory = CacheDirectory
        let cached = match directory with | null | "" -> None | d -> Some(d, Path.Combine(d, id + ".dll"), Path.Combine(d, id + ".cs"))
        match cached with
        | Some (_, dll, source) when File.Exists dll ->
            let program = instantiate (RoslynCompiler.load nameSpace (File.ReadAllBytes dll)) nameSpace
            let code =
                lazy (
                    let info = program.Info
                    let text = if File.Exists source then File.ReadAllText source else ""
                    let code = LossSources.Generate(info.Graph, info.Name, info.DeclaringType, info.Parameters, info.Accessibility, info.Summary, info.ReservedNames)
                    text, code.TorchSharp, code.Cpu)
            program, code
        | _ ->
            let watch = Diagnostics.Stopwatch.StartNew()
            let adapter = AdapterSource.source nameSpace className name translated.Parameters
            // Roslyn's references and the adapter's parse run meanwhile, on another thread.
            let prepared = RoslynCompiler.prepare adapter
            let file = LossFiles.Generate(translated.Builder, translated.Result, name, nameSpace, className, parameters |> List.map describe)
            let generated = watch.Elapsed.TotalSeconds
            let bytes = RoslynCompiler.compile nameSpace file.Text prepared
            let compiled = watch.Elapsed.TotalSeconds
            match cached with
            | Some (directory, dll, source) ->
                // The disk cache is an optimisation: a folder that cannot be written costs a compile next time, no more.
                try
                    Directory.CreateDirectory directory |> ignore
                    writeAtomically source (fun p -> File.WriteAllText(p, file.Text + adapter))
                    writeAtomically dll (fun p -> File.WriteAllBytes(p, bytes))
                with :? IOException | :? UnauthorizedAccessException -> ()
            | None -> ()
            let program = instantiate (RoslynCompiler.load nameSpace bytes) nameSpace
            lastCompileSeconds <- (generated, compiled - generated, watch.Elapsed.TotalSeconds - compiled)
            program, lazy (file.Text + adapter, file.Code.TorchSharp, file.Code.Cpu)

    /// Drops the in-memory cache (tests of the disk cache: the next compile of a formula reads the disk, or compiles).
    let internal forgetCompiledLosses () = programs.Clear()

    /// <summary>Compiles a quotation into a loss named <paramref name="name"/>.</summary>
    /// <exception cref="LossCompileException">The quotation uses a construct a loss cannot have (the message is the generator's LDxxxx).</exception>
    let compileAs (name: string) (quotation: Expr<'F>) : CompiledLoss<'F> =
        checkName name
        if isNull (box quotation) then nullArg "quotation"
        let translated = translate name quotation.Raw
        let id = key name translated.Parameters translated.Graph
        let entry = programs.GetOrAdd(id, fun id -> lazy (build name translated id))
        let program, code =
            try entry.Value
            with _ ->
                // A failed build is not cached: the next call tries again (and reports again).
                programs.TryRemove(id) |> ignore
                reraise ()
        CompiledLoss<'F>(name, quotation, translated.Parameters, program, code)

    /// <summary>Compiles a quotation into a loss named <c>Loss</c> (see <see cref="compileAs"/>).</summary>
    let compile (quotation: Expr<'F>) : CompiledLoss<'F> = compileAs "Loss" quotation
