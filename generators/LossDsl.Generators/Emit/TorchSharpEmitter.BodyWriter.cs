using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using LossDsl.Generators.Emit.Torch;
using LossDsl.Generators.Ir;
using LossDsl.Generators.Model;
using LossDsl.Generators.Passes;

namespace LossDsl.Generators.Emit;

/// <summary>The statements of the generated forward and backward: one per IR node or fused pattern.</summary>
internal static partial class TorchSharpEmitter
{
    /// <summary>
    /// Writes the statements of one method (forward or backward): host values first (plain <c>double</c>s, and
    /// the <c>Scalar</c>s the tensor operations need), then tensors, one statement per node with its formula.
    /// </summary>
    private sealed partial class BodyWriter
    {
        private readonly TorchPlan plan;
        private readonly TorchPlan.Program program;
        private readonly TorchNames names;
        private readonly Graph graph;
        private readonly List<string> lines = new();
        private readonly SortedDictionary<int, string> hostScalars = new();
        private readonly SortedDictionary<string, string> constantScalars = new(System.StringComparer.Ordinal);
        private readonly SortedDictionary<string, string> negatedScalars = new(System.StringComparer.Ordinal);
        private readonly SortedDictionary<string, string> classIndices = new(System.StringComparer.Ordinal);
        private readonly SortedDictionary<string, string> dims = new(System.StringComparer.Ordinal);
        private readonly TorchFusion fusion;
        private CodeFormulas? formulas;

        public BodyWriter(TorchPlan plan, TorchPlan.Program program, TorchNames names)
        {
            this.plan = plan;
            this.program = program;
            this.names = names;
            graph = plan.Graph;
            fusion = program.Fusion;
        }

        private bool IsConditional(int id) =>
            !program.IsForward && plan.IsTensor[id] && program.Computes[id] && plan.Masks[id] != plan.AllMask;

        /// <summary>
        /// Adds a statement; a long call may carry <see cref="Continue"/> marks where it goes on to the next line, one
        /// level deeper than the statement itself.
        /// </summary>
        public void Line(string line = "")
        {
            var indent = line.Substring(0, line.Length - line.TrimStart(' ').Length);
            lines.AddRange(line.Replace(Continue, "\n" + indent + "    ").Split('\n'));
        }

        public void Comment(string formula) => lines.Add("// " + formula);

        /// <summary>A reference to a computed value (a conditional one is non-null where it is used).</summary>
        public string Ref(int id)
        {
            var node = graph[id];
            if (!plan.IsTensor[id] && node.Op == Op.Constant)
            {
                return Number(node.Value);
            }

            return names.Of(id) + (IsConditional(id) ? "!" : "");
        }

        private string ScalarOf(int id)
        {
            var node = graph[id];
            if (node.Op == Op.Constant)
            {
                return ConstantScalar(node.Value);
            }

            if (!hostScalars.TryGetValue(id, out var name))
            {
                name = names.Fresh(names.Stem(id) + "Scalar");
                hostScalars[id] = name;
            }

            return name;
        }

        private string ConstantScalar(double value)
        {
            var literal = Number(value);
            if (!constantScalars.TryGetValue(literal, out var name))
            {
                name = names.Fresh(TorchNames.ConstantName(value));
                constantScalars[literal] = name;
            }

            return name;
        }

        private string NegatedScalar(int id)
        {
            var node = graph[id];
            if (node.Op == Op.Constant)
            {
                return ConstantScalar(-node.Value);
            }

            var host = Ref(id);
            if (!negatedScalars.TryGetValue(host, out var name))
            {
                var stem = names.Stem(id);
                name = names.Fresh("minus" + char.ToUpperInvariant(stem[0]) + stem.Substring(1) + "Scalar");
                negatedScalars[host] = name;
            }

            return name;
        }

        private string ClassIndex(string list)
        {
            if (!classIndices.TryGetValue(list, out var name))
            {
                name = names.Fresh(list + "Index");
                classIndices[list] = name;
            }

            return name;
        }

        private string Dims(Axes axes)
        {
            var key = ((int)axes).ToString(CultureInfo.InvariantCulture);
            if (!dims.TryGetValue(key, out var name))
            {
                var parts = new List<string>();
                if ((axes & Axes.Batch) != 0)
                {
                    parts.Add("batch");
                }

                if ((axes & Axes.Class) != 0)
                {
                    parts.Add(parts.Count == 0 ? "class" : "Class");
                }

                if ((axes & Axes.Spatial) != 0)
                {
                    parts.Add(parts.Count == 0 ? "spatial" : "Spatial");
                }

                name = names.Fresh((axes == Axes.All ? "all" : string.Concat(parts)) + "Dims");
                dims[key] = name;
            }

            return name;
        }

        private static string Bool(bool value) => value ? "true" : "false";

        private static string Flags(Axes axes) =>
            ((axes & Axes.Batch) != 0 ? "true" : "false") + ", " + ((axes & Axes.Class) != 0 ? "true" : "false") + ", "
            + ((axes & Axes.Spatial) != 0 ? "true" : "false");

        /// <summary>Writes every node of the program: host values are hoisted in front (they are cheap and unconditional).</summary>
        public void Nodes()
        {
            var declared = false;
            foreach (var id in program.Nodes.Where(id => IsConditional(id) && Emitted(id)))
            {
                lines.Add(Tensor + "? " + names.Of(id) + " = null;");
                declared = true;
            }

            if (declared)
            {
                lines.Add("");
            }

            string? condition = null;
            foreach (var id in program.Nodes)
            {
                if (fusion.SpatialSumGroups.TryGetValue(id, out var group))
                {
                    WriteSpatialSums(group.Sums, group.Softmax);
                    continue;
                }

                if (!Emitted(id))
                {
                    continue;
                }

                var wanted = IsConditional(id) ? Condition(plan.Masks[id]) : null;
                if (wanted != condition)
                {
                    if (condition != null)
                    {
                        lines.Add("}");
                    }

                    if (wanted != null)
                    {
                        lines.Add("if (" + wanted + ")");
                        lines.Add("{");
                    }

                    condition = wanted;
                }

                var indent = condition != null ? "    " : "";
                var expression = Expression(id);
                lines.Add(indent + "// " + names.Of(id) + " = " + (fusion.AffineGradients.ContainsKey(id) ? AffineFormula(id) : Formula(id)));
                Line(indent + (condition != null ? names.Of(id) : "var " + names.Of(id)) + " = " + expression + ";");
            }

            if (condition != null)
            {
                lines.Add("}");
            }

            lines.Add("");
        }

        /// <summary>
        /// The formula of node <paramref name="id"/> over the variables of this method (an operand fused into the
        /// expression that reads it is written out): the fusions are settled (<see cref="TorchFusion"/>), so the
        /// variables it names are the ones the code declares.
        /// </summary>
        public string Formula(int id) => (formulas ??= new CodeFormulas(graph, v => HasVariable(v) ? names.Of(v) : null, list => list)).Of(id);

        /// <summary>The variable of node <paramref name="id"/> where it has one, else its formula.</summary>
        public string Named(int id) => HasVariable(id) ? names.Of(id) : Formula(id);

        private bool HasVariable(int id) =>
            graph[id].Op is Op.Input or Op.Hyper
            || (!plan.IsTensor[id] && graph[id].Op != Op.Constant)
            || Emitted(id)
            || fusion.InSpatialSumGroup(id)
            || fusion.SpatialSumGroups.Values.Any(group => group.Softmax == id);

        /// <summary>Whether node <paramref name="id"/> gets its own statement (not an input, not fused into another, not written by a pattern or a group of sums).</summary>
        private bool Emitted(int id) =>
            plan.IsTensor[id] && program.FusedInto[id] < 0 && !fusion.Absorbs(id) && graph[id].Op != Op.Input;

        private string Condition(int mask)
        {
            var parts = new List<string>();
            for (var i = 0; i < 31; i++)
            {
                if ((mask & (1 << i)) != 0)
                {
                    parts.Add(names.State + ".RequiresGrad[" + i + "]");
                }
            }

            return string.Join(" || ", parts);
        }

        private bool Owned(int id) => plan.IsTensor[id] && program.Computes[id] && graph[id].Op != Op.Input;

        private bool Overwritable(int arg, int consumer) => program.CanOverwrite(plan, arg, consumer, Owned(arg));

        /// <summary>Whether the forward's spatial sums go into one <c>FusedOps.SpatialSums</c> sweep.</summary>
        public bool SumsInOneSweep => fusion.SpatialSumGroups.Count > 0;

        /// <summary>Whether gradient root <paramref name="root"/> is one <c>FusedOps.AffineGradient</c> sweep.</summary>
        public bool IsOneSweep(int root) => fusion.IsOneSweep(root);

        /// <summary>The gradient root times the incoming gradient, folding it into the smaller factor where possible.</summary>
        public string GradientExpression(int root)
        {
            if (!plan.IsTensor[root])
            {
                return names.GradOutput + ".mul(" + ScalarOf(root) + ")";
            }

            if (fusion.IsOneSweep(root))
            {
                return AffineExpression(root, withGradOutput: true);
            }

            if (fusion.IsFusedGradient(root) && graph[root].Op == Op.Scatter)
            {
                var node = graph[root];
                return Ops + ".Scatter(" + GradientExpression(node.Args[0]) + ", " + ClassIndex(node.Name) + ", " + names.Shape + "[1])";
            }

            if (fusion.IsFusedGradient(root) && fusion.SmallFactor(root, out var big, out var small))
            {
                var op = graph[root].Op;
                var scaled = plan.IsTensor[small]
                    ? (op == Op.Multiply ? Ref(small) + ".mul(" + names.GradOutput + ")" : names.GradOutput + ".div(" + Ref(small) + ")")
                    : (op == Op.Multiply ? names.GradOutput + ".mul(" + ScalarOf(small) + ")" : names.GradOutput + ".div(" + ScalarOf(small) + ")");
                var inPlace = Owned(big) && program.Uses[big] == 1 && program.LastUse[big] == root && graph[big].Shape.Axes == graph[root].Shape.Axes
                    && !fusion.IsFusedGradient(big);
                return Ref(big) + (inPlace ? ".mul_(" : ".mul(") + scaled + ")";
            }

            var owned = Owned(root) && program.Uses[root] == 1;
            return Ref(root) + (owned ? ".mul_(" : ".mul(") + names.GradOutput + ")";
        }

        /// <summary>Writes the prologue (host values, scalars, class indices, reduction dims) and then the body.</summary>
        public void WriteTo(IndentedWriter w)
        {
            var hosts = program.Nodes.Where(id => !plan.IsTensor[id] && graph[id].Op != Op.Constant).ToArray();
            foreach (var id in hosts)
            {
                if (graph[id].Op != Op.Hyper)
                {
                    w.Line("// " + names.Of(id) + " = " + Formula(id));
                }

                w.Line("double " + names.Of(id) + " = " + HostExpression(id) + ";");
                if (hostScalars.TryGetValue(id, out var scalar))
                {
                    w.Line("using var " + scalar + " = " + ToScalar + "(" + names.Of(id) + ");");
                }
            }

            foreach (var pair in negatedScalars)
            {
                w.Line("using var " + pair.Value + " = " + ToScalar + "(" + Negated(pair.Key) + ");");
            }

            foreach (var pair in constantScalars)
            {
                w.Line("using var " + pair.Value + " = " + ToScalar + "(" + pair.Key + ");");
            }

            foreach (var pair in classIndices)
            {
                w.Line("var " + pair.Value + " = " + Ops + ".ClassIndex(" + names.State + "." + names.StateField(pair.Key) + ", " + names.Device + ");");
            }

            if (dims.Count > 0)
            {
                w.Line("var " + names.Ndim + " = (long)" + names.Shape + ".Length;");
            }

            foreach (var pair in dims)
            {
                var axes = (Axes)int.Parse(pair.Key, CultureInfo.InvariantCulture);
                w.Line("var " + pair.Value + " = " + Ops + ".ReduceDims(" + names.Ndim + ", " + Flags(axes) + ");");
            }

            w.Line();
            foreach (var line in lines)
            {
                w.Line(line);
            }
        }
    }
}
