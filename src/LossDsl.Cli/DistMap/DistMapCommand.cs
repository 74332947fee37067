using System;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
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
        };
        var outputOption = new Option<string>("--output", "-o")
        {
            Description = "The output file (for an input file) or folder (for an input folder; created if missing).",
            Required = true,
        };
        var classes = new Option<int>("--classes", "-k")
        {
            Description = "K, the number of classes: labels must lie in 0..K-1; K maps are written, laid out (K, *spatial).",
            Required = true,
        };
        classes.Validators.Add(result =>
        {
            int k = result.GetValueOrDefault<int>();
            if (k < 1)
                result.AddError($"--classes must be at least 1; got {k}.");
        });
        var spacing = new Option<double[]?>("--spacing")
        {
            Description = "Pixel spacing per spatial axis, comma-separated, in the file's axis order (numpy order for .npy/.png, "
                + "i,j,k as in pixdim for NIfTI). Default: pixdim for NIfTI, 1 otherwise.",
            CustomParser = ParseSpacing,
        };
        var variant = new Option<string>("--variant")
        {
            Description = "reference: the boundary-loss reference's map (its −1 shift is exact only at unit spacing); "
                + "contour: 0 on the inner boundary under any spacing.",
            DefaultValueFactory = _ => "reference",
        };
        variant.AcceptOnlyFromAmong("reference", "contour");

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
                parseResult.GetValue(variant) == "contour" ? SignedDistanceVariant.Contour : SignedDistanceVariant.Reference);
            return new DistMapRunner(settings, output, error).Run();
        });
        return command;
    }

    private static double[]? ParseSpacing(ArgumentResult result)
    {
        if (result.Tokens.Count != 1)
        {
            result.AddError("--spacing takes one value, e.g. --spacing 1,1,2.5.");
            return null;
        }
        string text = result.Tokens[0].Value;
        string[] parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i])
                || !(values[i] > 0) || double.IsInfinity(values[i]))
            {
                result.AddError($"--spacing must be positive numbers separated by commas, e.g. 1,1,2.5; got '{text}'.");
                return null;
            }
        }
        return values;
    }
}
