using LossDsl.Cpu;

namespace LossDsl.Benchmarks.Baseline;

/// <summary>A run of positions [<see cref="Start"/>, <see cref="Start"/> + <see cref="Length"/>) of every (b, c) plane.</summary>
/// <param name="Index">The chunk's number; chunks are fixed by the shape, never by the thread count.</param>
/// <param name="Start">First position.</param>
/// <param name="Length">Number of positions.</param>
public readonly record struct Chunk(int Index, int Start, int Length);
