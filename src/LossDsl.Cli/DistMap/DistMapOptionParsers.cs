using System;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;
using LossDsl.Distance;

namespace LossDsl.Cli.DistMap;

/// <summary>
/// Parsers of the distmap option values. Each reports a value it cannot take as one usage error line that names the
/// option and the value given; none throws, because an exception from a parser or validator escapes System.CommandLine
/// as an unhandled exception with a stack trace (exit 134).
/// </summary>
internal static class DistMapOptionParsers
{
    /// <summary>--classes: a whole number from 1 to <see cref="int.MaxValue"/>.</summary>
    public static int ParseClasses(ArgumentResult result)
    {
        string text = Single(result);
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int k))
        {
            if (k < 1)
                result.AddError($"--classes must be at least 1; got {k}.");
            return k;
        }
        // A whole number that does not fit an int is a different mistake from a word: say which.
        if (BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out BigInteger big))
            result.AddError(big > 0 ? $"--classes {text} is too large; at most {int.MaxValue}." : $"--classes must be at least 1; got {text}.");
        else
            result.AddError($"--classes must be a whole number of classes, e.g. --classes 3; got '{text}'.");
        return 0;
    }

    /// <summary>--spacing: positive finite numbers separated by commas.</summary>
    public static double[]? ParseSpacing(ArgumentResult result)
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

    /// <summary>--variant: reference or contour (one error line, unlike AcceptOnlyFromAmong's list).</summary>
    public static SignedDistanceVariant ParseVariant(ArgumentResult result)
    {
        string text = Single(result);
        switch (text)
        {
            case "reference":
                return SignedDistanceVariant.Reference;
            case "contour":
                return SignedDistanceVariant.Contour;
            default:
                result.AddError($"--variant must be reference or contour; got '{text}'.");
                return SignedDistanceVariant.Reference;
        }
    }

    /// <summary>A path argument or option: anything but an empty or blank string.</summary>
    public static string ParsePath(ArgumentResult result)
    {
        string text = Single(result);
        if (string.IsNullOrWhiteSpace(text))
            result.AddError($"{Name(result)} must name a file or folder; got an empty value.");
        return text;
    }

    // The arity of these options is one value, so System.CommandLine passes exactly one token; stay safe regardless.
    private static string Single(ArgumentResult result) => result.Tokens.Count == 1 ? result.Tokens[0].Value : "";

    private static string Name(ArgumentResult result) => result.Parent is OptionResult option ? option.Option.Name : $"<{result.Argument.Name}>";
}
