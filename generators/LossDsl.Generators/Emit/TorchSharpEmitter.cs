using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using LossDsl.Generators.Emit.Torch;
using LossDsl.Generators.Ir;
using LossDsl.Generators.Model;

namespace LossDsl.Generators.Emit;

/// <summary>
/// The TorchSharp back end. For a loss <c>Name</c> it writes, inside the declaring partial class:
/// <list type="bullet">
/// <item><c>Name(Tensor …)</c>: checks the arguments and applies <c>NameTorchFunction</c>;</item>
/// <item><c>NameTorchState</c>: the hyper-parameters and bookkeeping of one call;</item>
/// <item><c>NameTorchFunction</c>: a <c>torch.autograd.SingleTensorFunction</c> whose forward computes the loss
/// without recording (inside a dispose scope, saving what <see cref="TorchPlan"/> chose) and whose backward is the
/// generated analytic gradient.</item>
/// </list>
/// Values are kept in keep-dim layout (size-1 dimensions for missing axes, see <c>LossDsl.Torch.FusedOps</c>), so
/// broadcasting works whatever the number of spatial axes. Every statement carries the formula it computes.
/// </summary>
internal static class TorchSharpEmitter
{
    private const string Tensor = "global::TorchSharp.torch.Tensor";
    private const string Ops = "global::LossDsl.Torch.FusedOps";
    private const string Arguments = "global::LossDsl.Torch.TorchArguments";
    private const string ToScalar = "global::TorchSharp.ScalarExtensionMethods.ToScalar";

    /// <summary>
    /// Writes the TorchSharp members of <paramref name="model"/> into the declaring class body. The enclosing file must
    /// have a nullable-enabled context (<c>#nullable enable</c>): the backward declares <c>Tensor?</c> gradients.
    /// </summary>
    public static void Emit(IndentedWriter writer, LossModel model)
    {
        var fields = model.Parameters.Where(p => p.Kind == ParameterKind.Field).ToArray();
        if (fields.Length == 0)
        {
            writer.Line("// TorchSharp: not generated for " + model.Name + ", which has no Field parameter.");
            return;
        }

        var plan = new TorchPlan(TorchRewrite.Rewrite(model));
        var names = new TorchNames(plan);
        EmitWrapper(writer, model, plan, names);
        writer.Line();
        EmitState(writer, model, names);
        writer.Line();
        EmitFunction(writer, plan.Model, plan, names);
    }

    private static string StateClass(LossModel model) => model.Name + "TorchState";

    private static string FunctionClass(LossModel model) => model.Name + "TorchFunction";

    private static string TypeOf(ParameterKind kind) => kind switch
    {
        ParameterKind.Field => Tensor,
        ParameterKind.Float => "float",
        ParameterKind.Double => "double",
        ParameterKind.Int => "int",
        _ => "int[]",
    };

    private static void EmitWrapper(IndentedWriter w, LossModel model, TorchPlan plan, TorchNames names)
    {
        var fields = plan.Fields;
        var summary = model.Summary.Trim();
        w.Line("/// <summary>");
        if (summary.Length > 0)
        {
            w.Line("/// " + Xml(summary));
            w.Line("/// <para>");
        }

        w.Line("/// TorchSharp: the forward and the generated analytic backward run as one autograd node");
        w.Line("/// (<c>" + FunctionClass(model) + "</c>), not as a chain of recorded operations.");
        if (summary.Length > 0)
        {
            w.Line("/// </para>");
        }

        w.Line("/// </summary>");
        w.Line("/// <remarks>");
        w.Line("/// <para>L = " + Xml(FormulaPrinter.Print(model.Graph, model.Result)) + "</para>");
        for (var i = 0; i < fields.Length && i < model.Gradients.Count; i++)
        {
            var g = model.Gradients[i];
            w.Line("/// <para>∂L/∂" + fields[i] + " = " + (g < 0 ? "0 (no gradient)" : Xml(FormulaPrinter.Print(model.Graph, g))) + "</para>");
        }

        w.Line("/// </remarks>");
        foreach (var p in model.Parameters)
        {
            var text = p.Kind switch
            {
                ParameterKind.Field => "A field laid out (B, C, *spatial), float32 or float64; all fields of a call share shape, dtype and device.",
                ParameterKind.ClassList => "Class indices (not empty, each in 0..C−1).",
                _ => "Hyper-parameter.",
            };
            w.Line("/// <param name=\"" + p.Name + "\">" + text + "</param>");
        }

        w.Line("/// <returns>The loss: a 0-dim tensor on the fields' device and dtype, owned by the caller.</returns>");
        w.Line("/// <exception cref=\"global::System.ArgumentException\">A field is not float32/float64, has rank below 2, or differs from the first in shape, dtype or device; a class list is empty or out of range.</exception>");
        var parameters = string.Join(", ", model.Parameters.Select(p =>
            TypeOf(p.Kind) + " " + p.Name + (p.DefaultValue.Length > 0 ? " = " + p.DefaultValue : "")));
        w.Line(model.Accessibility + " static " + Tensor + " " + model.Name + "(" + parameters + ")");
        using (w.OpenBlock())
        {
            var loss = Literal(model.Name);
            w.Line(Ops + ".ReleaseDeferred();");
            w.Line(Arguments + ".CheckField(" + loss + ", " + fields[0] + ", nameof(" + fields[0] + "));");
            for (var i = 1; i < fields.Length; i++)
            {
                w.Line(Arguments + ".CheckSameLayout(" + loss + ", " + fields[0] + ", nameof(" + fields[0] + "), " + fields[i] + ", nameof(" + fields[i] + "));");
            }

            foreach (var p in model.Parameters.Where(p => p.Kind == ParameterKind.ClassList))
            {
                w.Line(Arguments + ".CheckClassList(" + loss + ", " + p.Name + ", nameof(" + p.Name + "), " + fields[0] + ".shape[1]);");
            }

            w.Line("var state = new " + StateClass(model) + "();");
            foreach (var p in model.Parameters.Where(p => p.Kind != ParameterKind.Field))
            {
                w.Line("state." + names.StateField(p.Name) + " = " + p.Name + ";");
            }

            w.Line("state.RequiresGrad = new[] { " + string.Join(", ", fields.Select(f => f + ".requires_grad")) + " };");
            w.Line("state.NeedsBackward = global::TorchSharp.torch.is_grad_enabled() && (" + string.Join(" || ", fields.Select(f => f + ".requires_grad")) + ");");
            w.Line("try");
            using (w.OpenBlock())
            {
                w.Line("return " + FunctionClass(model) + ".apply(" + string.Join(", ", fields) + ", state);");
            }

            w.Line("finally");
            using (w.OpenBlock())
            {
                w.Line("// The forward's own output and saved intermediates were copied by apply; release them now.");
                w.Line("state.Release();");
            }
        }
    }

    private static void EmitState(IndentedWriter w, LossModel model, TorchNames names)
    {
        w.Line("/// <summary>One call of <c>" + model.Name + "(Tensor …)</c>: its hyper-parameters and bookkeeping.</summary>");
        w.Line("private sealed class " + StateClass(model) + " : global::LossDsl.Torch.FusedLossState");
        using (w.OpenBlock())
        {
            foreach (var p in model.Parameters.Where(p => p.Kind != ParameterKind.Field))
            {
                var init = p.Kind == ParameterKind.ClassList ? " = global::System.Array.Empty<int>();" : ";";
                w.Line("public " + TypeOf(p.Kind) + " " + names.StateField(p.Name) + init);
            }
        }
    }

    private static void EmitFunction(IndentedWriter w, LossModel model, TorchPlan plan, TorchNames names)
    {
        var fields = plan.Fields;
        w.Line("/// <summary>" + Xml(model.Name) + " as one TorchSharp autograd function with its generated analytic backward.</summary>");
        w.Line("private sealed class " + FunctionClass(model) + " : global::TorchSharp.torch.autograd.SingleTensorFunction<" + FunctionClass(model) + ">");
        using (w.OpenBlock())
        {
            w.Line("public override string Name => " + Literal(model.TypeFullName + "." + model.Name) + ";");
            w.Line();

            // ---- forward ----
            var saved = plan.Saved;
            w.Line("/// <summary>The loss, computed without recording; saves " + (saved.Length == 0 ? "nothing" : string.Join(", ", saved.Select(names.Of))) + " for the backward.</summary>");
            w.Line("public override " + Tensor + " forward(global::TorchSharp.torch.autograd.AutogradContext ctx, params object[] vars)");
            using (w.OpenBlock())
            {
                for (var i = 0; i < fields.Length; i++)
                {
                    w.Line("var " + fields[i] + " = (" + Tensor + ")vars[" + i + "];");
                }

                w.Line("var state = (" + StateClass(model) + ")vars[" + fields.Length + "];");
                w.Line("using var scope = global::TorchSharp.torch.NewDisposeScope();");
                w.Line("var shape = " + fields[0] + ".shape;");
                w.Line("state.Shape = shape;");
                w.Line("var device = " + fields[0] + ".device;");
                var body = new BodyWriter(plan, plan.ForwardProgram, names.Fork());
                body.Nodes();
                var result = model.Result;
                string resultExpr;
                if (plan.IsTensor[result])
                {
                    resultExpr = Ops + ".ToResult(" + body.Ref(result) + ")";
                }
                else
                {
                    resultExpr = Ops + ".Constant(" + body.Ref(result) + ", " + fields[0] + ")";
                }

                body.Comment("L = " + FormulaPrinter.Print(model.Graph, result) + ", as a 0-dim tensor");
                body.Line("var result = state.Keep(scope, " + resultExpr + ");");
                body.Line("if (state.NeedsBackward)");
                body.Line("{");
                if (saved.Length > 0)
                {
                    var list = saved.Select(id => model.Graph[id].Op == Op.Input ? names.Of(id) : "state.Keep(scope, " + names.Of(id) + ")");
                    body.Line("    ctx.save_for_backward(new global::System.Collections.Generic.List<" + Tensor + "> { " + string.Join(", ", list) + " });");
                }

                body.Line("    ctx.save_data(\"state\", state);");
                body.Line("}");
                body.Line();
                body.Line("return result;");
                body.WriteTo(w);
            }

            w.Line();

            // ---- backward ----
            w.Line("/// <summary>The generated analytic gradient, times the incoming gradient, for every field that requires it.</summary>");
            w.Line("public override global::System.Collections.Generic.List<" + Tensor + "> backward(global::TorchSharp.torch.autograd.AutogradContext ctx, " + Tensor + " grad_output)");
            using (w.OpenBlock())
            {
                w.Line("var state = (" + StateClass(model) + ")ctx.get_data(\"state\");");
                w.Line("using var gradOutput = grad_output;");
                w.Line("using var scope = global::TorchSharp.torch.NewDisposeScope();");
                if (saved.Length > 0)
                {
                    w.Line("var saved = ctx.get_saved_variables();");
                    for (var i = 0; i < saved.Length; i++)
                    {
                        w.Line("var " + names.Of(saved[i]) + " = saved[" + i + "];");
                    }
                }

                w.Line("var shape = state.Shape;");
                w.Line("var device = gradOutput.device;");
                var body = new BodyWriter(plan, plan.BackwardProgram, names.Fork());
                body.Nodes();
                var gradientNames = new List<string>();
                for (var i = 0; i < fields.Length; i++)
                {
                    var root = i < model.Gradients.Count ? model.Gradients[i] : -1;
                    if (root < 0)
                    {
                        gradientNames.Add("null");
                        continue;
                    }

                    var name = names.Gradient(fields[i]);
                    gradientNames.Add(name);
                    body.Comment("∂L/∂" + fields[i] + " = " + FormulaPrinter.Print(model.Graph, root) + ", times the incoming gradient");
                    body.Line(Tensor + "? " + name + " = null;");
                    body.Line("if (state.RequiresGrad[" + i + "])");
                    body.Line("{");
                    body.Line("    " + name + " = " + Ops + ".Expand(" + body.GradientExpression(root) + ", shape);");
                    body.Line("}");
                }

                body.Line();
                body.Line("return " + Ops + ".Gradients(scope, " + string.Join(", ", gradientNames) + ", null);");
                body.WriteTo(w);
            }
        }
    }

    internal static string Literal(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    internal static string Number(double value)
    {
        if (double.IsNaN(value))
        {
            return "double.NaN";
        }

        if (double.IsPositiveInfinity(value))
        {
            return "double.PositiveInfinity";
        }

        if (double.IsNegativeInfinity(value))
        {
            return "double.NegativeInfinity";
        }

        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains(".") || text.Contains("E") ? text : text + ".0";
    }

    private static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    /// <summary>
    /// Writes the statements of one method (forward or backward): host values first (plain <c>double</c>s, and
    /// the <c>Scalar</c>s the tensor operations need), then tensors, one statement per node with its formula.
    /// </summary>
    private sealed class BodyWriter
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
        private readonly HashSet<int> fusedGradients = new();
        private readonly Dictionary<int, (int U, int P, int Difference)> softmaxBackward = new();
        private readonly HashSet<int> inPattern = new();

        public BodyWriter(TorchPlan plan, TorchPlan.Program program, TorchNames names)
        {
            this.plan = plan;
            this.program = program;
            this.names = names;
            graph = plan.Graph;
        }

        private bool IsConditional(int id) =>
            !program.IsForward && plan.IsTensor[id] && program.Computes[id] && plan.Masks[id] != plan.AllMask;

        public void Line(string line = "") => lines.Add(line);

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
                name = names.Fresh(names.Of(id) + "Scalar");
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
                name = names.Fresh("minus" + char.ToUpperInvariant(host[0]) + host.Substring(1) + "Scalar");
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
            // Gradient roots of the form big·small or big/small: the incoming gradient folds into the small factor.
            if (!program.IsForward)
            {
                foreach (var id in program.Nodes)
                {
                    if (IsSoftmaxBackward(id, out var u, out var p, out var difference, out var sum, out var product))
                    {
                        softmaxBackward[id] = (u, p, difference);
                        if (program.FusedInto[id] >= 0)
                        {
                            // The pattern is worth more than an addcmul: its consumer becomes a plain addition.
                            program.FusedOperand.Remove(program.FusedInto[id]);
                            program.FusedInto[id] = -1;
                        }

                        inPattern.Add(difference);
                        inPattern.Add(sum);
                        inPattern.Add(product);
                    }
                }

                foreach (var root in plan.Model.Gradients.Where(g => g >= 0).Distinct())
                {
                    if (program.Computes[root] && plan.IsTensor[root] && program.Uses[root] == 1 && SmallFactor(root, out _, out _))
                    {
                        fusedGradients.Add(root);
                    }
                    else if (program.Computes[root] && plan.IsTensor[root] && program.Uses[root] == 1 && graph[root].Op == Op.Scatter)
                    {
                        // Scatter is linear: scatter(x)·g = scatter(x·g), and x = big·small folds g into small.
                        var inner = graph[root].Args[0];
                        if (program.Computes[inner] && plan.IsTensor[inner] && program.Uses[inner] == 1 && SmallFactor(inner, out _, out _))
                        {
                            fusedGradients.Add(root);
                            fusedGradients.Add(inner);
                        }
                    }
                }
            }

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
                lines.Add(indent + "// " + names.Of(id) + " = " + FormulaPrinter.Print(graph, id));
                lines.Add(indent + (condition != null ? names.Of(id) : "var " + names.Of(id)) + " = " + expression + ";");
            }

            if (condition != null)
            {
                lines.Add("}");
            }

            lines.Add("");
        }

        /// <summary>Whether node <paramref name="id"/> gets its own statement (not an input, not fused into another).</summary>
        private bool Emitted(int id) =>
            plan.IsTensor[id] && program.FusedInto[id] < 0 && !fusedGradients.Contains(id) && !inPattern.Contains(id) && graph[id].Op != Op.Input;

        /// <summary>
        /// The backward of softmax, <c>p·(u − Σ_c u·p)</c> (what the derivative rule of softmax produces), computed by
        /// <c>FusedOps.SoftmaxBackward</c>: three passes on u's buffer instead of five temporaries.
        /// </summary>
        private bool IsSoftmaxBackward(int id, out int u, out int p, out int difference, out int sum, out int product)
        {
            u = p = difference = sum = product = -1;
            var node = graph[id];
            if (program.IsForward || node.Op != Op.Multiply || !plan.IsTensor[id] || node.Shape.Axes != Axes.All)
            {
                return false;
            }

            for (var k = 0; k < 2; k++)
            {
                p = node.Args[k];
                difference = node.Args[1 - k];
                var d = graph[difference];
                if (graph[p].Op != Op.Softmax || d.Op != Op.Subtract || !program.Computes[difference] || program.Uses[difference] != 1)
                {
                    continue;
                }

                u = d.Args[0];
                sum = d.Args[1];
                var s = graph[sum];
                if (s.Op != Op.Sum || s.Reduce != Axes.Class || !program.Computes[sum] || program.Uses[sum] != 1
                    || graph[u].Shape.Axes != Axes.All || graph[u].Shape.ClassDomain.Length != 0 || !plan.IsTensor[u])
                {
                    continue;
                }

                product = s.Args[0];
                var m = graph[product];
                if (m.Op == Op.Multiply && program.Computes[product] && program.Uses[product] == 1
                    && ((m.Args[0] == u && m.Args[1] == p) || (m.Args[0] == p && m.Args[1] == u)))
                {
                    return true;
                }
            }

            return false;
        }

        private string Condition(int mask)
        {
            var parts = new List<string>();
            for (var i = 0; i < 31; i++)
            {
                if ((mask & (1 << i)) != 0)
                {
                    parts.Add("state.RequiresGrad[" + i + "]");
                }
            }

            return string.Join(" || ", parts);
        }

        private bool Owned(int id) => plan.IsTensor[id] && program.Computes[id] && graph[id].Op != Op.Input;

        private bool Overwritable(int arg, int consumer) => program.CanOverwrite(plan, arg, consumer, Owned(arg));

        /// <summary>The TorchSharp expression of tensor node <paramref name="id"/>.</summary>
        private string Expression(int id)
        {
            var node = graph[id];
            var args = node.Args;
            bool T(int k) => plan.IsTensor[args[k]];
            string A(int k) => Ref(args[k]);
            string S(int k) => ScalarOf(args[k]);
            bool Over(int k) => Overwritable(args[k], id);

            if (softmaxBackward.TryGetValue(id, out var pattern))
            {
                var inPlace = Owned(pattern.U) && program.Uses[pattern.U] == 2 && program.LastUse[pattern.U] == pattern.Difference;
                return Ops + ".SoftmaxBackward(" + Ref(pattern.U) + ", " + Ref(pattern.P) + ", " + Bool(inPlace) + ")";
            }

            switch (node.Op)
            {
                case Op.Add when program.FusedOperand.TryGetValue(id, out var k):
                case Op.Subtract when program.FusedOperand.TryGetValue(id, out k):
                    return FusedAdd(id, k);
                case Op.Add:
                    if (T(0) && T(1))
                    {
                        return Over(0) ? A(0) + ".add_(" + A(1) + ")" : Over(1) ? A(1) + ".add_(" + A(0) + ")" : A(0) + ".add(" + A(1) + ")";
                    }

                    return T(0) ? A(0) + (Over(0) ? ".add_(" : ".add(") + S(1) + ")" : A(1) + (Over(1) ? ".add_(" : ".add(") + S(0) + ")";
                case Op.Subtract:
                    if (T(0) && T(1))
                    {
                        return A(0) + (Over(0) ? ".sub_(" : ".sub(") + A(1) + ")";
                    }

                    return T(0) ? A(0) + (Over(0) ? ".sub_(" : ".sub(") + S(1) + ")" : "(" + S(0) + " - " + A(1) + ")";
                case Op.Multiply:
                    if (T(0) && T(1))
                    {
                        return Over(0) ? A(0) + ".mul_(" + A(1) + ")" : Over(1) ? A(1) + ".mul_(" + A(0) + ")" : A(0) + ".mul(" + A(1) + ")";
                    }

                    return T(0) ? A(0) + (Over(0) ? ".mul_(" : ".mul(") + S(1) + ")" : A(1) + (Over(1) ? ".mul_(" : ".mul(") + S(0) + ")";
                case Op.Divide:
                    if (T(0) && T(1))
                    {
                        return Over(0) ? A(0) + ".div_(" + A(1) + ")" : A(0) + ".div(" + A(1) + ")";
                    }

                    return T(0) ? A(0) + (Over(0) ? ".div_(" : ".div(") + S(1) + ")" : "(" + S(0) + " / " + A(1) + ")";
                case Op.Negate:
                case Op.Log:
                case Op.Exp:
                case Op.Sqrt:
                case Op.Abs:
                case Op.Sigmoid:
                case Op.Sign:
                    var method = node.Op switch
                    {
                        Op.Negate => "neg",
                        Op.Log => "log",
                        Op.Exp => "exp",
                        Op.Sqrt => "sqrt",
                        Op.Abs => "abs",
                        Op.Sigmoid => "sigmoid",
                        _ => "sign",
                    };
                    return A(0) + "." + method + (Over(0) ? "_()" : "()");
                case Op.Square:
                    return Over(0) ? A(0) + ".mul_(" + A(0) + ")" : A(0) + ".square()";
                case Op.Pow:
                    if (T(1))
                    {
                        return A(0) + ".pow(" + A(1) + ")";
                    }

                    return A(0) + (Over(0) ? ".pow_(" : ".pow(") + S(1) + ")";
                case Op.Minimum:
                case Op.Maximum:
                    if (T(0) && T(1))
                    {
                        return A(0) + (node.Op == Op.Minimum ? ".minimum(" : ".maximum(") + A(1) + ")";
                    }

                    var clamp = node.Op == Op.Minimum ? ".clamp_max" : ".clamp_min";
                    return T(0) ? A(0) + clamp + (Over(0) ? "_(" : "(") + S(1) + ")" : A(1) + clamp + (Over(1) ? "_(" : "(") + S(0) + ")";
                case Op.GreaterOrEqual:
                    return Ops + ".GreaterOrEqual(" + (T(0) ? A(0) : S(0)) + ", " + (T(1) ? A(1) : S(1)) + ")";
                case Op.Softmax:
                    return A(0) + ".softmax(1)";
                case Op.LogSoftmax:
                    return A(0) + ".log_softmax(1)";
                case Op.Sum:
                    if (program.FusedInto[args[0]] == id)
                    {
                        var product = graph[args[0]];
                        return Ops + ".SumOfProducts(" + Ref(product.Args[0]) + ", " + Ref(product.Args[1]) + ", " + Flags(node.Reduce) + ")";
                    }

                    return Ops + ".Sum(" + A(0) + ", " + Dims(node.Reduce) + ")";
                case Op.MaxOver:
                    return Ops + ".Max(" + A(0) + ", " + Dims(node.Reduce) + ")";
                case Op.Step:
                    return Ops + ".Step(" + A(0) + ")";
                case Op.Select:
                    return Ops + ".Select(" + A(0) + ", " + ClassIndex(node.Name) + ")";
                case Op.Scatter when !T(0):
                    return Ops + ".ScatterConstant(" + A(0) + ", state." + names.StateField(node.Name) + ", shape, " + (program.IsForward ? plan.Fields[0] : "gradOutput") + ")";
                case Op.Scatter:
                    return Ops + ".Scatter(" + A(0) + ", " + ClassIndex(node.Name) + ", shape[1])";
                default:
                    return "throw new global::System.NotSupportedException(\"" + node.Op + "\")";
            }
        }

        /// <summary><c>x ± s·y</c> as <c>add(y, ±s)</c>, <c>x + y·z</c> as <c>addcmul</c>; in place on x when it is a dead temporary.</summary>
        private string FusedAdd(int id, int productOperand)
        {
            var node = graph[id];
            var other = node.Args[1 - productOperand];
            var product = graph[node.Args[productOperand]];
            var inPlace = Overwritable(other, id);
            var x = Ref(other);
            int a = product.Args[0], b = product.Args[1];
            if (!plan.IsTensor[a] || !plan.IsTensor[b])
            {
                var scale = plan.IsTensor[a] ? b : a;
                var tensor = plan.IsTensor[a] ? a : b;
                var alpha = node.Op == Op.Subtract ? NegatedScalar(scale) : ScalarOf(scale);
                return x + (inPlace ? ".add_(" : ".add(") + Ref(tensor) + ", " + alpha + ")";
            }

            return x + (inPlace ? ".addcmul_(" : ".addcmul(") + Ref(a) + ", " + Ref(b) + ", " + ConstantScalar(node.Op == Op.Subtract ? -1 : 1) + ")";
        }

        /// <summary>Whether gradient root <paramref name="root"/> is big·small or big/small (small: host, or fewer axes).</summary>
        private bool SmallFactor(int root, out int big, out int small)
        {
            var node = graph[root];
            big = small = -1;
            if (node.Op is not (Op.Multiply or Op.Divide))
            {
                return false;
            }

            int a = node.Args[0], b = node.Args[1];
            bool Smaller(int x, int than) => !plan.IsTensor[x] || (plan.IsTensor[than] && (graph[x].Shape.Axes & ~graph[than].Shape.Axes) == 0 && graph[x].Shape.Axes != graph[than].Shape.Axes);
            if (plan.IsTensor[a] && Smaller(b, a))
            {
                big = a;
                small = b;
                return true;
            }

            if (node.Op == Op.Multiply && plan.IsTensor[b] && Smaller(a, b))
            {
                big = b;
                small = a;
                return true;
            }

            return false;
        }

        /// <summary>The gradient root times the incoming gradient, folding it into the smaller factor where possible.</summary>
        public string GradientExpression(int root)
        {
            if (!plan.IsTensor[root])
            {
                return "gradOutput.mul(" + ScalarOf(root) + ")";
            }

            if (fusedGradients.Contains(root) && graph[root].Op == Op.Scatter)
            {
                var node = graph[root];
                return Ops + ".Scatter(" + GradientExpression(node.Args[0]) + ", " + ClassIndex(node.Name) + ", shape[1])";
            }

            if (fusedGradients.Contains(root) && SmallFactor(root, out var big, out var small))
            {
                var op = graph[root].Op;
                var scaled = plan.IsTensor[small]
                    ? (op == Op.Multiply ? Ref(small) + ".mul(gradOutput)" : "gradOutput.div(" + Ref(small) + ")")
                    : (op == Op.Multiply ? "gradOutput.mul(" + ScalarOf(small) + ")" : "gradOutput.div(" + ScalarOf(small) + ")");
                var inPlace = Owned(big) && program.Uses[big] == 1 && program.LastUse[big] == root && graph[big].Shape.Axes == graph[root].Shape.Axes
                    && !fusedGradients.Contains(big);
                return Ref(big) + (inPlace ? ".mul_(" : ".mul(") + scaled + ")";
            }

            var owned = Owned(root) && program.Uses[root] == 1;
            return Ref(root) + (owned ? ".mul_(gradOutput)" : ".mul(gradOutput)");
        }

        /// <summary>Writes the prologue (host values, scalars, class indices, reduction dims) and then the body.</summary>
        public void WriteTo(IndentedWriter w)
        {
            var hosts = program.Nodes.Where(id => !plan.IsTensor[id] && graph[id].Op != Op.Constant).ToArray();
            foreach (var id in hosts)
            {
                var node = graph[id];
                w.Line("// " + names.Of(id) + " = " + FormulaPrinter.Print(graph, id));
                w.Line("double " + names.Of(id) + " = " + HostExpression(id) + ";");
                if (hostScalars.TryGetValue(id, out var scalar))
                {
                    w.Line("using var " + scalar + " = " + ToScalar + "(" + names.Of(id) + ");");
                }
            }

            foreach (var pair in negatedScalars)
            {
                w.Line("using var " + pair.Value + " = " + ToScalar + "(-" + pair.Key + ");");
            }

            foreach (var pair in constantScalars)
            {
                w.Line("using var " + pair.Value + " = " + ToScalar + "(" + pair.Key + ");");
            }

            foreach (var pair in classIndices)
            {
                w.Line("var " + pair.Value + " = " + Ops + ".ClassIndex(state." + names.StateField(pair.Key) + ", device);");
            }

            if (dims.Count > 0)
            {
                w.Line("var ndim = (long)shape.Length;");
            }

            foreach (var pair in dims)
            {
                var axes = (Axes)int.Parse(pair.Key, CultureInfo.InvariantCulture);
                w.Line("var " + pair.Value + " = " + Ops + ".ReduceDims(ndim, " + Flags(axes) + ");");
            }

            w.Line();
            foreach (var line in lines)
            {
                w.Line(line);
            }
        }

        private string HostExpression(int id)
        {
            var node = graph[id];
            var args = node.Args;
            string A(int k) => Ref(args[k]);
            const string M = "global::System.Math.";
            switch (node.Op)
            {
                case Op.Hyper:
                    return "state." + names.StateField(node.Name);
                case Op.Extent:
                    var classes = node.Name.Length > 0 ? "state." + names.StateField(node.Name) + ".Length" : "-1";
                    return Ops + ".Extent(shape, " + Bool((node.Reduce & Axes.Batch) != 0) + ", " + Bool((node.Reduce & Axes.Class) != 0) + ", "
                        + classes + ", " + Bool((node.Reduce & Axes.Spatial) != 0) + ")";
                case Op.Add: return "(" + A(0) + " + " + A(1) + ")";
                case Op.Subtract: return "(" + A(0) + " - " + A(1) + ")";
                case Op.Multiply: return "(" + A(0) + " * " + A(1) + ")";
                case Op.Divide: return "(" + A(0) + " / " + A(1) + ")";
                case Op.Negate: return "(-" + A(0) + ")";
                case Op.Log: return M + "Log(" + A(0) + ")";
                case Op.Exp: return M + "Exp(" + A(0) + ")";
                case Op.Sqrt: return M + "Sqrt(" + A(0) + ")";
                case Op.Abs: return M + "Abs(" + A(0) + ")";
                case Op.Square: return "(" + A(0) + " * " + A(0) + ")";
                case Op.Sigmoid: return "(1.0 / (1.0 + " + M + "Exp(-" + A(0) + ")))";
                case Op.Pow: return M + "Pow(" + A(0) + ", " + A(1) + ")";
                case Op.Sign: return "(" + A(0) + " > 0 ? 1.0 : " + A(0) + " < 0 ? -1.0 : " + A(0) + ")";
                case Op.Minimum: return M + "Min(" + A(0) + ", " + A(1) + ")";
                case Op.Maximum: return M + "Max(" + A(0) + ", " + A(1) + ")";
                case Op.GreaterOrEqual: return "(" + A(0) + " >= " + A(1) + " ? 1.0 : 0.0)";
                case Op.Step: return "(" + A(0) + " > 0 ? 1.0 : double.IsNaN(" + A(0) + ") ? " + A(0) + " : 0.0)";
                default: return "throw new global::System.NotSupportedException(\"" + node.Op + "\")";
            }
        }
    }
}
