using System;
using System.IO;
using System.Linq;
using System.Text;
using LossDsl.IO;
using Xunit;

namespace LossDsl.Tests.IO;

public sealed class NpyTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lossdsl-npy-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Every_dtype_round_trips_with_its_shape()
    {
        int[] shape = [2, 3];
        string p(string n) => Path.Combine(_dir, n);
        Npy.Write(p("f4.npy"), new float[] { 1, 2, 3, 4, 5, -6.5f }, shape);
        Npy.Write(p("f8.npy"), new double[] { 1, 2, 3, 4, 5, -6.5 }, shape);
        Npy.Write(p("i4.npy"), new[] { 1, 2, 3, 4, 5, -6 }, shape);
        Npy.Write(p("i8.npy"), new long[] { 1, 2, 3, 4, 5, -6 }, shape);
        Npy.Write(p("u1.npy"), new byte[] { 1, 2, 3, 4, 5, 6 }, shape);
        Npy.Write(p("b1.npy"), new[] { true, false, true, true, false, false }, shape);

        Assert.Equal(new[] { 1f, 2, 3, 4, 5, -6.5f }, Npy.Read(p("f4.npy")).ToSingle());
        Assert.Equal(new[] { 1.0, 2, 3, 4, 5, -6.5 }, Npy.Read(p("f8.npy")).ToDouble());
        Assert.Equal(new[] { 1, 2, 3, 4, 5, -6 }, Npy.Read(p("i4.npy")).ToInt32());
        Assert.Equal(new long[] { 1, 2, 3, 4, 5, -6 }, Npy.Read(p("i8.npy")).ToInt64());
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6 }, Npy.Read(p("u1.npy")).ToByte());
        var b = Npy.Read(p("b1.npy"));
        Assert.Equal(NpyDType.Bool, b.DType);
        Assert.Equal(new byte[] { 1, 0, 1, 1, 0, 0 }, b.ToByte());
        Assert.Equal(shape, b.ShapeArray());
    }

    [Fact]
    public void Header_is_padded_like_numpy()
    {
        string path = Path.Combine(_dir, "a.npy");
        Npy.Write(path, new float[5], [5]);
        var bytes = File.ReadAllBytes(path);
        // Byte for byte what numpy 1.24 writes for np.zeros(5, np.float32): a 128-byte header, then the data.
        Assert.Equal(128 + 20, bytes.Length);
        Assert.Equal("{'descr': '<f4', 'fortran_order': False, 'shape': (5,), }" + new string(' ', 60) + "\n", Encoding.ASCII.GetString(bytes, 10, 118));
    }

    [Fact]
    public void Scipy_fixture_is_read()
    {
        var mask = Npy.Read(Path.Combine(LossDsl.Tests.Distance.Fixtures.Directory(), "3d_unit", "mask_0.npy"));
        Assert.Equal(NpyDType.UInt8, mask.DType);
        Assert.Equal(new[] { 24, 24, 24 }, mask.ShapeArray());
    }

    private static byte[] File1(string header, int dataBytes)
    {
        var h = Encoding.ASCII.GetBytes(header);
        var bytes = new byte[10 + h.Length + dataBytes];
        new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 }.CopyTo(bytes, 0);
        BitConverter.GetBytes((ushort)h.Length).CopyTo(bytes, 8);
        h.CopyTo(bytes, 10);
        return bytes;
    }

    [Theory]
    [InlineData("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", 8, "unsupported dtype '>f4'")]
    [InlineData("{'descr': '<c8', 'fortran_order': False, 'shape': (2,), }", 16, "unsupported dtype '<c8'")]
    [InlineData("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", 16, "Fortran-order")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", 8, "truncated data")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (x,), }", 8, "bad dimension")]
    [InlineData("{'descr': '<f4', 'shape': (2,), }", 8, "needs 'descr', 'fortran_order' and 'shape'")]
    public void Bad_files_are_refused_with_a_reason(string header, int dataBytes, string expected)
    {
        string path = Path.Combine(_dir, "bad.npy");
        File.WriteAllBytes(path, File1(header, dataBytes));
        var e = Assert.Throws<InvalidDataException>(() => Npy.Read(path));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith(path, e.Message);
    }

    [Fact]
    public void Non_npy_file_is_refused()
    {
        string path = Path.Combine(_dir, "x.npy");
        File.WriteAllText(path, "hello, world");
        Assert.Contains("not a .npy file", Assert.Throws<InvalidDataException>(() => Npy.Read(path)).Message);
    }

    [Fact]
    public void Float_array_is_not_read_as_integers()
    {
        string path = Path.Combine(_dir, "f.npy");
        Npy.Write(path, new float[] { 1.5f }, [1]);
        Assert.Contains("Expected an integer or bool array, got dtype <f4", Assert.Throws<InvalidDataException>(() => Npy.Read(path).ToInt32()).Message);
    }

    [Fact]
    public void Shape_mismatch_on_write_leaves_no_file()
    {
        string path = Path.Combine(_dir, "w.npy");
        Assert.Throws<ArgumentException>(() => Npy.Write(path, new float[5], [2, 3]));
        Assert.Empty(Directory.GetFiles(_dir));
    }
}
