using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace LossDsl.Generators.Ir;

/// <summary>
/// Renders IR values as readable math for comments and docs: <c>1 − (tp + 1e-5)/(tp + alpha·fp + beta·fn + 1e-5)</c>.
/// Labelled nodes print as their label (their definitions are returned separately), so formulas stay short.
/// The output is one line, deterministic, and never contains <c>*/</c>, so it can go inside any C# comment.
/// </summary>
/// <remarks>
/// Notation: <c>Σ_x</c>, <c>Σ_c</c>, <c>Σ_b</c> (and <c>Σ_{b,c}</c> …) sum over spatial positions, classes, the batch;
/// <c>mean(…)</c> is a sum divided by the number of its elements (<c>mean_x(…)</c> when some axes remain).
/// A Σ is a prefix operator at the level of products that extends as far right as the product does:
/// <c>Σ_x a·b + c</c> is <c>(Σ_x a·b) + c</c>; where something follows it in a product it is parenthesised.
/// </remarks>
internal static class FormulaPrinter
{
    // Binding strength, loosest first.
    private const int Additive = 1;
    private const int Multiplicative = 2;
    private const int Unary = 3;
    private const int Atom = 4;

    /// <summary>The formula of <paramref name="root"/> (expanded even if it is labelled), labelled operands by name.</summary>
    public static string Print(Graph graph, int root) => new Writer(graph, root).Expression(root);

    /// <summary>
    /// The formula of <paramref name="root"/>, and the definitions (<c>tp = Σ_x probs·target</c>) of the labelled
    /// nodes it uses, directly or through other definitions, in dependency order (each after those it uses).
    /// </summary>
    public static string Print(Graph graph, int root, out IReadOnlyList<(string Label, string Formula)> definitions)
    {
        var formula = Print(graph, root);
        var used = new SortedSet<int>();
        var visited = new HashSet<int>();
        var stack = new Stack<int>(graph[root].Args);
        while (stack.Count > 0)
        {
            var id = stack.Pop();
            if (!visited.Add(id))
            {
                continue;
            }

            if (IsDefinition(graph[id]))
            {
                used.Add(id);
            }

            foreach (var arg in graph[id].Args)
            {
                stack.Push(arg);
            }
        }

        // Ids are topological, so ascending id order is dependency order.
        definitions = used.Where(id => id != root).Select(id => (graph[id].Label, Print(graph, id))).ToArray();
        return formula;
    }

    /// <summary>A labelled computed value (inputs and hyper-parameters are labelled by their own names).</summary>
    private static bool IsDefinition(Node node) => node.Label.Length > 0 && node.Op is not (Op.Input or Op.Hyper or Op.Constant);

    private static string Subscript(Axes axes)
    {
        var letters = new List<string>();
        if ((axes & Axes.Batch) != 0)
        {
            letters.Add("b");
        }

        if ((axes & Axes.Class) != 0)
        {
            letters.Add("c");
        }

        if ((axes & Axes.Spatial) != 0)
        {
            letters.Add("x");
        }

        return letters.Count == 1 ? "_" + letters[0] : "_{" + string.Join(",", letters) + "}";
    }

    /// <summary>Shortest round-trip form, exponent without padding (<c>1e-5</c>); a float literal's own digits, not its double expansion.</summary>
    private static string Number(double value)
    {
        var single = (float)value;
        var text = (double)single == value
            ? single.ToString("R", CultureInfo.InvariantCulture)
            : value.ToString("R", CultureInfo.InvariantCulture);
        var e = text.IndexOf('E');
        if (e >= 0)
        {
            var exponent = int.Parse(text.Substring(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text.Substring(0, e) + "e" + exponent.ToString(CultureInfo.InvariantCulture);
        }

        // A typographic minus for the sign; the exponent keeps the ASCII hyphen of 1e-5, as people write it.
        return text.StartsWith("-", StringComparison.Ordinal) ? "−" + text.Substring(1) : text;
    }

    private sealed class Writer
    {
        private readonly Graph graph;
        private readonly int root;

        public Writer(Graph graph, int root)
        {
            this.graph = graph;
            this.root = root;
        }

        public string Expression(int id) => Write(id, Additive, tailOpen: true);

        /// <summary>
        /// Writes node <paramref name="id"/> in a context that needs binding strength <paramref name="minimum"/>;
        /// <paramref name="tailOpen"/> is false when a product continues to its right (a Σ there needs parentheses).
        /// </summary>
        private string Write(int id, int minimum, bool tailOpen)
        {
            var (text, strength, isPrefix) = Render(id, tailOpen);
            // A prefix Σ may close a product (a·Σ_x b) but not open one, nor be the operand of a power.
            var needsParentheses = isPrefix ? !tailOpen || minimum > Unary : strength < minimum;
            return needsParentheses ? "(" + text + ")" : text;
        }

        private (string Text, int Strength, bool IsPrefix) Render(int id, bool tailOpen)
        {
            var node = graph[id];
            if (node.Label.Length > 0 && id != root)
            {
                return (node.Label, Atom, false);
            }

            string Arg(int i) => Write(node.Args[i], Additive, tailOpen: true);
            string Operand(int i) => Write(node.Args[i], Atom, tailOpen: true);

            switch (node.Op)
            {
                case Op.Input:
                case Op.Hyper:
                    return (node.Name, Atom, false);
                case Op.Constant:
                    return node.Value < 0 || (node.Value == 0 && double.IsNegativeInfinity(1 / node.Value))
                        ? (Number(node.Value), Multiplicative, false)
                        : (Number(node.Value), Atom, false);
                case Op.Extent:
                    return Extent(node);
                case Op.Add:
                    return (Write(node.Args[0], Additive, true) + " + " + Write(node.Args[1], Multiplicative, tailOpen), Additive, false);
                case Op.Subtract:
                    return (Write(node.Args[0], Additive, true) + " − " + Write(node.Args[1], Multiplicative, tailOpen), Additive, false);
                case Op.Multiply:
                    return (Write(node.Args[0], Multiplicative, false) + "·" + Write(node.Args[1], Unary, tailOpen), Multiplicative, false);
                case Op.Divide when IsMean(node, out var summed, out var axes):
                    return ("mean" + (graph[summed].Shape.Axes == axes ? "" : Subscript(axes)) + "(" + Write(summed, Additive, true) + ")", Atom, false);
                case Op.Divide:
                    return (Write(node.Args[0], Multiplicative, false) + "/" + Write(node.Args[1], Unary, tailOpen), Multiplicative, false);
                case Op.Negate:
                    return ("−" + Write(node.Args[0], Multiplicative, tailOpen), Multiplicative, false);
                case Op.Sum:
                    return ("Σ" + Subscript(node.Reduce) + " " + Write(node.Args[0], Multiplicative, true), Multiplicative, true);
                case Op.MaxOver:
                    return ("max" + Subscript(node.Reduce) + "(" + Arg(0) + ")", Atom, false);
                case Op.Square:
                    return (Operand(0) + "²", Atom, false);
                case Op.Pow:
                    return (Operand(0) + "^" + Operand(1), Atom, false);
                case Op.Sqrt:
                    return ("√" + Operand(0), Atom, false);
                case Op.Abs:
                    return ("|" + Arg(0) + "|", Atom, false);
                case Op.GreaterOrEqual:
                    return ("[" + Arg(0) + " ≥ " + Arg(1) + "]", Atom, false);
                case Op.Select:
                    return (Operand(0) + "[" + node.Name + "]", Atom, false);
                case Op.Scatter:
                    return ("scatter_" + node.Name + "(" + Arg(0) + ")", Atom, false);
                default:
                    var args = string.Join(", ", node.Args.Select(a => Write(a, Additive, true)));
                    return (FunctionName(node.Op) + "(" + args + ")", Atom, false);
            }
        }

        /// <summary>Σ_r(v)/|r| with |r| the extent of the summed axes in v's classes: the mean over r.</summary>
        private bool IsMean(Node divide, out int summed, out Axes axes)
        {
            var sum = graph[divide.Args[0]];
            var count = graph[divide.Args[1]];
            summed = sum.Args.Count == 1 ? sum.Args[0] : -1;
            axes = sum.Reduce;
            return sum.Op == Op.Sum && sum.Label.Length == 0
                && count.Op == Op.Extent && count.Label.Length == 0 && count.Reduce == sum.Reduce
                && ((sum.Reduce & Axes.Class) == 0 || count.Name == graph[summed].Shape.ClassDomain);
        }

        private static (string Text, int Strength, bool IsPrefix) Extent(Node node)
        {
            var factors = new List<string>();
            if ((node.Reduce & Axes.Batch) != 0)
            {
                factors.Add("B");
            }

            if ((node.Reduce & Axes.Class) != 0)
            {
                factors.Add(node.Name.Length == 0 ? "C" : "|" + node.Name + "|");
            }

            if ((node.Reduce & Axes.Spatial) != 0)
            {
                factors.Add("|Ω|");
            }

            return factors.Count == 1 ? (factors[0], Atom, false) : (string.Join("·", factors), Multiplicative, false);
        }

        private static string FunctionName(Op op) => op switch
        {
            Op.Log => "log",
            Op.Exp => "exp",
            Op.Sigmoid => "σ",
            Op.Sign => "sign",
            Op.Step => "step",
            Op.Minimum => "min",
            Op.Maximum => "max",
            Op.Softmax => "softmax_c",
            Op.LogSoftmax => "log_softmax_c",
            _ => throw new InvalidOperationException($"no formula for {op}"),
        };
    }
}
