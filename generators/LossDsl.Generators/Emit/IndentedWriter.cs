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
