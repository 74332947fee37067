using System;
using System.Numerics;
using LossDsl.Cpu;

namespace LossDsl.Benchmarks.Baseline;

/// <summary>The copies in and out of chunk buffers that the pre-fusion CPU programs made (the fused passes read fields in place).</summary>
public static class BaselineKernels
{
    /// <summary>Copies positions [start, start + d.Length) of every (b, c) plane of a field into d.</summary>
    public static void Load<T>(ReadOnlySpan<T> field, FieldShape shape, int start, View<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var b = 0; b < shape.Batches; b++)
        {
            for (var c = 0; c < shape.Classes; c++)
            {
                field.Slice((((b * shape.Classes) + c) * shape.Positions) + start, d.Length).CopyTo(d.Row(b, c));
            }
        }
    }

    /// <summary>Writes g, broadcast to (B, C, positions [start, start + length)), into a gradient field.</summary>
    public static void Store<T>(View<T> g, Span<T> gradient, FieldShape shape, int start, int length)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var b = 0; b < shape.Batches; b++)
        {
            for (var c = 0; c < shape.Classes; c++)
            {
                var target = gradient.Slice((((b * shape.Classes) + c) * shape.Positions) + start, length);
                if (g.HasPositions)
                {
                    g.Row(b, c).CopyTo(target);
                }
                else
                {
                    target.Fill(g.At(b, c));
                }
            }
        }
    }

    /// <summary>Writes a scalar gradient (a loss linear in the field) over positions [start, start + length) of every plane.</summary>
    public static void Store<T>(T g, Span<T> gradient, FieldShape shape, int start, int length)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var plane = 0; plane < shape.Batches * shape.Classes; plane++)
        {
            gradient.Slice((plane * shape.Positions) + start, length).Fill(g);
        }
    }
}
