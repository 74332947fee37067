using LossDsl.Generators.Common;

namespace LossDsl.Generators.Ir;

/// <summary>
/// One IR value. Nodes live in a <see cref="Graph"/> in topological order and refer to their operands by index.
/// </summary>
/// <param name="Op">The operation.</param>
/// <param name="Args">Indices of the operands in the graph.</param>
/// <param name="Shape">The inferred shape.</param>
/// <param name="Value">The literal of a <see cref="Op.Constant"/>.</param>
/// <param name="Name">Parameter name of <see cref="Op.Input"/>/<see cref="Op.Hyper"/>, class list of
/// <see cref="Op.Select"/>/<see cref="Op.Scatter"/>/<see cref="Op.Extent"/>.</param>
/// <param name="Reduce">Reduced axes of <see cref="Op.Sum"/>, counted axes of <see cref="Op.Extent"/>.</param>
/// <param name="Label">A readable name (a local of the declaration, or derived from one), used for variable names
/// and formulas; not part of a node's identity for common-subexpression elimination.</param>
internal sealed record Node(
    Op Op,
    EquatableArray<int> Args,
    Shape Shape,
    double Value = 0,
    string Name = "",
    Axes Reduce = Axes.None,
    string Label = "")
{
    /// <summary>Whether two nodes compute the same value (everything but the label).</summary>
    public bool SameValueAs(Node other) =>
        Op == other.Op && Args == other.Args && Shape == other.Shape && Value.Equals(other.Value)
        && Name == other.Name && Reduce == other.Reduce;

    public int ValueHash()
    {
        unchecked
        {
            return (((((int)Op * 397) ^ Args.GetHashCode()) * 397 ^ Value.GetHashCode()) * 397 ^ Name.GetHashCode()) * 397
                ^ (int)Reduce;
        }
    }
}
