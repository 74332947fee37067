/// Every built-in loss re-declared in F#, compiled once per test run and shared by the tests (compiling is the
/// expensive part: once per loss, never once per FsCheck case). Same parameter and local names as the C# declarations
/// in src/LossDsl/Losses, so the formulas read the same; the FromLogits variants splice the F# loss they build on.
module LossDsl.FSharp.Tests.DeclaredLosses

open LossDsl
open LossDsl.FSharp

let boundary =
    Loss.compileAs "Boundary" <@ fun (probs: Field) (dist: Field) (idc: int[]) -> mean (select probs idc * select dist idc) @>

let boundaryFromLogits =
    Loss.compileAs "BoundaryFromLogits" <@ fun (logits: Field) (dist: Field) (idc: int[]) -> (%boundary.Formula) (softmax logits) dist idc @>

let crossEntropy =
    Loss.compileAs "CrossEntropy" <@ fun (probs: Field) (target: Field) (idc: int[]) ->
        let y = select target idc
        -sum (y * log (select probs idc + 1e-10)) / (sum y + 1e-10) @>

let crossEntropyFromLogits =
    Loss.compileAs "CrossEntropyFromLogits" <@ fun (logits: Field) (target: Field) (idc: int[]) ->
        let y = select target idc
        -sum (y * select (logSoftmax logits) idc) / (sum y + 1e-10) @>

let focal =
    Loss.compileAs "Focal" <@ fun (probs: Field) (target: Field) (idc: int[]) (gamma: float) ->
        let p = select probs idc
        let y = select target idc
        -sum (pow (1.0 - p) gamma * y * log (p + 1e-10)) / (sum y + 1e-10) @>

let focalFromLogits =
    Loss.compileAs "FocalFromLogits" <@ fun (logits: Field) (target: Field) (idc: int[]) (gamma: float) ->
        let p = select (softmax logits) idc
        let y = select target idc
        -sum (pow (1.0 - p) gamma * y * select (logSoftmax logits) idc) / (sum y + 1e-10) @>

let dice =
    Loss.compileAs "Dice" <@ fun (probs: Field) (target: Field) (idc: int[]) ->
        let p = select probs idc
        let y = select target idc
        mean (1.0 - (2.0 * sumSpatial (p * y) + 1e-10) / (sumSpatial p + sumSpatial y + 1e-10)) @>

let diceFromLogits =
    Loss.compileAs "DiceFromLogits" <@ fun (logits: Field) (target: Field) (idc: int[]) -> (%dice.Formula) (softmax logits) target idc @>

let generalizedDice =
    Loss.compileAs "GeneralizedDice" <@ fun (probs: Field) (target: Field) (idc: int[]) ->
        let p = select probs idc
        let y = select target idc
        let w = 1.0 / square (sumSpatial y + 1e-10)
        let intersection = w * sumSpatial (p * y)
        let union = w * (sumSpatial p + sumSpatial y)
        mean (1.0 - 2.0 * (sumClasses intersection + 1e-10) / (sumClasses union + 1e-10)) @>

let generalizedDiceFromLogits =
    Loss.compileAs "GeneralizedDiceFromLogits" <@ fun (logits: Field) (target: Field) (idc: int[]) -> (%generalizedDice.Formula) (softmax logits) target idc @>

let generalizedDiceMonai =
    Loss.compileAs "GeneralizedDiceMonai" <@ fun (probs: Field) (target: Field) (idc: int[]) ->
        let p = select probs idc
        let y = select target idc
        let volume = sumSpatial y
        let w = 1.0 / square (volume + 1e-10)
        let present = step volume
        let anyPresent = maxClasses present
        let borrowed = anyPresent * maxClasses (present * w) + (1.0 - anyPresent) * w
        let weights = present * w + (1.0 - present) * borrowed
        let intersection = weights * sumSpatial (p * y)
        let union = weights * (sumSpatial p + volume)
        mean (1.0 - 2.0 * (sumClasses intersection + 1e-10) / (sumClasses union + 1e-10)) @>

let generalizedDiceMonaiFromLogits =
    Loss.compileAs "GeneralizedDiceMonaiFromLogits" <@ fun (logits: Field) (target: Field) (idc: int[]) -> (%generalizedDiceMonai.Formula) (softmax logits) target idc @>

let tversky =
    Loss.compileAs "Tversky" <@ fun (probs: Field) (target: Field) (idc: int[]) (alpha: float) (beta: float) ->
        let p = select probs idc
        let y = select target idc
        let tp = sumSpatial (p * y)
        let fp = sumSpatial (p * (1.0 - y))
        let fn = sumSpatial ((1.0 - p) * y)
        mean (1.0 - (tp + 1e-10) / (tp + alpha * fp + beta * fn + 1e-10)) @>

let tverskyFromLogits =
    Loss.compileAs "TverskyFromLogits" <@ fun (logits: Field) (target: Field) (idc: int[]) (alpha: float) (beta: float) ->
        (%tversky.Formula) (softmax logits) target idc alpha beta @>

let gdlBoundary =
    Loss.compileAs "GdlBoundary" <@ fun (probs: Field) (target: Field) (dist: Field) (idc: int[]) (alpha: float) ->
        (1.0 - alpha) * (%generalizedDice.Formula) probs target idc + alpha * (%boundary.Formula) probs dist idc @>

let gdlBoundaryFromLogits =
    Loss.compileAs "GdlBoundaryFromLogits" <@ fun (logits: Field) (target: Field) (dist: Field) (idc: int[]) (alpha: float) ->
        (%gdlBoundary.Formula) (softmax logits) target dist idc alpha @>

let crossEntropyBoundary =
    Loss.compileAs "CrossEntropyBoundary" <@ fun (probs: Field) (target: Field) (dist: Field) (idc: int[]) (alpha: float) ->
        (1.0 - alpha) * (%crossEntropy.Formula) probs target idc + alpha * (%boundary.Formula) probs dist idc @>

let crossEntropyBoundaryFromLogits =
    Loss.compileAs "CrossEntropyBoundaryFromLogits" <@ fun (logits: Field) (target: Field) (dist: Field) (idc: int[]) (alpha: float) ->
        (1.0 - alpha) * (%crossEntropyFromLogits.Formula) logits target idc + alpha * (%boundary.Formula) (softmax logits) dist idc @>

let diceCrossEntropy =
    Loss.compileAs "DiceCrossEntropy" <@ fun (probs: Field) (target: Field) (idc: int[]) (diceWeight: float) (crossEntropyWeight: float) ->
        diceWeight * (%dice.Formula) probs target idc + crossEntropyWeight * (%crossEntropy.Formula) probs target idc @>

let diceCrossEntropyFromLogits =
    Loss.compileAs "DiceCrossEntropyFromLogits" <@ fun (logits: Field) (target: Field) (idc: int[]) (diceWeight: float) (crossEntropyWeight: float) ->
        diceWeight * (%dice.Formula) (softmax logits) target idc + crossEntropyWeight * (%crossEntropyFromLogits.Formula) logits target idc @>

let hausdorffDT =
    Loss.compileAs "HausdorffDT" <@ fun (probs: Field) (target: Field) (distTarget: Field) (distPrediction: Field) (idc: int[]) ->
        mean (square (select probs idc - select target idc) * (square (select distTarget idc) + square (select distPrediction idc))) @>

let hausdorffDTFromLogits =
    Loss.compileAs "HausdorffDTFromLogits" <@ fun (logits: Field) (target: Field) (distTarget: Field) (distPrediction: Field) (idc: int[]) ->
        (%hausdorffDT.Formula) (softmax logits) target distTarget distPrediction idc @>

/// Composition with a built-in: the C# generator's GeneralizedDice (its stored graph) plus an F# term.
let gdlPlusBoundaryOfBuiltins =
    Loss.compileAs "GdlPlusBoundary" <@ fun (probs: Field) (target: Field) (dist: Field) (idc: int[]) (alpha: float) ->
        (1.0 - alpha) * SegmentationLosses.GeneralizedDice(probs, target, idc) + alpha * SegmentationLosses.Boundary(probs, dist, idc) @>

/// Each re-declared built-in: the F# loss, the built-in's name, its hyper-parameters (after the class list), whether
/// its first field is logits.
let all : (CompiledLoss * string * obj list) list =
    [ boundary, "Boundary", []
      boundaryFromLogits, "BoundaryFromLogits", []
      crossEntropy, "CrossEntropy", []
      crossEntropyFromLogits, "CrossEntropyFromLogits", []
      focal, "Focal", [ box 2.0 ]
      focalFromLogits, "FocalFromLogits", [ box 2.0 ]
      dice, "Dice", []
      diceFromLogits, "DiceFromLogits", []
      generalizedDice, "GeneralizedDice", []
      generalizedDiceFromLogits, "GeneralizedDiceFromLogits", []
      generalizedDiceMonai, "GeneralizedDiceMonai", []
      generalizedDiceMonaiFromLogits, "GeneralizedDiceMonaiFromLogits", []
      tversky, "Tversky", [ box 0.3; box 0.7 ]
      tverskyFromLogits, "TverskyFromLogits", [ box 0.3; box 0.7 ]
      gdlBoundary, "GdlBoundary", [ box 0.25 ]
      gdlBoundaryFromLogits, "GdlBoundaryFromLogits", [ box 0.25 ]
      crossEntropyBoundary, "CrossEntropyBoundary", [ box 0.25 ]
      crossEntropyBoundaryFromLogits, "CrossEntropyBoundaryFromLogits", [ box 0.25 ]
      diceCrossEntropy, "DiceCrossEntropy", [ box 1.0; box 0.5 ]
      diceCrossEntropyFromLogits, "DiceCrossEntropyFromLogits", [ box 1.0; box 0.5 ]
      hausdorffDT, "HausdorffDT", []
      hausdorffDTFromLogits, "HausdorffDTFromLogits", [] ]
