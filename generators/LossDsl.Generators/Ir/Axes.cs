using System;

namespace LossDsl.Generators.Ir;

/// <summary>
/// The axes a value varies along. Fields are laid out <c>(B, C, *spatial)</c>; the spatial axes are always reduced
/// together, so one flag stands for all of them. Broadcasting is the union of the operands' axes.
/// </summary>
[Flags]
internal enum Axes
{
    None = 0,
    Batch = 1,
    Class = 2,
    Spatial = 4,
    All = Batch | Class | Spatial,
}

/// <summary>
/// The static shape of an IR value: which axes it has and, when it has the class axis, which classes they are.
/// <see cref="ClassDomain"/> is empty for all <c>C</c> classes, or the name of the <c>int[]</c> parameter that
/// <c>Select</c> restricted them to. Values over different class domains cannot be combined.
/// </summary>
internal readonly record struct Shape(Axes Axes, string ClassDomain)
{
    public static Shape Scalar => new(Axes.None, "");

    public static Shape FullField => new(Axes.All, "");

    public bool Has(Axes axes) => (Axes & axes) == axes;

    public bool IsScalar => Axes == Axes.None;

    /// <summary>Human form for diagnostics and formulas, e.g. <c>(B, C[idc], *S)</c>.</summary>
    public override string ToString()
    {
        if (IsScalar)
        {
            return "()";
        }

        var parts = new System.Collections.Generic.List<string>();
        if (Has(Axes.Batch))
        {
            parts.Add("B");
        }

        if (Has(Axes.Class))
        {
            parts.Add(ClassDomain.Length == 0 ? "C" : "C[" + ClassDomain + "]");
        }

        if (Has(Axes.Spatial))
        {
            parts.Add("*S");
        }

        return "(" + string.Join(", ", parts) + ")";
    }
}
