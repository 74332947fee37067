using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using LossDsl.Cli.IO;

namespace LossDsl.Cli.Tests;

/// <summary>Writes grayscale PNGs for the tests, cycling the row filter 0–4 so the decoder sees every filter.</summary>
internal static class PngTestWriter
{
    public static byte[] Encode(long[] labels, int height, int width, int bitDepth = 8, byte colourType = 0, byte interlace = 0)
    {
        int bpp = bitDepth / 8;
        int rowBytes = width * bpp;
        var raw = new byte[height * rowBytes];
        for (int i = 0; i < labels.Length; i++)
        {
            if (bitDepth == 8)
                raw[i] = (byte)labels[i];
            else
                BinaryPrimitives.WriteUInt16BigEndian(raw.AsSpan(2 * i), (ushort)labels[i]);
        }

        using var filtered = new MemoryStream();
        for (int y = 0; y < height; y++)
        {
            byte filter = (byte)(y % 5);
            filtered.WriteByte(filter);
            for (int i = 0; i < rowBytes; i++)
            {
                int x = raw[y * rowBytes + i];
                int a = i >= bpp ? raw[y * rowBytes + i - bpp] : 0;
                int b = y > 0 ? raw[(y - 1) * rowBytes + i] : 0;
                int c = y > 0 && i >= bpp ? raw[(y - 1) * rowBytes + i - bpp] : 0;
                int predictor = filter switch { 0 => 0, 1 => a, 2 => b, 3 => (a + b) >> 1, _ => Paeth(a, b, c) };
                filtered.WriteByte((byte)(x - predictor));
            }
        }

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            zlib.Write(filtered.ToArray());

        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = (byte)bitDepth;
        header[9] = colourType;
        header[12] = interlace;
        Chunk(png, "IHDR", header);
        byte[] data = compressed.ToArray();
        // Two IDAT chunks: the decoder must concatenate them.
        Chunk(png, "IDAT", data.AsSpan(0, data.Length / 2));
        Chunk(png, "IDAT", data.AsSpan(data.Length / 2));
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>Writes one chunk: length, type, data, CRC.</summary>
    public static void Chunk(Stream png, string type, ReadOnlySpan<byte> data)
    {
        var buffer = new byte[12 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(buffer, data.Length);
        System.Text.Encoding.ASCII.GetBytes(type, buffer.AsSpan(4));
        data.CopyTo(buffer.AsSpan(8));
        BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(8 + data.Length), Crc32.Compute(buffer.AsSpan(4, 4 + data.Length)));
        png.Write(buffer);
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
