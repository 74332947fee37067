using System;
using System.IO;

namespace LossDsl.Cli.IO;

/// <summary>NIfTI-1 (.nii, .nii.gz): integer labels in, a float32 4-D volume with the classes on the fourth axis out.</summary>
internal sealed class NiftiLabelFormat : ILabelFormat
{
    /// <summary>The one instance.</summary>
    public static readonly NiftiLabelFormat Instance = new();

    private NiftiLabelFormat()
    {
    }

    /// <inheritdoc/>
    public LabelImage Read(string path) => Nifti.Read(path);

    /// <inheritdoc/>
    public string OutputName(string inputName) => inputName;

    /// <inheritdoc/>
    public void CheckOutputPath(string outputPath)
    {
        if (!Nifti.IsNifti(outputPath))
            throw new CliException($"{outputPath}: the maps of a NIfTI input are written as NIfTI; name the output *.nii or *.nii.gz.");
    }

    /// <inheritdoc/>
    public void CheckClasses(int classes)
    {
        // The classes are dim[4], a 16-bit field.
        if (classes > short.MaxValue)
            throw new CliException($"--classes {classes} is more than a NIfTI-1 volume holds along one axis ({short.MaxValue}).");
    }

    /// <inheritdoc/>
    public void Write(Stream destination, string path, LabelImage source, int classes, float[] maps)
    {
        NiftiHeader header = source.Nifti ?? throw new InvalidOperationException("A NIfTI label image always carries its header.");
        Nifti.Write(destination, path, header, source.Shape, classes, maps);
    }
}
