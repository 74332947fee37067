using LossDsl;
using static LossDsl.Dsl;

namespace LossDsl.Benchmarks;

/// <summary>
/// Probes of the CPU back end's building blocks for the quick CPU-time probe (<c>dotnet run -c Release -- cpu</c>): a
/// plain read, an exponential, a softmax and a per-class spatial sum, each over one (8, 4, 256, 256) field.
/// </summary>
public static partial class ProbeLosses
{
    [Loss] public static Scalar SumOnly(Field p) => Sum(p);
    [Loss] public static Scalar ExpOnly(Field p) => Sum(Exp(p));
    [Loss] public static Scalar SoftmaxOnly(Field p) => Sum(Softmax(p));
    [Loss] public static Scalar SpatialOnly(Field p, Field y) => Sum(Square(SumSpatial(p * y)));
}
