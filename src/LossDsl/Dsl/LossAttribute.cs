namespace LossDsl;

/// <summary>
/// Marks a <c>static</c> method of a <c>static partial</c> class as a loss written in the LossDsl language.
/// The source generator compiles its body into a fused TorchSharp implementation (<c>Name(Tensor …)</c>),
/// a SIMD CPU implementation (<c>NameCpu</c>, <c>NameCpuGradient</c>) and an inspection record (<c>NameInfo</c>).
/// </summary>
[System.AttributeUsage(System.AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class LossAttribute : System.Attribute
{
}
