namespace LossDsl;

/// <summary>Shared behaviour of the DSL's symbolic types.</summary>
internal static class SymbolicValue
{
    /// <summary>
    /// A <see cref="Field"/> or <see cref="Scalar"/> only exists inside a <c>[Loss]</c> declaration, which the
    /// source generator compiles; running the declaration itself is always a mistake, so say what to call instead.
    /// </summary>
    internal static System.InvalidOperationException NotEvaluable() => new(
        "LossDsl Field and Scalar values are symbolic: a [Loss] method is compiled by the LossDsl source generator " +
        "and is not meant to be executed. Call the generated members instead: Name(Tensor …) for TorchSharp, " +
        "NameCpu/NameCpuGradient for the CPU back end.");
}
