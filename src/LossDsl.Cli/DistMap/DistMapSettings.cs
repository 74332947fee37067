using LossDsl.Distance;

namespace LossDsl.Cli.DistMap;

/// <summary>The parsed options of one <c>lossdsl distmap</c> run.</summary>
/// <param name="Input">The input file or folder.</param>
/// <param name="Output">The output file (for a file) or folder (for a folder).</param>
/// <param name="Classes">K: labels must lie in 0..K−1, and K maps are written.</param>
/// <param name="Spacing">The spacing per spatial axis as given on the command line (file axis order), or null.</param>
/// <param name="Variant">Which signed distance to compute.</param>
internal sealed record DistMapSettings(string Input, string Output, int Classes, double[]? Spacing, SignedDistanceVariant Variant);
