using System.CommandLine;
using System.IO;
using LossDsl.Cli.IO;
using LossDsl.Distance;

namespace LossDsl.Cli.DistMap;

/// <summary>The <c>distmap</c> command: label files → float32 signed distance maps of all K classes.</summary>
internal static class DistMapCommand
{
    /// <summary>Builds the command; its action writes progress to <paramref name="output"/> and errors to <paramref name="error"/>.</summary>
    public static Command Create(TextWriter output, TextWriter error)
    {
        var input = new Argument<string>("input")
        {
            Description = $"A label file ({LabelFormats.Extensions}) or a folder of them.",
            CustomParser = DistMapOptionParsers.ParsePath,
        };
        var outputOption = new Option<string>("--output", "-o")
        {
            Description = "The output file (for an input file) or folder (for an input folder; created if missing). Never an input.",
            Required = true,
            CustomParser = DistMapOptionParsers.ParsePath,
        };
        // Custom parsers rather than the built-in int parse plus a validator: a validator that reads a value which did not
        // parse throws, and System.CommandLine lets that escape as an unhandled exception.
        var classes = new Option<int>("--classes", "-k")
        {
            Description = "K, the number of classes: labels must lie in 0..K-1; K maps are written, laid out (K, *spatial).",
            Required = true,
            CustomParser = DistMapOptionParsers.ParseClasses,
        };
        var spacing = new Option<double[]?>("--spacing")
        {
            Description = "Pixel spacing per spatial axis, comma-separated, in the file's axis order (numpy order for .npy/.png, "
                + "i,j,k as in pixdim for NIfTI). Default: pixdim for NIfTI, 1 otherwise.",
            CustomParser = DistMapOptionParsers.ParseSpacing,
        };
        var variant = new Option<SignedDistanceVariant>("--variant")
        {
            Description = "reference: the boundary-loss reference's map (its −1 shift is exact only at unit spacing); "
                + "contour: 0 on the inner boundary under any spacing.",
            HelpName = "reference|contour",
            DefaultValueFactory = _ => SignedDistanceVariant.Reference,
            CustomParser = DistMapOptionParsers.ParseVariant,
        };

        var command = new Command("distmap", "Compute the float32 signed distance maps of every class of label images.")
        {
            input, outputOption, classes, spacing, variant,
        };
        command.SetAction(parseResult =>
        {
            var settings = new DistMapSettings(
                parseResult.GetRequiredValue(input),
                parseResult.GetRequiredValue(outputOption),
                parseResult.GetValue(classes),
                // An absent array-typed option reads as an empty array, not null.
                parseResult.GetValue(spacing) is { Length: > 0 } given ? given : null,
                parseResult.GetValue(variant));
            return new DistMapRunner(settings, output, error).Run();
        });
        return command;
    }
}
