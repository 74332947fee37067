using System;
using System.Buffers.Binary;
using System.IO;

namespace LossDsl.Cli.IO;

/// <summary>
/// A NIfTI-1 header (348 bytes), kept as raw bytes normalised to little-endian so that every field we do not
/// interpret (orientation, qform/sform, units, description) is carried to the output unchanged.
/// </summary>
internal sealed class NiftiHeader
{
    /// <summary>The size of a NIfTI-1 header.</summary>
    public const int Size = 348;

    // Byte offsets of the fields we read or rewrite (nifti1.h).
    private const int DimOffset = 40, IntentP1Offset = 56, IntentCodeOffset = 68, DatatypeOffset = 70, BitpixOffset = 72;
    private const int PixdimOffset = 76, VoxOffsetOffset = 108, SclSlopeOffset = 112, SclInterOffset = 116;
    private const int CalMaxOffset = 124, GlMaxOffset = 140, IntentNameOffset = 328, MagicOffset = 344;

    // Every multi-byte numeric field as (offset, width, count), for byte-swapping big-endian headers.
    private static readonly (int Offset, int Width, int Count)[] NumericFields =
    [
        (0, 4, 1), (32, 4, 1), (36, 2, 1), (40, 2, 8), (56, 4, 3), (68, 2, 4), (76, 4, 8), (108, 4, 3),
        (120, 2, 1), (124, 4, 6), (252, 2, 2), (256, 4, 6), (280, 4, 12),
    ];

    private readonly byte[] _bytes;

    private NiftiHeader(byte[] bytes, bool bigEndian)
    {
        _bytes = bytes;
        BigEndian = bigEndian;
    }

    /// <summary>Whether the file stored its header and data big-endian.</summary>
    public bool BigEndian { get; }

    /// <summary>The <c>dim</c> array: <c>dim[0]</c> is the rank, <c>dim[1..]</c> the extents in NIfTI (Fortran) order.</summary>
    public short Dim(int index) => BinaryPrimitives.ReadInt16LittleEndian(_bytes.AsSpan(DimOffset + 2 * index));

    /// <summary>The <c>datatype</c> code.</summary>
    public short Datatype => BinaryPrimitives.ReadInt16LittleEndian(_bytes.AsSpan(DatatypeOffset));

    /// <summary>The <c>pixdim</c> array; <c>pixdim[1..3]</c> are the voxel sizes.</summary>
    public float Pixdim(int index) => BinaryPrimitives.ReadSingleLittleEndian(_bytes.AsSpan(PixdimOffset + 4 * index));

    /// <summary>Where the voxel data starts in the file.</summary>
    public float VoxOffset => BinaryPrimitives.ReadSingleLittleEndian(_bytes.AsSpan(VoxOffsetOffset));

    /// <summary>The intensity scaling slope (0 means none).</summary>
    public float SclSlope => BinaryPrimitives.ReadSingleLittleEndian(_bytes.AsSpan(SclSlopeOffset));

    /// <summary>The intensity scaling intercept.</summary>
    public float SclInter => BinaryPrimitives.ReadSingleLittleEndian(_bytes.AsSpan(SclInterOffset));

    /// <summary>Parses and checks a header (either byte order); single-file NIfTI-1 (<c>n+1</c>) only.</summary>
    /// <exception cref="InvalidDataException">Not a single-file NIfTI-1 header.</exception>
    public static NiftiHeader Parse(ReadOnlySpan<byte> file)
    {
        if (file.Length < Size)
            throw new InvalidDataException($"not a NIfTI-1 file: {file.Length} bytes, a header alone has {Size}.");
        byte[] bytes = file[..Size].ToArray();
        int sizeLittle = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        int sizeBig = BinaryPrimitives.ReadInt32BigEndian(bytes);
        bool bigEndian;
        if (sizeLittle == Size)
            bigEndian = false;
        else if (sizeBig == Size)
            bigEndian = true;
        else if (sizeLittle == 540 || sizeBig == 540)
            throw new InvalidDataException("NIfTI-2 files are not supported; save as NIfTI-1.");
        else
            throw new InvalidDataException($"not a NIfTI-1 file: sizeof_hdr is {sizeLittle}, expected {Size}.");

        ReadOnlySpan<byte> magic = bytes.AsSpan(MagicOffset, 4);
        if (magic.SequenceEqual("ni1\0"u8))
            throw new InvalidDataException("two-file NIfTI (.hdr/.img) is not supported; save as a single .nii or .nii.gz.");
        if (!magic.SequenceEqual("n+1\0"u8))
            throw new InvalidDataException("not a NIfTI-1 file: bad magic string.");
        if (bigEndian)
            SwapNumericFields(bytes);
        return new NiftiHeader(bytes, bigEndian);
    }

    /// <summary>
    /// The header of a float32 map volume: this header with the given dims, datatype 16, no scaling, no intent,
    /// data right after the header; pixdim, orientation and everything else unchanged.
    /// </summary>
    public byte[] ForFloatMaps(ReadOnlySpan<short> dims)
    {
        byte[] bytes = (byte[])_bytes.Clone();
        Span<byte> b = bytes;
        for (int i = 0; i < 8; i++)
            BinaryPrimitives.WriteInt16LittleEndian(b[(DimOffset + 2 * i)..], i < dims.Length ? dims[i] : (short)1);
        // The labels' intent (often NIFTI_INTENT_LABEL) does not describe distance maps.
        b.Slice(IntentP1Offset, 12).Clear();
        BinaryPrimitives.WriteInt16LittleEndian(b[IntentCodeOffset..], 0);
        b.Slice(IntentNameOffset, 16).Clear();
        BinaryPrimitives.WriteInt16LittleEndian(b[DatatypeOffset..], 16);
        BinaryPrimitives.WriteInt16LittleEndian(b[BitpixOffset..], 32);
        BinaryPrimitives.WriteSingleLittleEndian(b[VoxOffsetOffset..], 352f);
        BinaryPrimitives.WriteSingleLittleEndian(b[SclSlopeOffset..], 1f);
        BinaryPrimitives.WriteSingleLittleEndian(b[SclInterOffset..], 0f);
        // cal_max/cal_min and glmax/glmin described the label range.
        b.Slice(CalMaxOffset, 8).Clear();
        b.Slice(GlMaxOffset, 8).Clear();
        return bytes;
    }

    private static void SwapNumericFields(byte[] bytes)
    {
        foreach ((int offset, int width, int count) in NumericFields)
        {
            for (int i = 0; i < count; i++)
                bytes.AsSpan(offset + i * width, width).Reverse();
        }
    }
}
