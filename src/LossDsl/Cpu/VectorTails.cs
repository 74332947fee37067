namespace LossDsl.Cpu;

/// <summary>
/// How many lanes of a pass's current vector exist, as a type the JIT specialises a generated pass method for: every
/// load, store and masked reduction of a vector checks its lane count, and where no row of positions ends in a partial
/// vector (|Ω| a multiple of the vector width, the usual image sizes) the count is a constant and the checks fold away
/// (8–21 % of the suite's time when measured with the checks removed; docs/performance.md).
/// </summary>
public interface IVectorTail
{
    /// <summary>The lane count to use for a vector with <paramref name="remaining"/> positions left in its row.</summary>
    static abstract int Lanes(int remaining);
}

/// <summary>Every vector of every row is full: the lane count is a constant above any vector width.</summary>
public readonly struct FullVectors : IVectorTail
{
    /// <inheritdoc/>
    public static int Lanes(int remaining) => int.MaxValue;
}

/// <summary>The last vector of a row may be partial: the lane count is what remains of the row.</summary>
public readonly struct PartialLastVector : IVectorTail
{
    /// <inheritdoc/>
    public static int Lanes(int remaining) => remaining;
}
