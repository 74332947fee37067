namespace LossDsl;

/// <summary>
/// A symbolic 0-dimensional value: what a <c>[Loss]</c> returns, and what full reductions such as
/// <see cref="Dsl.Mean(Field)"/> produce. Only meaningful inside a <c>[Loss]</c> method.
/// </summary>
public sealed class Scalar
{
    private Scalar()
    {
    }

#pragma warning disable CS1591 // operators are documented by the type
    public static Scalar operator +(Scalar a, Scalar b) => throw SymbolicValue.NotEvaluable();
    public static Scalar operator -(Scalar a, Scalar b) => throw SymbolicValue.NotEvaluable();
    public static Scalar operator *(Scalar a, Scalar b) => throw SymbolicValue.NotEvaluable();
    public static Scalar operator /(Scalar a, Scalar b) => throw SymbolicValue.NotEvaluable();
    public static Scalar operator -(Scalar a) => throw SymbolicValue.NotEvaluable();
    public static Scalar operator +(Scalar a) => throw SymbolicValue.NotEvaluable();

    public static Scalar operator +(Scalar a, double b) => throw SymbolicValue.NotEvaluable();
    public static Scalar operator -(Scalar a, double b) => throw SymbolicValue.NotEvaluable();
    public static Scalar operator *(Scalar a, double b) => throw SymbolicValue.NotEvaluable();
    public static Scalar operator /(Scalar a, double b) => throw SymbolicValue.NotEvaluable();
    public static Scalar operator +(double a, Scalar b) => throw SymbolicValue.NotEvaluable();
    public static Scalar operator -(double a, Scalar b) => throw SymbolicValue.NotEvaluable();
    public static Scalar operator *(double a, Scalar b) => throw SymbolicValue.NotEvaluable();
    public static Scalar operator /(double a, Scalar b) => throw SymbolicValue.NotEvaluable();
#pragma warning restore CS1591
}
