using LossDsl;
using static LossDsl.Dsl;

namespace LossDsl.Benchmarks;

public static partial class ProbeLosses
{
    [Loss] public static Scalar SumOnly(Field p) => Sum(p);
    [Loss] public static Scalar ExpOnly(Field p) => Sum(Exp(p));
    [Loss] public static Scalar SoftmaxOnly(Field p) => Sum(Softmax(p));
    [Loss] public static Scalar SpatialOnly(Field p, Field y) => Sum(Square(SumSpatial(p * y)));
}
