namespace LossDsl.Generators.Ir;

/// <summary>Shape inference: the shape of an operation's result, or why the operands do not fit.</summary>
internal static class ShapeRules
{
    /// <summary>Returns the result shape, or null with <paramref name="error"/> set to a message for the user.</summary>
    public static Shape? Infer(Op op, Shape[] args, string name, Axes reduce, out string? error)
    {
        error = null;
        switch (op)
        {
            case Op.Input:
                return Shape.FullField;
            case Op.Hyper:
            case Op.Constant:
            case Op.Extent:
                return Shape.Scalar;
            case Op.Negate:
            case Op.Log:
            case Op.Exp:
            case Op.Sqrt:
            case Op.Abs:
            case Op.Square:
            case Op.Sigmoid:
            case Op.Sign:
            case Op.Step:
                return args[0];
            case Op.Add:
            case Op.Subtract:
            case Op.Multiply:
            case Op.Divide:
            case Op.Pow:
            case Op.Minimum:
            case Op.Maximum:
            case Op.GreaterOrEqual:
                return Broadcast(args[0], args[1], out error);
            case Op.Softmax:
            case Op.LogSoftmax:
                if (!args[0].Has(Axes.Class))
                {
                    error = $"{op} works over the class axis, but its argument has shape {args[0]}, which has no class axis";
                    return null;
                }

                return args[0];
            case Op.Sum:
            case Op.MaxOver:
                if (!args[0].Has(reduce))
                {
                    error = $"cannot {(op == Op.Sum ? "sum" : "take the maximum")} over {Describe(reduce)}: the argument has shape {args[0]}";
                    return null;
                }

                var remaining = args[0].Axes & ~reduce;
                return new Shape(remaining, (remaining & Axes.Class) != 0 ? args[0].ClassDomain : "");
            case Op.Select:
                if (!args[0].Has(Axes.Class))
                {
                    error = $"Select chooses classes, but its argument has shape {args[0]}, which has no class axis";
                    return null;
                }

                if (args[0].ClassDomain.Length != 0)
                {
                    error = $"Select is applied to a value whose classes are already selected by '{args[0].ClassDomain}'; select once, from the full field";
                    return null;
                }

                return new Shape(args[0].Axes, name);
            case Op.Scatter:
                return new Shape(args[0].Axes | Axes.Class, "");
            default:
                error = $"unknown operation {op}";
                return null;
        }
    }

    public static Shape? Broadcast(Shape a, Shape b, out string? error)
    {
        error = null;
        if (a.Has(Axes.Class) && b.Has(Axes.Class) && a.ClassDomain != b.ClassDomain)
        {
            error = $"shapes {a} and {b} do not match: their class axes hold different classes; select the same classes on both sides";
            return null;
        }

        var domain = a.Has(Axes.Class) ? a.ClassDomain : b.ClassDomain;
        return new Shape(a.Axes | b.Axes, (a.Axes | b.Axes).HasFlag(Axes.Class) ? domain : "");
    }

    public static string Describe(Axes axes)
    {
        var parts = new System.Collections.Generic.List<string>();
        if ((axes & Axes.Batch) != 0)
        {
            parts.Add("the batch axis");
        }

        if ((axes & Axes.Class) != 0)
        {
            parts.Add("the class axis");
        }

        if ((axes & Axes.Spatial) != 0)
        {
            parts.Add("the spatial axes");
        }

        return parts.Count == 0 ? "no axis" : string.Join(" and ", parts);
    }
}
