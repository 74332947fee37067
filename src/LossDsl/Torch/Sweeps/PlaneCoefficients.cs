using System;
using System.Numerics;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace LossDsl.Torch.Sweeps;

/// <summary>A value without spatial extent (0-dim, or keep-dim with size 1 or B, 1 or C) as one number per (b, c) plane.</summary>
internal static class PlaneCoefficients
{
    /// <summary>
    /// The value broadcast to (B, C), row-major (plane b·C + c); zeros when <paramref name="value"/> is null. These
    /// tensors hold at most B·C numbers, so going through ATen (expand, reshape, convert) costs nothing that matters.
    /// </summary>
    public static T[] Read<T>(Tensor? value, long batch, long classes, int rank)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var planes = new T[batch * classes];
        if (value is null)
        {
            return planes;
        }

        var keep = new long[rank];
        Array.Fill(keep, 1L);
        keep[0] = batch;
        keep[1] = classes;
        using var scope = torch.NewDisposeScope();
        var flat = value.expand(keep).reshape(batch, classes).to_type(ScalarType.Float64).contiguous();
        var numbers = MemoryMarshal.Cast<byte, double>(flat.bytes);
        for (var i = 0; i < planes.Length; i++)
        {
            planes[i] = T.CreateTruncating(numbers[i]);
        }

        return planes;
    }
}
