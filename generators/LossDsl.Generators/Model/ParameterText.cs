using System;

namespace LossDsl.Generators.Model;

/// <summary>
/// A parameter as <c>LossInfo.Parameters</c> lists it (<c>Field probs</c>, <c>float alpha = 0.3f</c>, <c>int[] idc</c>,
/// <c>Field @default</c>) and back: the stored form is what tools read, so regenerating code must parse it.
/// </summary>
internal static class ParameterText
{
    private const string DefaultSeparator = " = ";

    public static string Describe(ParameterModel parameter) => parameter.Declaration("Field");

    /// <summary>The inverse of <see cref="Describe"/>; throws <see cref="FormatException"/> on anything else.</summary>
    public static ParameterModel Parse(string text)
    {
        var space = text.IndexOf(' ');
        if (space <= 0)
        {
            throw new FormatException($"'{text}' is not a [Loss] parameter declaration");
        }

        var kind = text.Substring(0, space) switch
        {
            "Field" => ParameterKind.Field,
            "float" => ParameterKind.Float,
            "double" => ParameterKind.Double,
            "int" => ParameterKind.Int,
            "int[]" => ParameterKind.ClassList,
            var other => throw new FormatException($"'{text}': a [Loss] parameter has no type '{other}'"),
        };
        var rest = text.Substring(space + 1);
        // A name is an identifier and a default a literal, so the first " = " separates them.
        var equals = rest.IndexOf(DefaultSeparator, StringComparison.Ordinal);
        var name = equals < 0 ? rest : rest.Substring(0, equals);
        var defaultValue = equals < 0 ? "" : rest.Substring(equals + DefaultSeparator.Length);
        if (name.Length == 0 || name.IndexOf(' ') >= 0)
        {
            throw new FormatException($"'{text}' is not a [Loss] parameter declaration");
        }

        // The model keeps names as the compiler spells them, without the @ that Describe wrote for a keyword.
        return new ParameterModel(name[0] == '@' ? name.Substring(1) : name, kind, defaultValue);
    }
}
