namespace LossDsl.Generators;

/// <summary>The generated code of one <c>[Loss]</c>, back end by back end, as it appears in its generated file (unindented).</summary>
public sealed class GeneratedLossSource
{
    internal GeneratedLossSource(string torchSharp, string cpu)
    {
        TorchSharp = torchSharp;
        Cpu = cpu;
    }

    /// <summary>The TorchSharp members (a one-line comment where that back end is not generated).</summary>
    public string TorchSharp { get; }

    /// <summary>The SIMD CPU members.</summary>
    public string Cpu { get; }
}
