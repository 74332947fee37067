using System;
using System.IO;
using System.Runtime.InteropServices;
using LossDsl.IO;

namespace LossDsl.Cli.IO;

/// <summary>numpy <c>.npy</c>: integer or bool labels in, float32 (K, *spatial) out.</summary>
internal sealed class NpyLabelFormat : ILabelFormat
{
    /// <summary>The one instance.</summary>
    public static readonly NpyLabelFormat Instance = new();

    private NpyLabelFormat()
    {
    }

    /// <inheritdoc/>
    public LabelImage Read(string path)
    {
        NpyArray array;
        using (var stream = File.OpenRead(path))
        {
            try
            {
                array = Npy.Read(stream);
            }
            catch (OverflowException)
            {
                // The reader counts elements and bytes with checked arithmetic; a shape like (2^31-1, 2^31-1, 2^31-1) overflows.
                throw new InvalidDataException("the shape in its header has more elements than can be counted or held in memory.");
            }
        }
        if (array.DType is NpyDType.Float32 or NpyDType.Float64)
            throw new InvalidDataException($"unsupported dtype {Npy.Descr(array.DType)}: labels must be an integer or bool array (convert with a.astype(np.uint8)).");
        if (array.Shape.Count == 0)
            throw new InvalidDataException("a 0-d array has no spatial axes.");
        return new LabelImage(array.ShapeArray(), array.ToInt64());
    }

    /// <inheritdoc/>
    public string OutputName(string inputName) => inputName;

    /// <inheritdoc/>
    public void CheckOutputPath(string outputPath)
    {
        if (!outputPath.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
            throw new CliException($"{outputPath}: the maps of a .npy input are written as .npy; name the output *.npy.");
    }

    /// <inheritdoc/>
    public void CheckClasses(int classes)
    {
        // The class axis is one more int dimension of the .npy shape: any positive int fits.
    }

    /// <inheritdoc/>
    public void Write(Stream destination, string path, LabelImage source, int classes, float[] maps)
        => Npy.Write(destination, NpyDType.Float32, MemoryMarshal.AsBytes(maps.AsSpan()), [classes, .. source.Shape]);
}
