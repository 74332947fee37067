using System.Globalization;
using System.Linq;
using System.Text;
using LossDsl.Generators.Model;

namespace LossDsl.Generators.Emit;

/// <summary>
/// Hint names of generated files. Roslyn compares them ignoring case and allows only file-name characters, while C#
/// names are case-sensitive and may be any Unicode letters, so a hint is built to be unique by construction:
/// the declaring type's full name, the loss name and its parameter kinds (an overload discriminator), with every
/// character other than an ASCII letter, digit, <c>_</c> or <c>.</c> written as <c>-xxxx</c> (its UTF-16 code), followed
/// by the case of every ASCII letter as a bit mask in lower-case base 32. Two losses that differ in any character, in
/// case or in their overload get different hints, e.g. <c>Fuzz.L.ce.F.h4.g.cs</c> and <c>Fuzz.L.Ce.F.hk.g.cs</c>.
/// </summary>
internal static class HintNames
{
    public static string For(LossModel model)
    {
        var signature = string.Concat(model.Parameters.Select(p => Code(p.Kind)));
        var readable = Encode(model.TypeFullName + "." + model.Name) + "." + (signature.Length == 0 ? "_" : signature);
        return readable + "." + CaseMask(readable) + ".g.cs";
    }

    private static string Code(ParameterKind kind) => kind switch
    {
        ParameterKind.Field => "F",
        ParameterKind.Float => "f",
        ParameterKind.Double => "d",
        ParameterKind.Int => "i",
        _ => "c",
    };

    private static string Encode(string text)
    {
        var result = new StringBuilder();
        foreach (var ch in text)
        {
            if (ch is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' or '.')
            {
                result.Append(ch);
            }
            else
            {
                result.Append('-').Append(((int)ch).ToString("x4", CultureInfo.InvariantCulture));
            }
        }

        return result.ToString();
    }

    /// <summary>One bit per ASCII letter (1 = upper case), five bits per base-32 digit, most significant first.</summary>
    private static string CaseMask(string text)
    {
        const string Digits = "0123456789abcdefghijklmnopqrstuv";
        var bits = text.Where(char.IsLetter).Select(ch => ch is >= 'A' and <= 'Z' ? 1 : 0).ToList();
        var result = new StringBuilder();
        for (var i = 0; i < bits.Count; i += 5)
        {
            var value = 0;
            for (var j = i; j < i + 5; j++)
            {
                value = (value << 1) | (j < bits.Count ? bits[j] : 0);
            }

            result.Append(Digits[value]);
        }

        return result.Length == 0 ? "0" : result.ToString();
    }
}
