/// Where a quoted construct is, and its source text for messages: F# quotations carry their source range in a
/// "DebugRange" custom attribute; the text is read back from the file when it is still there.
module internal LossDsl.FSharp.SourceText

open System
open System.IO
open System.Collections.Concurrent
open Microsoft.FSharp.Quotations
open Microsoft.FSharp.Quotations.Patterns

type Range = { File: string; StartLine: int; StartColumn: int; EndLine: int; EndColumn: int }

let range (expr: Expr) : Range option =
    expr.CustomAttributes
    |> List.tryPick (function
        | NewTuple [ Value (:? string as name, _); NewTuple [ Value (:? string as file, _); Value (:? int as sl, _); Value (:? int as sc, _); Value (:? int as el, _); Value (:? int as ec, _) ] ]
            when name = "DebugRange" -> Some { File = file; StartLine = sl; StartColumn = sc; EndLine = el; EndColumn = ec }
        | _ -> None)

/// "File.fs(line,column)" as compilers print positions, or empty.
let position (expr: Expr) =
    match range expr with
    | Some r -> $"%s{r.File}(%d{r.StartLine},%d{r.StartColumn + 1})"
    | None -> ""

let private files = ConcurrentDictionary<string, string[] option>()

let private lines file =
    files.GetOrAdd(file, fun f -> try (if File.Exists f then Some(File.ReadAllLines f) else None) with _ -> None)

/// The same shortening as the generator's snippets: one line, single spaces, at most 60 characters.
let shorten (text: string) =
    let mutable t = text.Replace("\r", " ").Replace("\n", " ")
    while t.Contains "  " do
        t <- t.Replace("  ", " ")
    let t = t.Trim()
    if t.Length <= 60 then t else t.Substring(0, 57) + "..."

/// The construct's source text when the file is readable, else the quotation's own printing.
let snippet (expr: Expr) =
    let fromFile =
        match range expr with
        | Some r when r.StartLine >= 1 && r.EndLine >= r.StartLine ->
            match lines r.File with
            | Some ls when r.EndLine <= ls.Length ->
                let parts =
                    [ for l in r.StartLine .. r.EndLine ->
                        let line = ls.[l - 1]
                        let s = if l = r.StartLine then Math.Min(r.StartColumn, line.Length) else 0
                        let e = if l = r.EndLine then Math.Min(r.EndColumn, line.Length) else line.Length
                        if e > s then line.Substring(s, e - s) else "" ]
                Some(String.Join(" ", parts))
            | _ -> None
        | _ -> None
    shorten (defaultArg fromFile (string expr))
