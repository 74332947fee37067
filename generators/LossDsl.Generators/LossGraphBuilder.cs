using System;
using System.Collections.Generic;
using System.Linq;
using LossDsl.Generators.Common;
using LossDsl.Generators.Ir;

namespace LossDsl.Generators;

/// <summary>
/// The IR builder as a public entry for front ends other than the source generator (the F# quotation compiler of
/// <c>LossDsl.FSharp</c>): a loss's forward graph is built one node at a time through the same
/// <c>GraphBuilder</c> the C# front end uses (shape inference, folding, sharing of common subexpressions), so the same
/// formula gives the same graph, and <see cref="LossFiles"/> turns it into the code the generator emits for it.
/// Node ids are the builder's; an operation whose operands do not fit throws <see cref="LossShapeException"/>.
/// </summary>
public sealed class LossGraphBuilder
{
    private readonly GraphBuilder builder = new();

    /// <summary>A <c>Field</c> parameter.</summary>
    public int Field(string name) => builder.Input(name);

    /// <summary>A numeric hyper-parameter (float, double or int).</summary>
    public int Hyper(string name) => builder.Hyper(name);

    /// <summary>A numeric literal.</summary>
    public int Constant(double value) => builder.Constant(value);

    /// <summary>Whether node <paramref name="id"/> is a scalar (a loss's value must be).</summary>
    public bool IsScalar(int id) => builder[id].Shape.IsScalar;

    /// <summary>The shape of node <paramref name="id"/> as messages write it.</summary>
    public string ShapeOf(int id) => builder[id].Shape.ToString();

    /// <summary>Gives node <paramref name="id"/> a readable name (a local of the declaration), unless it has one.</summary>
    public void Label(int id, string label) => builder.Label(id, label);

    /// <summary>
    /// Applies an operator (<c>Add</c>, <c>Subtract</c>, <c>Multiply</c>, <c>Divide</c>, <c>Negate</c>) or a
    /// <c>LossDsl.Dsl</c> intrinsic by its C# name (<c>Log</c>, <c>Mean</c>, <c>SumSpatial</c>, <c>Clamp</c>,
    /// <c>Select</c>…), as the C# front end translates it. <paramref name="classList"/> names the <c>int[]</c>
    /// parameter of <c>Select</c>.
    /// </summary>
    /// <exception cref="LossShapeException">The operands' shapes do not fit (the message is LD0002's argument).</exception>
    /// <exception cref="ArgumentException">The operation is not one of the DSL's, or has the wrong number of operands.</exception>
    public int Apply(string operation, IReadOnlyList<int> args, string classList = "")
    {
        if (args is null)
        {
            throw new ArgumentNullException(nameof(args));
        }

        int Arity(int n)
        {
            if (args.Count != n)
            {
                throw new ArgumentException($"'{operation}' takes {n} operand(s), not {args.Count}", nameof(args));
            }

            return n;
        }

        // Mirrors BodyTranslator.TranslateIntrinsic and its operators, so both front ends build the same nodes.
        switch (operation)
        {
            case "Add": Arity(2); return Add(Op.Add, args);
            case "Subtract": Arity(2); return Add(Op.Subtract, args);
            case "Multiply": Arity(2); return Add(Op.Multiply, args);
            case "Divide": Arity(2); return Add(Op.Divide, args);
            case "Negate": Arity(1); return Add(Op.Negate, args);
            case "Log": Arity(1); return Add(Op.Log, args);
            case "Exp": Arity(1); return Add(Op.Exp, args);
            case "Sqrt": Arity(1); return Add(Op.Sqrt, args);
            case "Abs": Arity(1); return Add(Op.Abs, args);
            case "Square": Arity(1); return Add(Op.Square, args);
            case "Sigmoid": Arity(1); return Add(Op.Sigmoid, args);
            case "Softmax": Arity(1); return Add(Op.Softmax, args);
            case "LogSoftmax": Arity(1); return Add(Op.LogSoftmax, args);
            case "Step": Arity(1); return Add(Op.Step, args);
            case "Min": Arity(2); return Add(Op.Minimum, args);
            case "Max": Arity(2); return Add(Op.Maximum, args);
            case "Pow": Arity(2); return Add(Op.Pow, args);
            case "Clamp": Arity(3); return Add(Op.Minimum, new[] { Add(Op.Maximum, new[] { args[0], args[1] }), args[2] });
            case "Select":
                Arity(1);
                if (classList.Length == 0)
                {
                    throw new ArgumentException("Select needs the name of an int[] parameter", nameof(classList));
                }

                return Add(Op.Select, args, classList);
            case "Sum": Arity(1); return Reduce(args[0], null, mean: false);
            case "Mean": Arity(1); return Reduce(args[0], null, mean: true);
            case "SumSpatial": Arity(1); return Reduce(args[0], Axes.Spatial, mean: false);
            case "MeanSpatial": Arity(1); return Reduce(args[0], Axes.Spatial, mean: true);
            case "SumClasses": Arity(1); return Reduce(args[0], Axes.Class, mean: false);
            case "MeanClasses": Arity(1); return Reduce(args[0], Axes.Class, mean: true);
            case "SumBatch": Arity(1); return Reduce(args[0], Axes.Batch, mean: false);
            case "MeanBatch": Arity(1); return Reduce(args[0], Axes.Batch, mean: true);
            case "MaxSpatial": Arity(1); return Add(Op.MaxOver, args, reduce: Axes.Spatial);
            case "MaxClasses": Arity(1); return Add(Op.MaxOver, args, reduce: Axes.Class);
            case "MaxBatch": Arity(1); return Add(Op.MaxOver, args, reduce: Axes.Batch);
            default:
                throw new ArgumentException($"'{operation}' is not an operation of the LossDsl DSL", nameof(operation));
        }
    }

    /// <summary>Whether node <paramref name="id"/> depends on a <c>Field</c> (the exponent of <c>Pow</c> must not).</summary>
    public bool DependsOnField(int id) => builder.DependsOnInput(id);

    /// <summary>
    /// Inlines a stored forward graph (<c>LossInfo.Graph</c> of a compiled loss), as the generator inlines a
    /// <c>[Loss]</c> of another assembly: fields and hyper-parameters bound to the caller's nodes by
    /// <paramref name="nodeOf"/>, class lists to the caller's <c>int[]</c> parameters by <paramref name="classListOf"/>,
    /// labels prefixed with <paramref name="labelPrefix"/>. Returns the node of the callee's value.
    /// </summary>
    /// <exception cref="FormatException">The text is not a stored graph, or names a parameter the bindings lack.</exception>
    /// <exception cref="LossShapeException">The caller's arguments do not fit the callee's shapes.</exception>
    public int Inline(string storedGraph, Func<string, int?> nodeOf, Func<string, string?> classListOf, string labelPrefix)
    {
        var stored = GraphText.Read(storedGraph ?? throw new ArgumentNullException(nameof(storedGraph)))
            ?? throw new FormatException("the text is not a lossdsl-graph-v1 graph");
        var (nodes, result) = stored;
        var ids = new int[nodes.Count];
        for (var i = 0; i < nodes.Count; i++)
        {
            var node = nodes[i];
            var args = node.Args.Select(a => ids[a]).ToArray();
            ids[i] = node.Op switch
            {
                Op.Input or Op.Hyper => nodeOf(node.Name) ?? throw new FormatException($"the stored graph reads '{node.Name}', which the call does not bind"),
                Op.Constant => builder.Constant(node.Value),
                Op.Extent => builder.Extent(node.Reduce, node.Name.Length == 0 ? "" : ClassList(node.Name)),
                Op.Select or Op.Scatter => Add(node.Op, args, ClassList(node.Name)),
                _ => Add(node.Op, args, "", node.Reduce),
            };
            // The stored result is named "loss" in its own declaration; the caller names it after the callee.
            if (node.Label.Length > 0 && i != result)
            {
                builder.Label(ids[i], labelPrefix + node.Label);
            }
        }

        return ids[result];

        string ClassList(string name) =>
            classListOf(name) ?? throw new FormatException($"the stored graph selects the classes of '{name}', which the call does not bind to an int[] parameter");
    }

    /// <summary>
    /// The forward graph so far in the stored text form (<c>lossdsl-graph-v1</c>, pruned to what
    /// <paramref name="result"/> reads): the same formula gives the same text, so it keys caches of compiled losses.
    /// </summary>
    public string Write(int result) => GraphText.Write(builder.ToGraph(), result);

    /// <summary>The graph so far, for <see cref="LossFiles.Generate"/>.</summary>
    internal Graph ToGraph() => builder.ToGraph();

    private int Add(Op op, IReadOnlyList<int> args, string name = "", Axes reduce = Axes.None)
    {
        if (builder.TryAdd(op, args.ToArray(), out var id, out var error, name, reduce))
        {
            return id;
        }

        throw new LossShapeException(error ?? op + " does not fit its operands");
    }

    /// <summary>As the C# front end's <c>Reduce</c>: a mean divides the sum by the count within the class domain.</summary>
    private int Reduce(int x, Axes? axes, bool mean)
    {
        var shape = builder[x].Shape;
        var reduce = axes ?? shape.Axes;
        if (reduce == Axes.None)
        {
            return x;
        }

        var sum = Add(Op.Sum, new[] { x }, reduce: reduce);
        if (!mean)
        {
            return sum;
        }

        var extent = builder.Extent(reduce, (reduce & Axes.Class) != 0 ? shape.ClassDomain : "");
        return Add(Op.Divide, new[] { sum, extent });
    }
}

/// <summary>Operands whose shapes do not fit; the message is what the generator's LD0002 says after "Shape mismatch: ".</summary>
public sealed class LossShapeException : Exception
{
    /// <summary>Creates the exception with the shape rule's message.</summary>
    public LossShapeException(string message)
        : base(message)
    {
    }
}
