using System;

namespace LossDsl.Cli.IO;

/// <summary>Picks the format of a file from its extension.</summary>
internal static class LabelFormats
{
    /// <summary>The extensions distmap reads, for help texts and folder scans.</summary>
    public const string Extensions = ".npy, .nii, .nii.gz, .png";

    /// <summary>The format of <paramref name="path"/>, or null when its extension is not one distmap reads.</summary>
    public static ILabelFormat? For(string path)
    {
        if (path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
            return NpyLabelFormat.Instance;
        if (Nifti.IsNifti(path))
            return NiftiLabelFormat.Instance;
        if (path.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            return PngLabelFormat.Instance;
        return null;
    }
}
