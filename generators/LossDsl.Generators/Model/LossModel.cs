using LossDsl.Generators.Common;
using LossDsl.Generators.Ir;

namespace LossDsl.Generators.Model;

/// <summary>The kinds of parameter a <c>[Loss]</c> may declare.</summary>
internal enum ParameterKind
{
    Field,
    Float,
    Double,
    Int,

    /// <summary><c>int[]</c>: a list of class indices, used by <c>Select</c>.</summary>
    ClassList,
}

/// <summary>One declared parameter.</summary>
/// <param name="Name">As the compiler spells it, without an <c>@</c> (write it through <see cref="Identifiers.Escape"/>).</param>
/// <param name="Kind">Its kind.</param>
/// <param name="DefaultValue">The default as C# source (e.g. <c>0.3f</c>), or empty when there is none.</param>
internal sealed record ParameterModel(string Name, ParameterKind Kind, string DefaultValue)
{
    /// <summary>
    /// The declaration as it appears in a generated signature, e.g. <c>float alpha = 0.3f</c>; a field's type is the
    /// back end's (<paramref name="fieldType"/>), every other parameter keeps its declared C# type and default.
    /// </summary>
    public string Declaration(string fieldType)
    {
        var type = Kind == ParameterKind.Field ? fieldType : ScalarType(Kind);
        var name = Identifiers.Escape(Name);
        return DefaultValue.Length == 0 ? $"{type} {name}" : $"{type} {name} = {DefaultValue}";
    }

    /// <summary>The C# type of a hyper-parameter or class-list parameter.</summary>
    public static string ScalarType(ParameterKind kind) => kind switch
    {
        ParameterKind.Float => "float",
        ParameterKind.Double => "double",
        ParameterKind.Int => "int",
        ParameterKind.ClassList => "int[]",
        _ => throw new System.ArgumentOutOfRangeException(nameof(kind), kind, "a Field has no scalar type"),
    };
}

/// <summary>
/// Everything the emitters need about one <c>[Loss]</c>, and nothing from Roslyn (no symbols, no syntax), so the
/// incremental pipeline can compare it by value and skip regeneration when it did not change.
/// </summary>
/// <param name="Namespace">The declaring namespace (its names without <c>@</c>, joined by dots), or empty for the global namespace.</param>
/// <param name="ContainingTypes">Declarations of the enclosing types, outermost first, e.g. <c>public static partial class MyLosses</c>.</param>
/// <param name="TypeFullName">The declaring type's full name, e.g. <c>MyProject.MyLosses</c>.</param>
/// <param name="Name">The method name, without an <c>@</c>.</param>
/// <param name="Accessibility">The method's accessibility keyword(s), e.g. <c>public</c>.</param>
/// <param name="Summary">The declaration's XML summary text, or empty.</param>
/// <param name="Parameters">The parameters in declaration order.</param>
/// <param name="Graph">The inlined, simplified loss and its derivatives, in one graph.</param>
/// <param name="Result">The node of the loss value (a scalar).</param>
/// <param name="Gradients">For each <see cref="ParameterKind.Field"/> parameter in declaration order, the node of
/// ∂L/∂field (shape <c>(B, C, *S)</c> or a shape that broadcasts to it), or −1 when the loss does not depend on it.</param>
/// <param name="ReservedNames">The names of the declaring type's members (and enclosing types) that contain
/// <paramref name="Name"/>: every generated member is named <c>Name</c> + a suffix, so these are the only user
/// members one could meet; emitters pick their internal member names (nested classes, the registration method)
/// with a <see cref="NameScope"/> seeded with them. Sorted, so that the model compares by value.</param>
internal sealed record LossModel(
    string Namespace,
    EquatableArray<string> ContainingTypes,
    string TypeFullName,
    string Name,
    string Accessibility,
    string Summary,
    EquatableArray<ParameterModel> Parameters,
    Graph Graph,
    int Result,
    EquatableArray<int> Gradients,
    EquatableArray<string> ReservedNames);
