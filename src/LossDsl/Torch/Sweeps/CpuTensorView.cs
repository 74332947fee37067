using System;
using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace LossDsl.Torch.Sweeps;

/// <summary>
/// The elements of a contiguous CPU tensor of float or double, as spans over libtorch's own buffer (no copy). Kept as
/// an address rather than a span so that it can travel into <see cref="System.Threading.Tasks.Parallel"/> work items;
/// the buffer is native memory that the garbage collector never moves, valid while the tensor is not disposed.
/// </summary>
/// <typeparam name="T">The element type, matching the tensor's dtype.</typeparam>
internal readonly unsafe struct CpuTensorView<T>
    where T : unmanaged
{
    private readonly T* data;

    private CpuTensorView(T* data, int length)
    {
        this.data = data;
        Length = length;
    }

    /// <summary>Number of elements.</summary>
    public int Length { get; }

    /// <summary>A view of <paramref name="tensor"/>: contiguous, on the CPU, of dtype <typeparamref name="T"/>, at most int.MaxValue bytes.</summary>
    public static CpuTensorView<T> Of(Tensor tensor)
    {
        Debug.Assert(tensor.is_contiguous() && tensor.device_type == TorchSharp.DeviceType.CPU, "the caller checks the layout");
        var elements = MemoryMarshal.Cast<byte, T>(tensor.bytes);
        return new CpuTensorView<T>((T*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(elements)), elements.Length);
    }

    /// <summary>Elements <paramref name="start"/> … <paramref name="start"/> + <paramref name="length"/> − 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<T> Slice(long start, int length)
    {
        Debug.Assert(start >= 0 && length >= 0 && start + length <= Length, "slices stay inside the tensor");
        return new Span<T>(data + start, length);
    }
}
