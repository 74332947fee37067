using System.Numerics;
using System.Runtime.CompilerServices;

namespace LossDsl.Cpu;

/// <summary>
/// ln x for float vectors, inlined into the generated passes: Cephes' logf (the mantissa in [√½, √2) minus one, a
/// degree-8 polynomial, the exponent times ln 2 in two parts), within 2 ulp of the correctly rounded result.
/// .NET's <see cref="Vector.Log(Vector{float})"/> is as accurate but is a call, and a call inside a generated loop
/// makes the JIT keep the loop's vector locals in memory; cross-entropy and BCE take one log per element.
/// </summary>
public static class FastLog
{
    private const float SqrtHalf = 0.707106781186547524f;
    private const float Ln2High = 0.693359375f;
    private const float Ln2Low = -2.12194440e-4f;
    private const float MinNormal = 1.17549435e-38f;

    /// <summary>ln x lane by lane: NaN below 0 and for NaN, −∞ at ±0, +∞ at +∞; subnormal inputs are exact too.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Log(Vector<float> x)
    {
        // Subnormals: scale by 2²³ first, so that the exponent field holds the whole exponent.
        var subnormal = Vector.LessThan(x, new Vector<float>(MinNormal));
        var scaled = Vector.ConditionalSelect(subnormal, x * new Vector<float>(8388608f), x);
        var bits = Vector.AsVectorInt32(scaled);
        var exponent = Vector.ShiftRightArithmetic(bits, 23) - new Vector<int>(126) + Vector.ConditionalSelect(subnormal, new Vector<int>(-23), Vector<int>.Zero);

        // The mantissa in [0.5, 1); below √½ it is doubled (and the exponent lowered) so that m − 1 is in [√½ − 1, √2 − 1).
        var mantissa = Vector.AsVectorSingle((bits & new Vector<int>(unchecked((int)0x807FFFFF))) | new Vector<int>(0x3F000000));
        var small = Vector.LessThan(mantissa, new Vector<float>(SqrtHalf));
        exponent += Vector.ConditionalSelect(small, new Vector<int>(-1), Vector<int>.Zero);
        var m = Vector.ConditionalSelect(small, mantissa + mantissa, mantissa) - Vector<float>.One;
        var e = Vector.ConvertToSingle(exponent);

        var z = m * m;
        var y = Vector.FusedMultiplyAdd(new Vector<float>(7.0376836292E-2f), m, new Vector<float>(-1.1514610310E-1f));
        y = Vector.FusedMultiplyAdd(y, m, new Vector<float>(1.1676998740E-1f));
        y = Vector.FusedMultiplyAdd(y, m, new Vector<float>(-1.2420140846E-1f));
        y = Vector.FusedMultiplyAdd(y, m, new Vector<float>(1.4249322787E-1f));
        y = Vector.FusedMultiplyAdd(y, m, new Vector<float>(-1.6668057665E-1f));
        y = Vector.FusedMultiplyAdd(y, m, new Vector<float>(2.0000714765E-1f));
        y = Vector.FusedMultiplyAdd(y, m, new Vector<float>(-2.4999993993E-1f));
        y = Vector.FusedMultiplyAdd(y, m, new Vector<float>(3.3333331174E-1f));
        y = y * m * z;
        y = Vector.FusedMultiplyAdd(e, new Vector<float>(Ln2Low), y);
        y = Vector.FusedMultiplyAdd(z, new Vector<float>(-0.5f), y);
        var result = Vector.FusedMultiplyAdd(e, new Vector<float>(Ln2High), m + y);

        // The special values: ln 0 = −∞, ln +∞ = +∞, ln of a negative number or NaN is NaN.
        result = Vector.ConditionalSelect(Vector.Equals(x, Vector<float>.Zero), new Vector<float>(float.NegativeInfinity), result);
        result = Vector.ConditionalSelect(Vector.Equals(x, new Vector<float>(float.PositiveInfinity)), x, result);
        return Vector.ConditionalSelect(Vector.LessThan(x, Vector<float>.Zero) | ~Vector.Equals(x, x), new Vector<float>(float.NaN), result);
    }
}
