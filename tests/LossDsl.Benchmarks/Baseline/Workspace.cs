using System;
using System.Collections.Concurrent;
using System.Collections.Generic;

using LossDsl.Cpu;

namespace LossDsl.Benchmarks.Baseline;

/// <summary>
/// Per-thread scratch for one chunk: one buffer per intermediate value, reused from chunk to chunk, so memory is
/// bounded by the chunk size, not by the input.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class Workspace<T>
{
    // Buffers are reused across calls too: a training loop calls the same loss on the same shape every step.
    private static readonly ConcurrentBag<Workspace<T>> Pool = new();
    private readonly List<T[]> buffers = new();

    /// <summary>A workspace from the pool (or a new one); give it back with <see cref="Return"/>.</summary>
    public static Workspace<T> Rent() => Pool.TryTake(out var workspace) ? workspace : new Workspace<T>();

    /// <summary>Returns a workspace to the pool, keeping at most a few per thread of the machine.</summary>
    public static void Return(Workspace<T> workspace)
    {
        if (Pool.Count < 2 * System.Environment.ProcessorCount)
        {
            Pool.Add(workspace);
        }
    }

    /// <summary>A dense view for intermediate value number <paramref name="slot"/> of the current chunk.</summary>
    /// <param name="slot">The value's slot; each intermediate of a pass has its own.</param>
    /// <param name="batches">B, or 0 when the value has no batch axis.</param>
    /// <param name="classes">Number of classes, or 0 when the value has no class axis.</param>
    /// <param name="length">Positions in the chunk (0 for a value without spatial axes).</param>
    public View<T> Buffer(int slot, int batches, int classes, int length)
    {
        while (buffers.Count <= slot)
        {
            buffers.Add(Array.Empty<T>());
        }

        var needed = Math.Max(batches, 1) * Math.Max(classes, 1) * Math.Max(length, 1);
        if (buffers[slot].Length < needed)
        {
            buffers[slot] = new T[needed];
        }

        return new View<T>(buffers[slot], 0, batches, classes, length);
    }
}
