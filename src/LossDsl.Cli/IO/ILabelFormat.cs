using System.IO;

namespace LossDsl.Cli.IO;

/// <summary>One file format distmap reads labels from and writes maps to.</summary>
internal interface ILabelFormat
{
    /// <summary>Reads a label image.</summary>
    /// <exception cref="InvalidDataException">Corrupt file or unsupported content.</exception>
    LabelImage Read(string path);

    /// <summary>The output file name for an input file name, in folder mode.</summary>
    string OutputName(string inputName);

    /// <summary>Throws a <see cref="CliException"/> when maps of this format cannot be written to <paramref name="outputPath"/> (file mode).</summary>
    void CheckOutputPath(string outputPath);

    /// <summary>Throws a <see cref="CliException"/> when the output format cannot record <paramref name="classes"/> maps.</summary>
    void CheckClasses(int classes);

    /// <summary>Writes the float32 maps (K, *spatial) of <paramref name="source"/> to <paramref name="destination"/>, named <paramref name="path"/>.</summary>
    void Write(Stream destination, string path, LabelImage source, int classes, float[] maps);
}
