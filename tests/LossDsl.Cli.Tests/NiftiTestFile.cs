using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using System.Runtime.InteropServices;

namespace LossDsl.Cli.Tests;

/// <summary>Writes NIfTI-1 label volumes and reads map volumes back, independently of the tool's own code.</summary>
internal static class NiftiTestFile
{
    /// <summary>Writes labels given in NIfTI order (first axis fastest) with extents <paramref name="dims"/> (nx, ny[, nz]).</summary>
    public static void WriteLabels(string path, long[] labels, int[] dims, float[] pixdim, short datatype = 4)
    {
        var header = new byte[352];
        Span<byte> h = header;
        BinaryPrimitives.WriteInt32LittleEndian(h, 348);
        BinaryPrimitives.WriteInt16LittleEndian(h[40..], (short)dims.Length);
        for (int i = 0; i < 7; i++)
            BinaryPrimitives.WriteInt16LittleEndian(h[(42 + 2 * i)..], i < dims.Length ? (short)dims[i] : (short)1);
        BinaryPrimitives.WriteInt16LittleEndian(h[68..], 1002); // NIFTI_INTENT_LABEL: must not survive into the maps
        BinaryPrimitives.WriteInt16LittleEndian(h[70..], datatype);
        int width = datatype switch { 2 => 1, 4 => 2, 16 => 4, _ => 4 };
        BinaryPrimitives.WriteInt16LittleEndian(h[72..], (short)(8 * width));
        BinaryPrimitives.WriteSingleLittleEndian(h[76..], 1f); // qfac
        for (int i = 0; i < pixdim.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(h[(80 + 4 * i)..], pixdim[i]);
        BinaryPrimitives.WriteSingleLittleEndian(h[108..], 352f);
        h[123] = 2; // mm
        BinaryPrimitives.WriteInt16LittleEndian(h[254..], 1); // sform_code
        for (int row = 0; row < 3; row++)
        {
            for (int col = 0; col < 4; col++)
            {
                float value = col == row ? (row < pixdim.Length ? pixdim[row] : 1f) : col == 3 ? 10f * (row + 1) : 0f;
                BinaryPrimitives.WriteSingleLittleEndian(h[(280 + 16 * row + 4 * col)..], value);
            }
        }
        "n+1\0"u8.CopyTo(h[344..]);

        using var data = new MemoryStream();
        data.Write(header);
        Span<byte> element = stackalloc byte[4];
        foreach (long label in labels)
        {
            switch (datatype)
            {
                case 2: data.WriteByte((byte)label); break;
                case 4: BinaryPrimitives.WriteInt16LittleEndian(element, (short)label); data.Write(element[..2]); break;
                case 16: BinaryPrimitives.WriteSingleLittleEndian(element, label); data.Write(element); break;
                default: throw new ArgumentOutOfRangeException(nameof(datatype));
            }
        }
        byte[] bytes = data.ToArray();
        if (path.EndsWith(".gz", StringComparison.Ordinal))
        {
            using var file = File.Create(path);
            using var gzip = new GZipStream(file, CompressionLevel.Fastest);
            gzip.Write(bytes);
        }
        else
        {
            File.WriteAllBytes(path, bytes);
        }
    }

    public sealed record Volume(byte[] Header, short[] Dim, short Datatype, short Bitpix, float[] Pixdim, float[] Data)
    {
        public float Srow(int row, int col) => BinaryPrimitives.ReadSingleLittleEndian(Header.AsSpan(280 + 16 * row + 4 * col));

        public short IntentCode => BinaryPrimitives.ReadInt16LittleEndian(Header.AsSpan(68));

        public short SformCode => BinaryPrimitives.ReadInt16LittleEndian(Header.AsSpan(254));
    }

    public static Volume Read(string path)
    {
        byte[] bytes;
        if (path.EndsWith(".gz", StringComparison.Ordinal))
        {
            using var file = File.OpenRead(path);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var buffer = new MemoryStream();
            gzip.CopyTo(buffer);
            bytes = buffer.ToArray();
        }
        else
        {
            bytes = File.ReadAllBytes(path);
        }
        var dim = new short[8];
        for (int i = 0; i < 8; i++)
            dim[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(40 + 2 * i));
        var pixdim = new float[8];
        for (int i = 0; i < 8; i++)
            pixdim[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(76 + 4 * i));
        int offset = (int)BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(108));
        float[] data = MemoryMarshal.Cast<byte, float>(bytes.AsSpan(offset)).ToArray();
        return new Volume(bytes[..348], dim,
            BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(70)),
            BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(72)), pixdim, data);
    }
}
