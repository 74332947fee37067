using System;
using System.IO;

namespace LossDsl.Cli.IO;

/// <summary>
/// PNG: 8/16-bit grayscale labels in; float32 maps out as <c>.npy</c>, because no PNG pixel format holds signed
/// floating-point distances without a lossy, convention-laden quantisation.
/// </summary>
internal sealed class PngLabelFormat : ILabelFormat
{
    /// <summary>The one instance.</summary>
    public static readonly PngLabelFormat Instance = new();

    private PngLabelFormat()
    {
    }

    /// <inheritdoc/>
    public LabelImage Read(string path) => Png.Decode(File.ReadAllBytes(path));

    /// <inheritdoc/>
    public string OutputName(string inputName) => Path.ChangeExtension(inputName, ".npy");

    /// <inheritdoc/>
    public void CheckOutputPath(string outputPath)
    {
        if (!outputPath.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
            throw new CliException($"{outputPath}: PNG cannot hold float32 distance maps; the maps of a PNG input are written as .npy, name the output *.npy.");
    }

    /// <inheritdoc/>
    public void CheckClasses(int classes) => NpyLabelFormat.Instance.CheckClasses(classes);

    /// <inheritdoc/>
    public void Write(Stream destination, string path, LabelImage source, int classes, float[] maps)
        => NpyLabelFormat.Instance.Write(destination, path, source, classes, maps);
}
