namespace LossDsl.FSharp.Tests

open Xunit

// The compile-cache tests read a process-wide counter of Roslyn compilations: tests that compile losses must not run
// beside them. The suite is a few seconds, so running its classes one after another costs little.
[<assembly: CollectionBehavior(DisableTestParallelization = true)>]
do ()
