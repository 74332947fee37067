using System;
using System.Collections.Generic;
using System.Linq;

namespace LossDsl.Generators.Ir;

/// <summary>A field's values, laid out <c>(B, C, S)</c> row-major, <c>S</c> the product of the spatial extents.</summary>
internal readonly record struct FieldData(double[] Data, int B, int C, int S);

/// <summary>
/// A dense value over the axes of its shape, laid out <c>(b, c, s)</c> row-major with extent 1 for absent axes.
/// Along the class axis, index <c>k</c> is the <c>k</c>-th class of the shape's class domain.
/// </summary>
internal sealed class DenseValue
{
    public DenseValue(Shape shape, int batch, int classes, int spatial)
    {
        Shape = shape;
        Batch = shape.Has(Axes.Batch) ? batch : 1;
        Classes = shape.Has(Axes.Class) ? classes : 1;
        Spatial = shape.Has(Axes.Spatial) ? spatial : 1;
        Data = new double[Batch * Classes * Spatial];
    }

    public Shape Shape { get; }

    public int Batch { get; }

    public int Classes { get; }

    public int Spatial { get; }

    public double[] Data { get; }

    /// <summary>The element at <c>(b, c, s)</c>, ignoring the coordinates of absent axes (so it broadcasts).</summary>
    public double At(int b, int c, int s) => Data[Index(b, c, s)];

    public int Index(int b, int c, int s) =>
        (((Batch == 1 ? 0 : b) * Classes) + (Classes == 1 ? 0 : c)) * Spatial + (Spatial == 1 ? 0 : s);

    /// <summary>This value broadcast to a full <c>(B, C, S)</c> field (for a gradient that lacks some axes).</summary>
    public double[] ToField(int batch, int classes, int spatial)
    {
        var result = new double[batch * classes * spatial];
        for (var b = 0; b < batch; b++)
        {
            for (var c = 0; c < classes; c++)
            {
                for (var s = 0; s < spatial; s++)
                {
                    result[(((b * classes) + c) * spatial) + s] = At(b, c, s);
                }
            }
        }

        return result;
    }
}

/// <summary>
/// A naive reference evaluator of a <see cref="Graph"/> in double precision: every node becomes a dense array over
/// its axes, computed with plain nested loops and explicit broadcasting. Slow and obviously correct, it is the
/// oracle that derivative rules, simplifications and emitters are tested against.
/// </summary>
internal sealed class Interpreter
{
    private readonly Graph graph;
    private readonly IReadOnlyDictionary<string, FieldData> fields;
    private readonly IReadOnlyDictionary<string, double> hypers;
    private readonly IReadOnlyDictionary<string, int[]> classLists;
    private readonly DenseValue?[] values;
    private readonly bool floatIntermediates;

    /// <summary>Prepares to evaluate <paramref name="graph"/>; all fields must have the same <c>(B, C, S)</c>.</summary>
    /// <param name="dimensions">The extents when the graph has no field (otherwise taken from the fields).</param>
    /// <param name="floatIntermediates">
    /// Rounds every node's value to float (the operations still in double): how far that moves a result tells whether
    /// the graph is ill-conditioned in float at these inputs (a cancellation such as 1 − x with x ≈ 1).
    /// </param>
    public Interpreter(
        Graph graph,
        IReadOnlyDictionary<string, FieldData> fields,
        IReadOnlyDictionary<string, double>? hypers = null,
        IReadOnlyDictionary<string, int[]>? classLists = null,
        (int B, int C, int S)? dimensions = null,
        bool floatIntermediates = false)
    {
        this.graph = graph;
        this.floatIntermediates = floatIntermediates;
        this.fields = fields;
        this.hypers = hypers ?? new Dictionary<string, double>();
        this.classLists = classLists ?? new Dictionary<string, int[]>();
        values = new DenseValue?[graph.Count];
        (B, C, S) = dimensions ?? (fields.Count > 0 ? (fields.First().Value.B, fields.First().Value.C, fields.First().Value.S) : (1, 1, 1));
        foreach (var pair in fields)
        {
            var f = pair.Value;
            if (f.B != B || f.C != C || f.S != S || f.Data.Length != B * C * S)
            {
                throw new ArgumentException($"field '{pair.Key}' is ({f.B}, {f.C}, {f.S}) with {f.Data.Length} values; expected ({B}, {C}, {S})", nameof(fields));
            }
        }

        foreach (var pair in this.classLists)
        {
            if (pair.Value.Any(k => k < 0 || k >= C))
            {
                throw new ArgumentException($"class list '{pair.Key}' = [{string.Join(", ", pair.Value)}] has an index outside 0..{C - 1}", nameof(classLists));
            }
        }
    }

    public int B { get; }

    public int C { get; }

    public int S { get; }

    /// <summary>The value of node <paramref name="id"/> (memoised).</summary>
    public DenseValue Evaluate(int id) => values[id] ??= floatIntermediates ? RoundedToFloat(Compute(graph[id])) : Compute(graph[id]);

    /// <summary>Rounds in place: every value <see cref="Compute"/> returns has its own data.</summary>
    private static DenseValue RoundedToFloat(DenseValue value)
    {
        for (var i = 0; i < value.Data.Length; i++)
        {
            value.Data[i] = (float)value.Data[i];
        }

        return value;
    }

    /// <summary>The value of a scalar node.</summary>
    public double Scalar(int id)
    {
        var value = Evaluate(id);
        if (!value.Shape.IsScalar)
        {
            throw new ArgumentException($"node {id} has shape {value.Shape}, not a scalar", nameof(id));
        }

        return value.Data[0];
    }

    private int ClassCount(string domain) => domain.Length == 0 ? C : ClassList(domain).Length;

    private int[] ClassList(string name) =>
        classLists.TryGetValue(name, out var list) ? list : throw new KeyNotFoundException($"no value for class list '{name}'");

    private DenseValue New(Shape shape) => new(shape, B, ClassCount(shape.ClassDomain), S);

    private DenseValue Compute(Node node)
    {
        var args = node.Args.Select(Evaluate).ToArray();
        var result = New(node.Shape);
        switch (node.Op)
        {
            case Op.Input:
                var field = fields.TryGetValue(node.Name, out var f) ? f : throw new KeyNotFoundException($"no value for field '{node.Name}'");
                Array.Copy(field.Data, result.Data, result.Data.Length);
                break;
            case Op.Hyper:
                result.Data[0] = hypers.TryGetValue(node.Name, out var h) ? h : throw new KeyNotFoundException($"no value for hyper-parameter '{node.Name}'");
                break;
            case Op.Constant:
                result.Data[0] = node.Value;
                break;
            case Op.Extent:
                result.Data[0] = ((node.Reduce & Axes.Batch) != 0 ? B : 1)
                    * ((node.Reduce & Axes.Class) != 0 ? ClassCount(node.Name) : 1)
                    * ((node.Reduce & Axes.Spatial) != 0 ? S : 1);
                break;
            case Op.Softmax:
            case Op.LogSoftmax:
                Softmax(args[0], result, node.Op == Op.LogSoftmax);
                break;
            case Op.Sum:
                ForEach(args[0], (b, c, s) => result.Data[result.Index(b, c, s)] += args[0].At(b, c, s));
                break;
            case Op.MaxOver:
                for (var i = 0; i < result.Data.Length; i++)
                {
                    result.Data[i] = double.NegativeInfinity;
                }

                ForEach(args[0], (b, c, s) =>
                {
                    var i = result.Index(b, c, s);
                    var v = args[0].At(b, c, s);
                    result.Data[i] = double.IsNaN(v) || double.IsNaN(result.Data[i]) ? double.NaN : Math.Max(result.Data[i], v);
                });
                break;
            case Op.Select:
                var selected = ClassList(node.Name);
                ForEach(result, (b, k, s) => result.Data[result.Index(b, k, s)] = args[0].At(b, selected[k], s));
                break;
            case Op.Scatter:
                var scattered = ClassList(node.Name);
                ForEach(result, (b, c, s) =>
                {
                    var sum = 0.0;
                    for (var k = 0; k < scattered.Length; k++)
                    {
                        sum += scattered[k] == c ? args[0].At(b, k, s) : 0;
                    }

                    result.Data[result.Index(b, c, s)] = sum;
                });
                break;
            default:
                ForEach(result, (b, c, s) => result.Data[result.Index(b, c, s)] = ElementWise.Apply(node.Op, args.Select(a => a.At(b, c, s)).ToArray()));
                break;
        }

        return result;
    }


    /// <summary>Softmax (or its log) along the class axis, shifted by the maximum as every stable implementation does.</summary>
    private static void Softmax(DenseValue x, DenseValue result, bool log)
    {
        for (var b = 0; b < x.Batch; b++)
        {
            for (var s = 0; s < x.Spatial; s++)
            {
                var max = double.NegativeInfinity;
                for (var c = 0; c < x.Classes; c++)
                {
                    max = Math.Max(max, x.At(b, c, s));
                }

                var total = 0.0;
                for (var c = 0; c < x.Classes; c++)
                {
                    total += Math.Exp(x.At(b, c, s) - max);
                }

                for (var c = 0; c < x.Classes; c++)
                {
                    var shifted = x.At(b, c, s) - max;
                    result.Data[result.Index(b, c, s)] = log ? shifted - Math.Log(total) : Math.Exp(shifted) / total;
                }
            }
        }
    }

    private static void ForEach(DenseValue value, Action<int, int, int> body)
    {
        for (var b = 0; b < value.Batch; b++)
        {
            for (var c = 0; c < value.Classes; c++)
            {
                for (var s = 0; s < value.Spatial; s++)
                {
                    body(b, c, s);
                }
            }
        }
    }
}
