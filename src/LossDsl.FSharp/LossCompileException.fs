namespace LossDsl.FSharp

open System
open LossDsl.Generators

/// <summary>
/// A quotation that <c>Loss.compile</c> cannot compile. <see cref="Id"/> is the matching diagnostic of the C# source
/// generator (<c>LD0001</c>…, listed in docs/diagnostics.md), and the message is worded as that diagnostic, followed by
/// where the construct is in the F# source when the quotation carries its position.
/// </summary>
type LossCompileException(id: string, message: string, position: string) =
    inherit Exception(if String.IsNullOrEmpty position then $"%s{id}: %s{message}" else $"%s{id}: %s{message} (at %s{position})")

    /// <summary>The diagnostic id, e.g. <c>LD0001</c>.</summary>
    member _.Id = id

    /// <summary>The diagnostic's message, without the id and the position.</summary>
    member _.Diagnostic = message

    /// <summary>Where the construct is (<c>file(line,column)</c>), or empty when the quotation does not say.</summary>
    member _.Position = position

    /// <summary>Raises diagnostic <paramref name="id"/> with its arguments, worded as the generator words it.</summary>
    static member internal Raise(id: string, position: string, [<ParamArray>] args: obj[]) : 'T =
        raise (LossCompileException(id, LossFiles.Message(id, args), position))
