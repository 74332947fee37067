using System;

namespace LossDsl.Metrics;

/// <summary>
/// The surface of a binary mask: the mask pixels that have a face neighbour outside the mask, or that lie on the image border.
/// </summary>
/// <remarks>
/// This is <c>mask ^ binary_erosion(mask)</c> with scipy's face-connected structuring element and its default
/// <c>border_value=0</c>, i.e. exactly the surface medpy (<c>connectivity=1</c>) and MONAI (<c>get_mask_edges</c>) use,
/// so distances agree with theirs pixel for pixel. Counting the image border as "outside" closes objects cut by the
/// field of view, so a mask touching the border still has a surface there.
/// </remarks>
internal static class Surface
{
    /// <summary>Writes 1 into <paramref name="surface"/> on the surface of <paramref name="mask"/>, 0 elsewhere; returns the surface size.</summary>
    public static int Extract(ReadOnlySpan<byte> mask, ReadOnlySpan<int> shape, Span<byte> surface)
    {
        int rank = shape.Length;
        Span<int> strides = stackalloc int[rank];
        Span<int> coordinate = stackalloc int[rank];
        int stride = 1;
        for (int axis = rank - 1; axis >= 0; axis--)
        {
            strides[axis] = stride;
            stride *= shape[axis];
        }

        int count = 0;
        for (int index = 0; index < mask.Length; index++)
        {
            byte isSurface = 0;
            if (mask[index] != 0)
            {
                for (int axis = 0; axis < rank; axis++)
                {
                    int c = coordinate[axis];
                    if (c == 0 || c == shape[axis] - 1
                        || mask[index - strides[axis]] == 0 || mask[index + strides[axis]] == 0)
                    {
                        isSurface = 1;
                        break;
                    }
                }
            }
            surface[index] = isSurface;
            count += isSurface;

            // Advance the N-D coordinate (last axis fastest, C order).
            for (int axis = rank - 1; axis >= 0; axis--)
            {
                if (++coordinate[axis] < shape[axis])
                    break;
                coordinate[axis] = 0;
            }
        }
        return count;
    }
}
