namespace LossDsl;

/// <summary>
/// Carries a compiled loss's forward graph in its assembly, so that a <c>[Loss]</c> in another project can call it
/// and still be inlined and differentiated as one graph. Written by the source generator on <c>NameInfo</c>; not for
/// hand-written code.
/// </summary>
[System.AttributeUsage(System.AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class LossGraphAttribute : System.Attribute
{
    /// <summary>Stores <paramref name="graph"/>.</summary>
    /// <param name="graph">The graph, in the generator's text form.</param>
    public LossGraphAttribute(string graph) => Graph = graph;

    /// <summary>The graph, in the generator's text form.</summary>
    public string Graph { get; }
}
