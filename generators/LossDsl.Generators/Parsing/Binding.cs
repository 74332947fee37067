namespace LossDsl.Generators.Parsing;

/// <summary>
/// What a parameter of the loss being translated stands for: an IR node (a field, a hyper-parameter, or the
/// caller's argument when the loss is inlined), or the name of a class list (an <c>int[]</c> parameter of the
/// outermost loss, which is what <c>Select</c> nodes refer to).
/// </summary>
internal readonly record struct Binding(int Node, string ClassList)
{
    /// <summary>A parameter the front end already reported (or the compiler did): uses of it fail silently.</summary>
    public static Binding Invalid => new(-1, "");

    public static Binding OfNode(int node) => new(node, "");

    public static Binding OfClassList(string name) => new(-1, name);

    public bool IsClassList => ClassList.Length > 0;
}
