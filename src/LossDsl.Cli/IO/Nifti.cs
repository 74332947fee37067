using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using System.Runtime.InteropServices;

namespace LossDsl.Cli.IO;

/// <summary>
/// Reads NIfTI-1 label volumes (.nii, .nii.gz) and writes float32 map volumes. NIfTI stores the first axis fastest
/// (Fortran order), so a volume with NIfTI extents (nx, ny, nz) is, in memory, the C-order array (nz, ny, nx):
/// we use that view and reverse the pixdim spacing to match.
/// </summary>
internal static class Nifti
{
    /// <summary>Whether a path names a NIfTI file, by extension.</summary>
    public static bool IsNifti(string path) => IsCompressed(path) || path.EndsWith(".nii", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether a path names a gzip-compressed NIfTI file.</summary>
    public static bool IsCompressed(string path) => path.EndsWith(".nii.gz", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads a label volume; spacing comes from <c>pixdim</c>, in C order.</summary>
    /// <exception cref="InvalidDataException">Corrupt, truncated, or an unsupported datatype or layout.</exception>
    public static LabelImage Read(string path)
    {
        byte[] file = IsCompressed(path) ? Gunzip(path) : File.ReadAllBytes(path);
        NiftiHeader header = NiftiHeader.Parse(file);

        int rank = header.Dim(0);
        if (rank is < 1 or > 7)
            throw new InvalidDataException($"corrupt NIfTI header: dim[0] is {rank}.");
        for (int axis = 4; axis <= rank; axis++)
        {
            if (header.Dim(axis) != 1)
                throw new InvalidDataException($"unsupported NIfTI: dim[{axis}] is {header.Dim(axis)}; label volumes have at most 3 spatial axes.");
        }
        int spatialRank = Math.Min(rank, 3);
        var shape = new int[spatialRank];
        var spacing = new double[spatialRank];
        for (int axis = 1; axis <= spatialRank; axis++)
        {
            int extent = header.Dim(axis);
            if (extent == 0)
                throw new InvalidDataException($"NIfTI dim[1..{spatialRank}] is ({SpatialDims(header, spatialRank)}): a zero-length axis; there are no voxels to compute distances for.");
            if (extent < 0)
                throw new InvalidDataException($"corrupt NIfTI header: dim[{axis}] is {extent}.");
            double size = Math.Abs(header.Pixdim(axis));
            if (!(size > 0) || double.IsInfinity(size))
                throw new InvalidDataException($"NIfTI pixdim[{axis}] is {header.Pixdim(axis)}; give --spacing.");
            shape[spatialRank - axis] = extent;
            spacing[spatialRank - axis] = size;
        }

        float slope = header.SclSlope, intercept = header.SclInter;
        if (slope != 0 && (slope != 1 || intercept != 0))
            throw new InvalidDataException($"unsupported NIfTI: labels scaled by scl_slope {slope}, scl_inter {intercept}.");

        (int width, Func<ReadOnlySpan<byte>, long> decode) = Element(header.Datatype, header.BigEndian);
        long count = 1;
        foreach (int extent in shape)
            count *= extent;
        long offset = (long)header.VoxOffset;
        if (offset < NiftiHeader.Size + 4 || offset != header.VoxOffset)
            throw new InvalidDataException($"corrupt NIfTI header: vox_offset is {header.VoxOffset}.");
        if (offset + count * width > file.Length)
            throw new InvalidDataException($"truncated NIfTI: {count} voxels of {width} bytes from byte {offset} need {offset + count * width} bytes, the file has {file.Length}.");

        var labels = new long[count];
        ReadOnlySpan<byte> data = file.AsSpan((int)offset);
        for (long i = 0; i < count; i++)
            labels[i] = decode(data.Slice((int)(i * width), width));
        return new LabelImage(shape, labels, spacing, header);
    }

    /// <summary>
    /// Writes maps laid out (K, *spatial) in C order as a 4-D NIfTI volume: the spatial axes first (padded to 3),
    /// the classes along the fourth axis, float32, with the source header's geometry.
    /// </summary>
    public static void Write(Stream destination, string path, NiftiHeader source, ReadOnlySpan<int> spatialShape, int classes, ReadOnlySpan<float> maps)
    {
        Span<short> dims = stackalloc short[8];
        dims[0] = 4;
        for (int axis = 1; axis <= 3; axis++)
            dims[axis] = axis <= spatialShape.Length ? checked((short)spatialShape[spatialShape.Length - axis]) : (short)1;
        dims[4] = checked((short)classes);
        for (int axis = 5; axis < 8; axis++)
            dims[axis] = 1;

        Stream target = IsCompressed(path) ? new GZipStream(destination, CompressionLevel.Fastest, leaveOpen: true) : destination;
        try
        {
            target.Write(source.ForFloatMaps(dims));
            target.Write(stackalloc byte[4]); // no extensions
            if (!BitConverter.IsLittleEndian)
                throw new PlatformNotSupportedException("Big-endian hosts are not supported.");
            target.Write(MemoryMarshal.AsBytes(maps));
        }
        finally
        {
            if (!ReferenceEquals(target, destination))
                target.Dispose();
        }
    }

    private static string SpatialDims(NiftiHeader header, int spatialRank)
    {
        var dims = new short[spatialRank];
        for (int axis = 1; axis <= spatialRank; axis++)
            dims[axis - 1] = header.Dim(axis);
        return string.Join(", ", dims);
    }

    private static byte[] Gunzip(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var buffer = new MemoryStream();
        gzip.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static (int Width, Func<ReadOnlySpan<byte>, long> Decode) Element(short datatype, bool bigEndian) => datatype switch
    {
        2 => (1, static b => b[0]),
        256 => (1, static b => (sbyte)b[0]),
        4 => (2, bigEndian ? static b => BinaryPrimitives.ReadInt16BigEndian(b) : static b => BinaryPrimitives.ReadInt16LittleEndian(b)),
        512 => (2, bigEndian ? static b => BinaryPrimitives.ReadUInt16BigEndian(b) : static b => BinaryPrimitives.ReadUInt16LittleEndian(b)),
        8 => (4, bigEndian ? static b => BinaryPrimitives.ReadInt32BigEndian(b) : static b => BinaryPrimitives.ReadInt32LittleEndian(b)),
        768 => (4, bigEndian ? static b => BinaryPrimitives.ReadUInt32BigEndian(b) : static b => BinaryPrimitives.ReadUInt32LittleEndian(b)),
        1024 => (8, bigEndian ? static b => BinaryPrimitives.ReadInt64BigEndian(b) : static b => BinaryPrimitives.ReadInt64LittleEndian(b)),
        1280 => (8, bigEndian ? static b => ClampU64(BinaryPrimitives.ReadUInt64BigEndian(b)) : static b => ClampU64(BinaryPrimitives.ReadUInt64LittleEndian(b))),
        _ => throw new InvalidDataException($"unsupported NIfTI datatype {datatype} ({DatatypeName(datatype)}); labels must be an integer type."),
    };

    // A uint64 label beyond long.MaxValue is out of range for any class count; keep it visibly large.
    private static long ClampU64(ulong value) => value > long.MaxValue ? long.MaxValue : (long)value;

    private static string DatatypeName(short datatype) => datatype switch
    {
        1 => "binary",
        16 => "float32",
        32 => "complex64",
        64 => "float64",
        128 => "RGB24",
        1536 => "float128",
        1792 => "complex128",
        2048 => "complex256",
        2304 => "RGBA32",
        _ => "unknown",
    };
}
