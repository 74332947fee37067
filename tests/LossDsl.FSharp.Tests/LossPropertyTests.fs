/// The kit's reusable properties applied to built-in and custom losses, one line each.
module LossDsl.FSharp.Tests.LossPropertyTests

open FsCheck
open FsCheck.Xunit
open global.Xunit
open LossDsl.Testing
open Kit

[<Property(MaxTest = 40)>]
let ``built-in Boundary: CPU equals TorchSharp`` () = LossProperties.CpuMatchesTorch boundary

[<Property(MaxTest = 40)>]
let ``built-in Boundary: minimum at the ground truth`` () = LossProperties.MinimumAtGroundTruth boundary

[<Property(MaxTest = 40)>]
let ``built-in GeneralizedDice: gradient equals finite differences`` () = LossProperties.GradientMatchesFiniteDifferences generalizedDice

[<Property(MaxTest = 40)>]
let ``built-in GeneralizedDice: finite for extreme inputs`` () = LossProperties.FiniteForExtremeInputs generalizedDice

[<Property(MaxTest = 40)>]
let ``custom Tversky: CPU equals TorchSharp`` () = LossProperties.CpuMatchesTorch tversky

[<Property(MaxTest = 40)>]
let ``custom Tversky: minimum at the ground truth`` () = LossProperties.MinimumAtGroundTruth tversky

[<Property(MaxTest = 40)>]
let ``custom Tversky: invariant under batch permutation`` () = LossProperties.BatchPermutationInvariant tversky

[<Property(MaxTest = 40)>]
let ``custom TverskyBoundary: gradient equals finite differences`` () = LossProperties.GradientMatchesFiniteDifferences tverskyBoundary

[<Property(MaxTest = 40)>]
let ``custom TverskyBoundary: CPU equals TorchSharp`` () = LossProperties.CpuMatchesTorch tverskyBoundary

[<Property(MaxTest = 40)>]
let ``custom TverskyBoundary: finite for extreme inputs`` () = LossProperties.FiniteForExtremeInputs tverskyBoundary

[<Fact>]
let ``every applicable property passes for the custom Tversky`` () = LossCheck.All(tversky, 25)
