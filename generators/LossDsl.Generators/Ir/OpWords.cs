namespace LossDsl.Generators.Ir;

/// <summary>
/// A word for each operation, for the names of values that have no name of their own (generated variables, shared
/// values in formulas): one table, so the CPU code, the TorchSharp code and the formulas call a value the same way.
/// </summary>
internal static class OpWords
{
    public static string Of(Op op) => op switch
    {
        Op.Input => "field",
        Op.Hyper => "hyper",
        Op.Constant => "constant",
        Op.Extent => "count",
        Op.Add => "plus",
        Op.Subtract => "minus",
        Op.Multiply => "product",
        Op.Divide => "ratio",
        Op.Negate => "negated",
        Op.Log => "log",
        Op.Exp => "exp",
        Op.Sqrt => "sqrt",
        Op.Abs => "abs",
        Op.Square => "square",
        Op.Sigmoid => "sigmoid",
        Op.Pow => "power",
        Op.Sign => "sign",
        Op.Step => "step",
        Op.Minimum => "min",
        Op.Maximum => "max",
        Op.GreaterOrEqual => "mask",
        Op.Softmax => "softmax",
        Op.LogSoftmax => "logSoftmax",
        Op.Sum => "sum",
        Op.MaxOver => "max",
        Op.Select => "selected",
        Op.Scatter => "scattered",
        _ => "value",
    };
}
