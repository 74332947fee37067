using LossDsl.Generators.Ir;

namespace LossDsl.Generators.Tests.Passes;

/// <summary>
/// Builds IR the way the front end does for the DSL's intrinsics (Mean = Σ/extent, Clamp = min(max(…)), …), so tests
/// read like the losses they check.
/// </summary>
internal sealed class Dsl
{
    public GraphBuilder B { get; } = new();

    public int Field(string name) => B.Input(name);

    public int Hyper(string name) => B.Hyper(name);

    public int K(double value) => B.Constant(value);

    public int Add(int a, int b) => B.Add(Op.Add, a, b);

    public int Sub(int a, int b) => B.Add(Op.Subtract, a, b);

    public int Mul(int a, int b) => B.Add(Op.Multiply, a, b);

    public int Div(int a, int b) => B.Add(Op.Divide, a, b);

    public int Neg(int a) => B.Add(Op.Negate, a);

    public int Log(int a) => B.Add(Op.Log, a);

    public int Exp(int a) => B.Add(Op.Exp, a);

    public int Sqrt(int a) => B.Add(Op.Sqrt, a);

    public int Abs(int a) => B.Add(Op.Abs, a);

    public int Square(int a) => B.Add(Op.Square, a);

    public int Sigmoid(int a) => B.Add(Op.Sigmoid, a);

    public int Pow(int a, int e) => B.Add(Op.Pow, a, e);

    public int Min(int a, int b) => B.Add(Op.Minimum, a, b);

    public int Max(int a, int b) => B.Add(Op.Maximum, a, b);

    public int Clamp(int a, int lo, int hi) => Min(Max(a, lo), hi);

    public int Softmax(int a) => B.Add(Op.Softmax, a);

    public int LogSoftmax(int a) => B.Add(Op.LogSoftmax, a);

    public int Sum(int a, Axes axes) => B.Add(Op.Sum, new[] { a }, "", axes);

    public int Sum(int a) => Sum(a, B[a].Shape.Axes);

    public int SumSpatial(int a) => Sum(a, Axes.Spatial);

    public int SumClasses(int a) => Sum(a, Axes.Class);

    public int SumBatch(int a) => Sum(a, Axes.Batch);

    public int Mean(int a) => Mean(a, B[a].Shape.Axes);

    public int Mean(int a, Axes axes) => Div(Sum(a, axes), B.Extent(axes, B[a].Shape.ClassDomain));

    public int Select(int a, string idc) => B.Add(Op.Select, new[] { a }, idc);

    public int Let(string label, int id)
    {
        B.Label(id, label);
        return id;
    }

    public Graph Graph => B.ToGraph();
}
