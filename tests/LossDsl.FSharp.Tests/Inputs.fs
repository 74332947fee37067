/// Deterministic inputs for F#-declared losses, by the role a parameter's name says (probs, logits, target, dist…).
module LossDsl.FSharp.Tests.Inputs

open System
open LossDsl

/// Fields of shape (B, C, *spatial) for the field parameters of a loss, drawn from one seed: probabilities on the
/// simplex, one-hot targets, logits and distances in a few units.
let fields (parameters: string list) (shape: int[]) (seed: int) : float[][] =
    let random = Random(seed)
    let b, c = shape.[0], shape.[1]
    let plane = Array.fold (*) 1 shape.[2..]
    let length = b * c * plane
    let at bi ci x = (bi * c + ci) * plane + x
    let simplex () =
        let data = Array.init length (fun _ -> random.NextDouble() * 4.0 - 2.0)
        for bi in 0 .. b - 1 do
            for x in 0 .. plane - 1 do
                let m = Seq.max (seq { for ci in 0 .. c - 1 -> data.[at bi ci x] })
                let e = Array.init c (fun ci -> Math.Exp(data.[at bi ci x] - m))
                let s = Array.sum e
                for ci in 0 .. c - 1 do data.[at bi ci x] <- e.[ci] / s
        data
    let oneHot () =
        let data = Array.zeroCreate length
        for bi in 0 .. b - 1 do
            for x in 0 .. plane - 1 do
                data.[at bi (random.Next c) x] <- 1.0
        data
    [| for p in parameters do
         if p.StartsWith "Field " then
             match p.Substring 6 with
             | "probs" -> simplex ()
             | "target" -> oneHot ()
             | _ -> Array.init length (fun _ -> random.NextDouble() * 6.0 - 3.0) |]

let asFloat32 (data: float[][]) = data |> Array.map (Array.map float32)

let arrays (data: 'T[][]) (shape: int[]) = data |> Array.map (fun d -> FieldArray<'T>(d, shape))

let gradients<'T> (count: int) (shape: int[]) = Array.init count (fun _ -> FieldArray<'T>.Zeros shape)
