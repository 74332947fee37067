using System;
using System.Text;

namespace LossDsl.Generators.Emit;

/// <summary>Writes C# source line by line with indentation, instead of concatenating strings.</summary>
internal sealed class IndentedWriter
{
    private const string IndentUnit = "    ";
    private readonly StringBuilder text = new();
    private int depth;

    /// <summary>Writes one line at the current indentation (an empty line has no trailing spaces).</summary>
    public IndentedWriter Line(string line = "")
    {
        if (line.Length > 0)
        {
            for (var i = 0; i < depth; i++)
            {
                text.Append(IndentUnit);
            }
        }

        text.Append(line).Append('\n');
        return this;
    }

    /// <summary>Writes each line of a multi-line block at the current indentation.</summary>
    public IndentedWriter Lines(string block)
    {
        foreach (var line in block.Replace("\r\n", "\n").TrimEnd('\n').Split('\n'))
        {
            Line(line);
        }

        return this;
    }

    /// <summary>Writes <c>{</c>, indents, and un-indents and writes <c>}</c> (plus <paramref name="suffix"/>) on dispose.</summary>
    public Block OpenBlock(string suffix = "")
    {
        Line("{");
        depth++;
        return new Block(this, suffix);
    }

    public IndentedWriter Indent()
    {
        depth++;
        return this;
    }

    public IndentedWriter Outdent()
    {
        depth = Math.Max(0, depth - 1);
        return this;
    }

    /// <summary>Where the next line will be written: a mark for <see cref="Since"/> and <see cref="InsertLine"/>.</summary>
    public int Position => text.Length;

    /// <summary>The text written since <paramref name="position"/>.</summary>
    public string Since(int position) => text.ToString(position, text.Length - position);

    /// <summary>Writes one line at <paramref name="position"/> (a mark taken at the current indentation), before what followed it.</summary>
    public void InsertLine(int position, string line)
    {
        var indented = new StringBuilder();
        for (var i = 0; i < depth; i++)
        {
            indented.Append(IndentUnit);
        }

        text.Insert(position, indented.Append(line).Append('\n').ToString());
    }

    public override string ToString() => text.ToString();

    /// <summary>Closes a block opened by <see cref="OpenBlock"/>.</summary>
    public readonly struct Block : IDisposable
    {
        private readonly IndentedWriter writer;
        private readonly string suffix;

        public Block(IndentedWriter writer, string suffix)
        {
            this.writer = writer;
            this.suffix = suffix;
        }

        public void Dispose()
        {
            writer.depth--;
            writer.Line("}" + suffix);
        }
    }
}
