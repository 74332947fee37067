namespace LossDsl.Cpu;

/// <summary>The extents of a field <c>(B, C, *spatial)</c> as the CPU back end sees it: spatial axes flattened.</summary>
/// <param name="Batches">B.</param>
/// <param name="Classes">C.</param>
/// <param name="Positions">|Ω|, the product of the spatial extents (1 for a field without spatial axes).</param>
/// <param name="Description">The original shape, for messages, e.g. <c>(2, 3, 17, 9)</c>.</param>
public readonly record struct FieldShape(int Batches, int Classes, int Positions, string Description)
{
    /// <summary>B·C·|Ω|.</summary>
    public long Count => (long)Batches * Classes * Positions;
}
