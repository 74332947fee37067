using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;

namespace LossDsl.Cli.IO;

/// <summary>
/// A small PNG decoder for label images: grayscale (colour type 0), 8 or 16 bits, non-interlaced, all five row filters.
/// Chunk CRCs are checked so that a corrupt file is an error, not a wrong label map.
/// </summary>
internal static class Png
{
    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Decodes a grayscale PNG into labels of shape (height, width).</summary>
    /// <exception cref="InvalidDataException">Not a PNG, corrupt, or a kind of PNG this decoder does not read (the message says which).</exception>
    public static LabelImage Decode(ReadOnlySpan<byte> file)
    {
        if (file.Length < Signature.Length || !file[..Signature.Length].SequenceEqual(Signature))
            throw new InvalidDataException("not a PNG file (bad signature).");
        int position = Signature.Length;
        int width = 0, height = 0, bitDepth = 0;
        bool seenHeader = false, seenEnd = false;
        using var compressed = new MemoryStream();
        while (!seenEnd)
        {
            if (position + 8 > file.Length)
                throw new InvalidDataException("truncated PNG: missing IEND chunk.");
            int length = BinaryPrimitives.ReadInt32BigEndian(file[position..]);
            if (length < 0 || position + 12L + length > file.Length)
                throw new InvalidDataException($"truncated PNG: chunk at byte {position} claims {length} bytes.");
            ReadOnlySpan<byte> typeAndData = file.Slice(position + 4, 4 + length);
            uint storedCrc = BinaryPrimitives.ReadUInt32BigEndian(file[(position + 8 + length)..]);
            string type = System.Text.Encoding.ASCII.GetString(typeAndData[..4]);
            if (Crc32.Compute(typeAndData) != storedCrc)
                throw new InvalidDataException($"corrupt PNG: CRC mismatch in chunk {type} at byte {position}.");
            ReadOnlySpan<byte> data = typeAndData[4..];
            switch (type)
            {
                case "IHDR":
                    (width, height, bitDepth) = ReadHeader(data);
                    seenHeader = true;
                    break;
                case "IDAT":
                    compressed.Write(data);
                    break;
                case "IEND":
                    seenEnd = true;
                    break;
                case "PLTE":
                    throw new InvalidDataException("unsupported PNG: palette images are not label images this decoder reads; save as 8- or 16-bit grayscale.");
            }
            position += 12 + length;
        }
        if (!seenHeader)
            throw new InvalidDataException("corrupt PNG: no IHDR chunk.");

        int bytesPerPixel = bitDepth / 8;
        long rowBytes = (long)width * bytesPerPixel;
        // Width and height are positive ints, so this long product cannot overflow; the decoded rows must fit one array.
        long rawBytes = (rowBytes + 1) * height;
        if (rawBytes > Array.MaxLength)
            throw new InvalidDataException($"unsupported PNG: {width}×{height} pixels of {bitDepth} bits are {rawBytes} bytes decoded, more than one array holds ({Array.MaxLength}).");
        byte[] raw = Inflate(compressed, (int)rawBytes);
        Unfilter(raw, height, (int)rowBytes, bytesPerPixel);

        var labels = new long[(long)width * height];
        for (int y = 0; y < height; y++)
        {
            int row = (int)(y * (rowBytes + 1) + 1);
            for (int x = 0; x < width; x++)
            {
                labels[(long)y * width + x] = bitDepth == 8
                    ? raw[row + x]
                    : BinaryPrimitives.ReadUInt16BigEndian(raw.AsSpan(row + 2 * x));
            }
        }
        return new LabelImage([height, width], labels);
    }

    private static (int Width, int Height, int BitDepth) ReadHeader(ReadOnlySpan<byte> data)
    {
        if (data.Length != 13)
            throw new InvalidDataException($"corrupt PNG: IHDR has {data.Length} bytes, not 13.");
        int width = BinaryPrimitives.ReadInt32BigEndian(data);
        int height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
        byte bitDepth = data[8], colourType = data[9], compression = data[10], filter = data[11], interlace = data[12];
        if (width <= 0 || height <= 0)
            throw new InvalidDataException($"corrupt PNG: size {width}×{height}.");
        if (colourType != 0)
            throw new InvalidDataException($"unsupported PNG: colour type {colourType} ({ColourTypeName(colourType)}); labels must be 8- or 16-bit grayscale.");
        if (bitDepth is not (8 or 16))
            throw new InvalidDataException($"unsupported PNG: {bitDepth}-bit grayscale; labels must be 8- or 16-bit.");
        if (compression != 0 || filter != 0)
            throw new InvalidDataException($"corrupt PNG: compression method {compression}, filter method {filter}.");
        if (interlace != 0)
            throw new InvalidDataException("unsupported PNG: interlaced (Adam7); save without interlacing.");
        return (width, height, bitDepth);
    }

    private static string ColourTypeName(byte colourType) => colourType switch
    {
        2 => "RGB",
        3 => "palette",
        4 => "grayscale with alpha",
        6 => "RGBA",
        _ => "invalid",
    };

    private static byte[] Inflate(MemoryStream compressed, int expected)
    {
        compressed.Position = 0;
        var raw = new byte[expected];
        using var zlib = new ZLibStream(compressed, CompressionMode.Decompress);
        int read = 0;
        while (read < expected)
        {
            int n = zlib.Read(raw, read, expected - read);
            if (n == 0)
                throw new InvalidDataException($"corrupt PNG: image data has {read} bytes, expected {expected}.");
            read += n;
        }
        return raw;
    }

    /// <summary>Undoes the per-row filters in place (PNG specification, section 9).</summary>
    private static void Unfilter(byte[] raw, int height, int rowBytes, int bpp)
    {
        int stride = rowBytes + 1;
        for (int y = 0; y < height; y++)
        {
            int start = y * stride;
            byte filter = raw[start];
            Span<byte> row = raw.AsSpan(start + 1, rowBytes);
            ReadOnlySpan<byte> previous = y == 0 ? default : raw.AsSpan(start - stride + 1, rowBytes);
            for (int i = 0; i < rowBytes; i++)
            {
                int left = i >= bpp ? row[i - bpp] : 0;
                int up = y > 0 ? previous[i] : 0;
                int upLeft = y > 0 && i >= bpp ? previous[i - bpp] : 0;
                int predictor = filter switch
                {
                    0 => 0,
                    1 => left,
                    2 => up,
                    3 => (left + up) >> 1,
                    4 => Paeth(left, up, upLeft),
                    _ => throw new InvalidDataException($"corrupt PNG: unknown filter type {filter} on row {y}."),
                };
                row[i] = (byte)(row[i] + predictor);
            }
        }
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
