using System;

namespace LossDsl.Cpu;

/// <summary>
/// The field arguments (or gradient destinations) of one generated CPU call, gathered so the runtime can pin them
/// for the duration of a multi-threaded evaluation. Holds up to <see cref="Capacity"/> spans.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public ref struct FieldSpans<T>
{
    /// <summary>The most fields a loss may take.</summary>
    public const int Capacity = 8;

    private Span<T> s0, s1, s2, s3, s4, s5, s6, s7;

    /// <summary>Number of spans added.</summary>
    public int Count { get; private set; }

    /// <summary>Adds a read-only field (the runtime never writes through it).</summary>
    public void Add(ReadOnlySpan<T> span) =>
        Add(System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(span), span.Length));

    /// <summary>Adds a writable span (a gradient destination; empty when not wanted).</summary>
    public void Add(Span<T> span)
    {
        switch (Count)
        {
            case 0: s0 = span; break;
            case 1: s1 = span; break;
            case 2: s2 = span; break;
            case 3: s3 = span; break;
            case 4: s4 = span; break;
            case 5: s5 = span; break;
            case 6: s6 = span; break;
            case 7: s7 = span; break;
            default: throw new ArgumentOutOfRangeException(nameof(span), $"a loss takes at most {Capacity} fields");
        }

        Count++;
    }

    /// <summary>Span number <paramref name="index"/>.</summary>
    public readonly Span<T> this[int index] => index switch
    {
        0 => s0,
        1 => s1,
        2 => s2,
        3 => s3,
        4 => s4,
        5 => s5,
        6 => s6,
        7 => s7,
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };
}
