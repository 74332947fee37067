using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace LossDsl.IO;

/// <summary>
/// Reads and writes numpy <c>.npy</c> files (format versions 1.0, 2.0 and 3.0), C order, dtypes
/// <c>|u1 |b1 &lt;i4 &lt;i8 &lt;f4 &lt;f8</c>. Anything else (Fortran order, big-endian, object arrays,
/// truncated data) is an <see cref="InvalidDataException"/> whose message says what was found.
/// </summary>
public static class Npy
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Reads a <c>.npy</c> file.</summary>
    /// <exception cref="InvalidDataException">Not a .npy file, corrupt header, unsupported dtype or order, or truncated data; the message starts with the path.</exception>
    public static NpyArray Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = File.OpenRead(path);
        try
        {
            return Read(stream);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Reads a <c>.npy</c> array from a stream positioned at its magic string.</summary>
    /// <exception cref="InvalidDataException">Not a .npy stream, corrupt header, unsupported dtype or order, or truncated data.</exception>
    public static NpyArray Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> pre = stackalloc byte[10];
        if (!ReadFully(stream, pre[..8]) || !pre[..6].SequenceEqual(Magic))
            throw new InvalidDataException("not a .npy file (missing \\x93NUMPY magic).");
        byte major = pre[6];
        int headerLength;
        if (major == 1)
        {
            if (!ReadFully(stream, pre[8..10])) throw new InvalidDataException("truncated header.");
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(pre[8..10]);
        }
        else if (major is 2 or 3)
        {
            Span<byte> len = stackalloc byte[4];
            if (!ReadFully(stream, len)) throw new InvalidDataException("truncated header.");
            uint l = BinaryPrimitives.ReadUInt32LittleEndian(len);
            if (l > 1 << 20) throw new InvalidDataException($"header length {l} is implausible.");
            headerLength = (int)l;
        }
        else
        {
            throw new InvalidDataException($"unsupported .npy format version {major}.{pre[7]}.");
        }

        var headerBytes = new byte[headerLength];
        if (!ReadFully(stream, headerBytes)) throw new InvalidDataException("truncated header.");
        string header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(headerBytes);
        var (dtype, fortran, shape) = ParseHeader(header);
        if (fortran)
            throw new InvalidDataException("Fortran-order arrays are not supported; save with np.ascontiguousarray(a).");

        long count = ElementCount(shape, "shape");
        long bytes = count * ItemSize(dtype);
        if (bytes > Array.MaxLength)
            throw new InvalidDataException($"array of {bytes} bytes is too large.");
        var data = new byte[bytes];
        if (!ReadFully(stream, data))
            throw new InvalidDataException($"truncated data: shape ({string.Join(", ", shape)}) {Descr(dtype)} needs {bytes} bytes.");
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("Big-endian hosts are not supported.");
        return new NpyArray(dtype, shape, data);
    }

    /// <summary>Writes a float32 array.</summary>
    public static void Write(string path, ReadOnlySpan<float> data, ReadOnlySpan<int> shape) => WriteFile(path, NpyDType.Float32, MemoryMarshal.AsBytes(data), data.Length, shape);

    /// <summary>Writes a float64 array.</summary>
    public static void Write(string path, ReadOnlySpan<double> data, ReadOnlySpan<int> shape) => WriteFile(path, NpyDType.Float64, MemoryMarshal.AsBytes(data), data.Length, shape);

    /// <summary>Writes an int32 array.</summary>
    public static void Write(string path, ReadOnlySpan<int> data, ReadOnlySpan<int> shape) => WriteFile(path, NpyDType.Int32, MemoryMarshal.AsBytes(data), data.Length, shape);

    /// <summary>Writes an int64 array.</summary>
    public static void Write(string path, ReadOnlySpan<long> data, ReadOnlySpan<int> shape) => WriteFile(path, NpyDType.Int64, MemoryMarshal.AsBytes(data), data.Length, shape);

    /// <summary>Writes a uint8 array.</summary>
    public static void Write(string path, ReadOnlySpan<byte> data, ReadOnlySpan<int> shape) => WriteFile(path, NpyDType.UInt8, data, data.Length, shape);

    /// <summary>Writes a bool array (<c>|b1</c>): each value is stored as 0 or 1.</summary>
    public static void Write(string path, ReadOnlySpan<bool> data, ReadOnlySpan<int> shape) => WriteFile(path, NpyDType.Bool, MemoryMarshal.AsBytes(data), data.Length, shape);

    /// <summary>Writes an array (version 1.0 format) to a stream.</summary>
    /// <exception cref="ArgumentException">The element count of <paramref name="data"/> does not match <paramref name="shape"/>.</exception>
    public static void Write(Stream stream, NpyDType dtype, ReadOnlySpan<byte> data, ReadOnlySpan<int> shape)
    {
        ArgumentNullException.ThrowIfNull(stream);
        long count = ElementCount(shape, nameof(shape));
        if (count * ItemSize(dtype) != data.Length)
            throw new ArgumentException($"Shape ({Join(shape)}) of {Descr(dtype)} needs {count * ItemSize(dtype)} bytes, got {data.Length}.", nameof(data));
        string shapeText = shape.Length == 1 ? $"({shape[0]},)" : $"({Join(shape)})";
        string dict = $"{{'descr': '{Descr(dtype)}', 'fortran_order': False, 'shape': {shapeText}, }}";
        // numpy pads the header with spaces and a newline so the data starts on a 64-byte boundary.
        int total = 10 + dict.Length + 1;
        int padded = (total + 63) / 64 * 64;
        if (padded - 10 > ushort.MaxValue) throw new ArgumentException("Shape too long for a .npy header.", nameof(shape));
        var header = new byte[padded];
        Magic.CopyTo(header);
        header[6] = 1;
        header[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(8), (ushort)(padded - 10));
        Encoding.ASCII.GetBytes(dict, header.AsSpan(10));
        header.AsSpan(10 + dict.Length, padded - 11 - dict.Length).Fill((byte)' ');
        header[^1] = (byte)'\n';
        stream.Write(header);
        stream.Write(data);
    }

    private static void WriteFile(string path, NpyDType dtype, ReadOnlySpan<byte> data, int count, ReadOnlySpan<int> shape)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (ElementCount(shape, nameof(shape)) != count)
            throw new ArgumentException($"Shape ({Join(shape)}) has {ElementCount(shape, nameof(shape))} elements but {count} values were given.", nameof(shape));
        // Write beside the target and rename, so a failure never leaves a partial file under the final name.
        string full = Path.GetFullPath(path);
        string temp = Path.Combine(Path.GetDirectoryName(full) ?? ".", $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
                Write(stream, dtype, data, shape);
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>The numpy type string of <paramref name="dtype"/> (e.g. <c>&lt;f4</c>).</summary>
    public static string Descr(NpyDType dtype) => dtype switch
    {
        NpyDType.UInt8 => "|u1",
        NpyDType.Bool => "|b1",
        NpyDType.Int32 => "<i4",
        NpyDType.Int64 => "<i8",
        NpyDType.Float32 => "<f4",
        NpyDType.Float64 => "<f8",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    /// <summary>Bytes per element of <paramref name="dtype"/>.</summary>
    public static int ItemSize(NpyDType dtype) => dtype switch
    {
        NpyDType.UInt8 or NpyDType.Bool => 1,
        NpyDType.Int32 or NpyDType.Float32 => 4,
        NpyDType.Int64 or NpyDType.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    internal static long ElementCount(ReadOnlySpan<int> shape, string name)
    {
        long count = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException($"Shape ({Join(shape)}) has a negative dimension.", name);
            count = checked(count * d);
        }
        return count;
    }

    private static string Join(ReadOnlySpan<int> shape) => string.Join(", ", shape.ToArray());

    private static bool ReadFully(Stream s, Span<byte> buffer)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = s.Read(buffer[read..]);
            if (n == 0) return false;
            read += n;
        }
        return true;
    }

    private static NpyDType ParseDescr(string d) => d switch
    {
        "|u1" or "<u1" or "u1" or "B" => NpyDType.UInt8,
        "|b1" or "<b1" or "b1" or "?" => NpyDType.Bool,
        "<i4" or "i4" => NpyDType.Int32,
        "<i8" or "i8" => NpyDType.Int64,
        "<f4" or "f4" => NpyDType.Float32,
        "<f8" or "f8" => NpyDType.Float64,
        _ => throw new InvalidDataException($"unsupported dtype '{d}' (supported: |u1 |b1 <i4 <i8 <f4 <f8; convert with a.astype(...)).")
    };

    /// <summary>Parses the Python dict literal of a .npy header: <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (2, 3), }</c>.</summary>
    internal static (NpyDType DType, bool Fortran, int[] Shape) ParseHeader(string header)
    {
        var p = new HeaderParser(header);
        string? descr = null;
        bool? fortran = null;
        int[]? shape = null;
        p.Expect('{');
        while (true)
        {
            p.SkipSpace();
            if (p.TryTake('}')) break;
            string key = p.ReadString();
            p.Expect(':');
            switch (key)
            {
                case "descr":
                    p.SkipSpace();
                    if (p.Peek() != '\'' && p.Peek() != '"')
                        throw new InvalidDataException("unsupported dtype: structured or non-string 'descr' in header.");
                    descr = p.ReadString();
                    break;
                case "fortran_order":
                    fortran = p.ReadBool();
                    break;
                case "shape":
                    shape = p.ReadShape();
                    break;
                default:
                    throw new InvalidDataException($"corrupt header: unexpected key '{key}'.");
            }
            p.SkipSpace();
            if (p.TryTake(',')) continue;
            p.Expect('}');
            break;
        }
        if (descr is null || fortran is null || shape is null)
            throw new InvalidDataException($"corrupt header: needs 'descr', 'fortran_order' and 'shape', got {header.Trim()}.");
        return (ParseDescr(descr), fortran.Value, shape);
    }

    private ref struct HeaderParser(string text)
    {
        private readonly string _text = text;
        private int _pos;

        public void SkipSpace()
        {
            while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos])) _pos++;
        }

        public char Peek() => _pos < _text.Length ? _text[_pos] : '\0';

        public bool TryTake(char c)
        {
            SkipSpace();
            if (Peek() != c) return false;
            _pos++;
            return true;
        }

        public void Expect(char c)
        {
            if (!TryTake(c))
                throw new InvalidDataException($"corrupt header: expected '{c}' at character {_pos} of {_text.Trim()}.");
        }

        public string ReadString()
        {
            SkipSpace();
            char q = Peek();
            if (q != '\'' && q != '"') throw new InvalidDataException($"corrupt header: expected a string at character {_pos}.");
            int end = _text.IndexOf(q, _pos + 1);
            if (end < 0) throw new InvalidDataException("corrupt header: unterminated string.");
            string s = _text.Substring(_pos + 1, end - _pos - 1);
            _pos = end + 1;
            return s;
        }

        public bool ReadBool()
        {
            SkipSpace();
            if (string.CompareOrdinal(_text, _pos, "True", 0, 4) == 0) { _pos += 4; return true; }
            if (string.CompareOrdinal(_text, _pos, "False", 0, 5) == 0) { _pos += 5; return false; }
            throw new InvalidDataException($"corrupt header: expected True or False at character {_pos}.");
        }

        public int[] ReadShape()
        {
            Expect('(');
            var dims = new List<int>();
            while (true)
            {
                if (TryTake(')')) break;
                SkipSpace();
                int start = _pos;
                while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos])) _pos++;
                // numpy writes Python ints; older files may carry an 'L' suffix.
                if (_pos == start || !int.TryParse(_text.AsSpan(start, _pos - start), NumberStyles.None, CultureInfo.InvariantCulture, out int d))
                    throw new InvalidDataException($"corrupt header: bad dimension in shape at character {start}.");
                if (Peek() == 'L') _pos++;
                dims.Add(d);
                if (TryTake(',')) continue;
                Expect(')');
                break;
            }
            return dims.ToArray();
        }
    }
}
