namespace LossDsl.Cli.IO;

/// <summary>A label image as read from disk, in C order.</summary>
/// <param name="Shape">The spatial shape, outermost axis first (C order).</param>
/// <param name="Labels">The class index of every pixel, flat in C order.</param>
/// <param name="Spacing">The pixel spacing per axis in C order when the file records it (NIfTI), otherwise null.</param>
/// <param name="Nifti">The NIfTI header to carry over to the output, for NIfTI inputs.</param>
internal sealed record LabelImage(int[] Shape, long[] Labels, double[]? Spacing = null, NiftiHeader? Nifti = null);
