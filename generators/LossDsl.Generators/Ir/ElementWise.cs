using System;

namespace LossDsl.Generators.Ir;

/// <summary>
/// The value of an element-wise operation on numbers, in double: what constant folding computes at build time and
/// what the reference interpreter computes at test time, so the two cannot disagree.
/// </summary>
internal static class ElementWise
{
    /// <summary>Whether <paramref name="op"/> acts element by element (and can be folded on constants).</summary>
    public static bool Is(Op op) => op is Op.Add or Op.Subtract or Op.Multiply or Op.Divide or Op.Negate or Op.Log or Op.Exp
        or Op.Sqrt or Op.Abs or Op.Square or Op.Sigmoid or Op.Pow or Op.Sign or Op.Step or Op.Minimum or Op.Maximum or Op.GreaterOrEqual;

    /// <summary>f(v) for an element-wise <paramref name="op"/>; NaN in, NaN out (Math.Sign would throw on NaN).</summary>
    public static double Apply(Op op, double[] v) => op switch
    {
        Op.Add => v[0] + v[1],
        Op.Subtract => v[0] - v[1],
        Op.Multiply => v[0] * v[1],
        Op.Divide => v[0] / v[1],
        Op.Negate => -v[0],
        Op.Log => Math.Log(v[0]),
        Op.Exp => Math.Exp(v[0]),
        Op.Sqrt => Math.Sqrt(v[0]),
        Op.Abs => Math.Abs(v[0]),
        Op.Square => v[0] * v[0],
        Op.Sigmoid => 1 / (1 + Math.Exp(-v[0])),
        Op.Pow => Math.Pow(v[0], v[1]),
        Op.Sign => v[0] > 0 ? 1 : v[0] < 0 ? -1 : v[0],
        Op.Step => v[0] > 0 ? 1 : double.IsNaN(v[0]) ? v[0] : 0,
        Op.Minimum => Math.Min(v[0], v[1]),
        Op.Maximum => Math.Max(v[0], v[1]),
        Op.GreaterOrEqual => v[0] >= v[1] ? 1 : 0,
        _ => throw new InvalidOperationException($"{op} is not element-wise"),
    };
}
