using System.Globalization;

namespace LossDsl.Generators.Model;

/// <summary>Numbers and defaults written as C# source: default values in generated signatures, constants in generated code.</summary>
internal static class CSharpLiterals
{
    public static string Format(object? value) => value switch
    {
        // A class list's default: the generated signature is in a nullable-enabled file, where plain null warns (CS8625).
        null => "null!",
        float f when float.IsNaN(f) => "float.NaN",
        float f when float.IsPositiveInfinity(f) => "float.PositiveInfinity",
        float f when float.IsNegativeInfinity(f) => "float.NegativeInfinity",
        float f => f.ToString("R", CultureInfo.InvariantCulture) + "f",
        double d when double.IsNaN(d) => "double.NaN",
        double d when double.IsPositiveInfinity(d) => "double.PositiveInfinity",
        double d when double.IsNegativeInfinity(d) => "double.NegativeInfinity",
        double d => WithPoint(d.ToString("R", CultureInfo.InvariantCulture)),
        int i => i.ToString(CultureInfo.InvariantCulture),
        _ => System.Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    /// <summary>"1" is an int literal; "1.0" keeps a double default a double wherever it is pasted.</summary>
    private static string WithPoint(string text) =>
        text.IndexOf('.') >= 0 || text.IndexOf('E') >= 0 ? text : text + ".0";
}
