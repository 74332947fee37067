namespace LossDsl;

/// <summary>
/// A symbolic tensor laid out <c>(B, C, *spatial)</c>, or a reduction of one (for example <c>(B, C)</c> after
/// <see cref="Dsl.SumSpatial(Field)"/>). Only meaningful inside a <c>[Loss]</c> method: the generator tracks the axes
/// of every value and reports mismatches at compile time. Arithmetic broadcasts over missing axes.
/// </summary>
public sealed class Field
{
    private Field()
    {
    }

#pragma warning disable CS1591 // operators are documented by the type: element-wise with broadcasting
    public static Field operator +(Field a, Field b) => throw SymbolicValue.NotEvaluable();
    public static Field operator -(Field a, Field b) => throw SymbolicValue.NotEvaluable();
    public static Field operator *(Field a, Field b) => throw SymbolicValue.NotEvaluable();
    public static Field operator /(Field a, Field b) => throw SymbolicValue.NotEvaluable();
    public static Field operator -(Field a) => throw SymbolicValue.NotEvaluable();
    public static Field operator +(Field a) => throw SymbolicValue.NotEvaluable();

    public static Field operator +(Field a, double b) => throw SymbolicValue.NotEvaluable();
    public static Field operator -(Field a, double b) => throw SymbolicValue.NotEvaluable();
    public static Field operator *(Field a, double b) => throw SymbolicValue.NotEvaluable();
    public static Field operator /(Field a, double b) => throw SymbolicValue.NotEvaluable();
    public static Field operator +(double a, Field b) => throw SymbolicValue.NotEvaluable();
    public static Field operator -(double a, Field b) => throw SymbolicValue.NotEvaluable();
    public static Field operator *(double a, Field b) => throw SymbolicValue.NotEvaluable();
    public static Field operator /(double a, Field b) => throw SymbolicValue.NotEvaluable();

    public static Field operator +(Field a, Scalar b) => throw SymbolicValue.NotEvaluable();
    public static Field operator -(Field a, Scalar b) => throw SymbolicValue.NotEvaluable();
    public static Field operator *(Field a, Scalar b) => throw SymbolicValue.NotEvaluable();
    public static Field operator /(Field a, Scalar b) => throw SymbolicValue.NotEvaluable();
    public static Field operator +(Scalar a, Field b) => throw SymbolicValue.NotEvaluable();
    public static Field operator -(Scalar a, Field b) => throw SymbolicValue.NotEvaluable();
    public static Field operator *(Scalar a, Field b) => throw SymbolicValue.NotEvaluable();
    public static Field operator /(Scalar a, Field b) => throw SymbolicValue.NotEvaluable();
#pragma warning restore CS1591
}
