using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace LossDsl.Cli.Inspect;

/// <summary>
/// Writes headings, mathematics and C# code, with ANSI colours (a light C# highlighter: comments, strings, numbers,
/// keywords) when <c>colour</c> is set, and as the exact plain text otherwise. Code lines are never wrapped.
/// </summary>
internal sealed class AnsiText(TextWriter output, bool colour)
{
    private const string Reset = "\u001b[0m", Bold = "\u001b[1m", Cyan = "\u001b[36m", Yellow = "\u001b[33m",
        Green = "\u001b[32m", Blue = "\u001b[94m", Magenta = "\u001b[35m", Gray = "\u001b[90m";

    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "public", "private", "internal", "protected", "static", "sealed", "partial", "class", "struct", "readonly", "ref",
        "out", "in", "var", "new", "return", "if", "else", "for", "foreach", "while", "using", "namespace", "override",
        "void", "int", "long", "nint", "float", "double", "bool", "true", "false", "null", "this", "base", "where", "unsafe",
        "fixed", "const", "checked", "unchecked", "typeof", "sizeof", "is", "not", "and", "or", "get", "set", "init", "scoped",
        "throw", "try", "finally", "catch", "break", "continue", "T", "global",
    };

    public void Heading(string text) => output.WriteLine(colour ? Bold + Cyan + text + Reset : text);

    public void Line(string text) => output.WriteLine(text);

    public void Blank() => output.WriteLine();

    public void Formula(string text)
    {
        foreach (string line in text.Split('\n'))
            output.WriteLine(colour ? "  " + Yellow + line + Reset : "  " + line);
    }

    public void Code(string source)
    {
        foreach (string line in source.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n'))
            output.WriteLine(colour ? Highlight(line) : line);
    }

    /// <summary>One line of C#, coloured token by token (a block comment spanning lines is coloured line by line as code; good enough for generated code, which uses // comments).</summary>
    private static string Highlight(string line)
    {
        var result = new StringBuilder(line.Length + 32);
        int i = 0;
        while (i < line.Length)
        {
            char c = line[i];
            if (c == '/' && i + 1 < line.Length && (line[i + 1] == '/' || line[i + 1] == '*'))
            {
                result.Append(Green).Append(line, i, line.Length - i).Append(Reset);
                break;
            }
            if (c == '"')
            {
                int end = i + 1;
                while (end < line.Length && line[end] != '"')
                    end += line[end] == '\\' ? 2 : 1;
                end = System.Math.Min(end + 1, line.Length);
                result.Append(Magenta).Append(line, i, end - i).Append(Reset);
                i = end;
                continue;
            }
            if (char.IsDigit(c))
            {
                int end = i;
                while (end < line.Length && (char.IsLetterOrDigit(line[end]) || line[end] == '.' || ((line[end] == '-' || line[end] == '+') && (line[end - 1] == 'e' || line[end - 1] == 'E'))))
                    end++;
                result.Append(Yellow).Append(line, i, end - i).Append(Reset);
                i = end;
                continue;
            }
            if (char.IsLetter(c) || c == '_' || c == '@')
            {
                int end = i + 1;
                while (end < line.Length && (char.IsLetterOrDigit(line[end]) || line[end] == '_'))
                    end++;
                string word = line[i..end];
                if (Keywords.Contains(word))
                    result.Append(Blue).Append(word).Append(Reset);
                else if (word == "global" || (end < line.Length && line[end] == ':' && end + 1 < line.Length && line[end + 1] == ':'))
                    result.Append(Gray).Append(word).Append(Reset);
                else
                    result.Append(word);
                i = end;
                continue;
            }
            result.Append(c);
            i++;
        }
        return result.ToString();
    }
}
