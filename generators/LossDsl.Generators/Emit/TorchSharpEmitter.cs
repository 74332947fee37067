using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using LossDsl.Generators.Emit.Torch;
using LossDsl.Generators.Ir;
using LossDsl.Generators.Model;
using LossDsl.Generators.Passes;

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
internal static partial class TorchSharpEmitter
{
    private const string Tensor = "global::TorchSharp.torch.Tensor";
    private const string Ops = "global::LossDsl.Torch.FusedOps";
    private const string Arguments = "global::LossDsl.Torch.TorchArguments";
    private const string ToScalar = "global::TorchSharp.ScalarExtensionMethods.ToScalar";
    private const string PassCall = "global::LossDsl.Torch.CpuPassCall";

    /// <summary>
    /// Writes the TorchSharp members of <paramref name="model"/> into the declaring class body. The enclosing file must
    /// have nullable annotations enabled (<c>#nullable enable annotations</c>): the backward declares <c>Tensor?</c> gradients.
    /// <paramref name="cpuProgram"/> is the loss's generated CPU program class (written by <see cref="CpuEmitter"/> in
    /// the same class body), which the forward runs on contiguous CPU tensors.
    /// </summary>
    public static void Emit(IndentedWriter writer, LossModel model, string cpuProgram)
    {
        var fields = model.Parameters.Where(p => p.Kind == ParameterKind.Field).ToArray();
        if (fields.Length == 0)
        {
            writer.Line("// TorchSharp: not generated for " + model.Name + ", which has no Field parameter.");
            return;
        }

        var plan = new TorchPlan(TorchRewrite.Rewrite(model));
        var names = new TorchNames(plan, cpuProgram);
        EmitWrapper(writer, model, plan, names);
        writer.Line();
        EmitState(writer, model, names);
        writer.Line();
        EmitFunction(writer, plan.Model, plan, names, cpuProgram);
    }

    private static string TypeOf(ParameterKind kind) => kind == ParameterKind.Field ? Tensor : ParameterModel.ScalarType(kind);

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
        w.Line("/// (<c>" + names.FunctionClass + "</c>), not as a chain of recorded operations.");
        if (summary.Length > 0)
        {
            w.Line("/// </para>");
        }

        w.Line("/// </summary>");
        // The remarks are written once, on the CPU gradient entry point (one formula printer, every name defined).
        w.Line($"/// <remarks><inheritdoc cref=\"{CpuEmitter.FormulasCref(model)}\" path=\"/remarks/node()\"/></remarks>");
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
        var parameters = string.Join(", ", model.Parameters.Select(p => p.Declaration(Tensor)));
        w.Line(model.Accessibility + " static " + Tensor + " " + Identifiers.Escape(model.Name) + "(" + parameters + ")");
        using (w.OpenBlock())
        {
            // Argument names are string literals, not nameof: a user's member called nameof would change its meaning.
            var loss = Literal(model.Name);
            var code = fields.Select(Identifiers.Escape).ToArray();
            var state = names.State;
            w.Line(Arguments + ".CheckField(" + loss + ", " + code[0] + ", " + Literal(fields[0]) + ");");
            for (var i = 1; i < fields.Length; i++)
            {
                w.Line(Arguments + ".CheckSameLayout(" + loss + ", " + code[0] + ", " + Literal(fields[0]) + ", " + code[i] + ", " + Literal(fields[i]) + ");");
            }

            foreach (var p in model.Parameters.Where(p => p.Kind == ParameterKind.ClassList))
            {
                w.Line(Arguments + ".CheckClassList(" + loss + ", " + Identifiers.Escape(p.Name) + ", " + Literal(p.Name) + ", " + code[0] + ".shape[1]);");
            }

            w.Line("var " + state + " = new " + names.StateClass + "();");
            foreach (var p in model.Parameters.Where(p => p.Kind != ParameterKind.Field))
            {
                w.Line(state + "." + names.StateField(p.Name) + " = " + Identifiers.Escape(p.Name) + ";");
            }

            w.Line("return " + state + ".Apply<" + names.FunctionClass + ">(" + string.Join(", ", code) + ");");
        }
    }

    private static void EmitState(IndentedWriter w, LossModel model, TorchNames names)
    {
        w.Line("/// <summary>One call of <c>" + model.Name + "(Tensor …)</c>: its hyper-parameters and bookkeeping.</summary>");
        w.Line("private sealed class " + names.StateClass + " : global::LossDsl.Torch.FusedLossState");
        using (w.OpenBlock())
        {
            foreach (var p in model.Parameters.Where(p => p.Kind != ParameterKind.Field))
            {
                var init = p.Kind == ParameterKind.ClassList ? " = global::System.Array.Empty<int>();" : ";";
                w.Line("public " + TypeOf(p.Kind) + " " + names.StateField(p.Name) + init);
            }
        }
    }

    private static void EmitFunction(IndentedWriter w, LossModel model, TorchPlan plan, TorchNames names, string cpuProgram)
    {
        var fields = plan.Fields;
        w.Line("/// <summary>" + Xml(model.Name) + " as one TorchSharp autograd function with its generated analytic backward.</summary>");
        w.Line("private sealed class " + names.FunctionClass + " : global::TorchSharp.torch.autograd.SingleTensorFunction<" + names.FunctionClass + ">");
        using (w.OpenBlock())
        {
            w.Line("public override string Name => " + Literal(model.TypeFullName + "." + model.Name) + ";");
            w.Line();

            // Both bodies are planned first: whether the hand-written sweeps cover the loss decides the pass block.
            var forwardBody = new BodyWriter(plan, plan.ForwardProgram, names.Fork());
            forwardBody.Nodes();
            var backwardBody = new BodyWriter(plan, plan.BackwardProgram, names.Fork());
            backwardBody.Nodes();
            var sweptGradients = forwardBody.SumsInOneSweep
                ? fields.Select((_, i) => i < model.Gradients.Count && model.Gradients[i] >= 0 && backwardBody.IsOneSweep(model.Gradients[i])).ToArray()
                : null;

            // ---- forward ----
            var saved = plan.Saved;
            var (ctx, state, scope, shape, device) = (names.Context, names.State, names.Scope, names.Shape, names.Device);
            var first = Identifiers.Escape(fields[0]);
            w.Line("/// <summary>");
            w.Line("/// The loss, computed without recording: by the generated CPU passes on contiguous CPU tensors (which also write");
            w.Line("/// the gradients the backward will want), else by ATen operations, saving " + (saved.Length == 0 ? "nothing" : string.Join(", ", saved.Select(names.Stem))) + " for the backward.");
            w.Line("/// </summary>");
            w.Line("public override " + Tensor + " forward(global::TorchSharp.torch.autograd.AutogradContext " + ctx + ", params object[] " + names.Vars + ")");
            using (w.OpenBlock())
            {
                for (var i = 0; i < fields.Length; i++)
                {
                    w.Line("var " + Identifiers.Escape(fields[i]) + " = (" + Tensor + ")" + names.Vars + "[" + i + "];");
                }

                w.Line("var " + state + " = (" + names.StateClass + ")" + names.Vars + "[" + fields.Length + "];");
                w.Line("using var " + scope + " = global::TorchSharp.torch.NewDisposeScope();");
                EmitPassPath(w, model, names, cpuProgram, sweptGradients);
                w.Line("var " + shape + " = " + first + ".shape;");
                w.Line(state + ".Shape = " + shape + ";");
                w.Line("var " + device + " = " + first + ".device;");
                var body = forwardBody;
                var result = model.Result;
                string resultExpr;
                if (plan.IsTensor[result])
                {
                    resultExpr = Ops + ".ToResult(" + body.Ref(result) + ")";
                }
                else
                {
                    resultExpr = Ops + ".Constant(" + body.Ref(result) + ", " + first + ")";
                }

                body.Comment("the loss as a 0-dim tensor: L = " + body.Named(result));
                body.Line("var " + names.Result + " = " + state + ".Keep(" + scope + ", " + resultExpr + ");");
                body.Line("if (" + state + ".NeedsBackward)");
                body.Line("{");
                if (saved.Length > 0)
                {
                    var list = saved.Select(id => model.Graph[id].Op == Op.Input ? names.Of(id) : state + ".Keep(" + scope + ", " + names.Of(id) + ")");
                    body.Line("    " + ctx + ".save_for_backward(new global::System.Collections.Generic.List<" + Tensor + "> { " + string.Join(", ", list) + " });");
                }

                body.Line("    " + ctx + ".save_data(\"state\", " + state + ");");
                body.Line("}");
                body.Line();
                body.Line("return " + names.Result + ";");
                body.WriteTo(w);
            }

            w.Line();

            // ---- backward ----
            w.Line("/// <summary>The generated analytic gradient, times the incoming gradient, for every field that requires it.</summary>");
            w.Line("public override global::System.Collections.Generic.List<" + Tensor + "> backward(global::TorchSharp.torch.autograd.AutogradContext " + ctx + ", " + Tensor + " " + names.GradOutputParameter + ")");
            using (w.OpenBlock())
            {
                w.Line("var " + state + " = (" + names.StateClass + ")" + ctx + ".get_data(\"state\");");
                w.Line("using var " + names.GradOutput + " = " + names.GradOutputParameter + ";");
                w.Line("using var " + scope + " = global::TorchSharp.torch.NewDisposeScope();");
                w.Line("if (" + state + ".OnCpuPasses)");
                using (w.OpenBlock())
                {
                    w.Line("// The forward's passes wrote the gradients: each times the incoming gradient.");
                    w.Line("return " + PassCall + ".Backward(" + ctx + ", " + state + ", " + scope + ", " + names.GradOutput + ");");
                }

                w.Line();
                if (saved.Length > 0)
                {
                    w.Line("var " + names.Saved + " = " + ctx + ".get_saved_variables();");
                    for (var i = 0; i < saved.Length; i++)
                    {
                        w.Line("var " + names.Of(saved[i]) + " = " + names.Saved + "[" + i + "];");
                    }
                }

                w.Line("var " + shape + " = " + state + ".Shape;");
                w.Line("var " + device + " = " + names.GradOutput + ".device;");
                var body = backwardBody;
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
                    body.Comment("∂L/∂" + fields[i] + " = " + body.GradientFormula(root) + ", times the incoming gradient");
                    var gradient = Ops + ".Expand(" + body.GradientExpression(root) + ", " + shape + ")";
                    var wanted = state + ".RequiresGrad[" + i + "]";
                    if (BodyWriter.Continues(gradient))
                    {
                        body.Line(Tensor + "? " + name + " = " + wanted);
                        body.Line("    ? " + gradient);
                        body.Line("    : null;");
                    }
                    else
                    {
                        body.Line(Tensor + "? " + name + " = " + wanted + " ? " + gradient + " : null;");
                    }
                }

                body.Line();
                body.Line("return " + Ops + ".Gradients(" + scope + ", " + string.Join(", ", gradientNames) + ", null);");
                body.WriteTo(w);
            }
        }
    }

    /// <summary>
    /// The forward's pass path: on contiguous CPU float32/float64 fields, the loss's generated CPU program runs over
    /// their memory (see <c>LossDsl.Torch.CpuPassCall</c>) and the forward returns; elsewhere the ATen composition that
    /// follows runs. The choice is made per call. <paramref name="sweptGradients"/> (null unless the forward's spatial
    /// sums are one hand-written CPU sweep): per field, whether its gradient is one sweep too. A call whose wanted
    /// gradients are all swept keeps the sweeps, measured faster than the generated passes on such losses
    /// (docs/performance.md).
    /// </summary>
    private static void EmitPassPath(IndentedWriter w, LossModel model, TorchNames names, string cpuProgram, bool[]? sweptGradients)
    {
        var passes = names.Passes;
        var fieldList = string.Join(", ", model.Parameters.Where(p => p.Kind == ParameterKind.Field).Select(p => Identifiers.Escape(p.Name)));
        var arguments = string.Join(", ", new[] { passes + ".Shape" }.Concat(model.Parameters.Where(p => p.Kind != ParameterKind.Field)
            .Select(p => names.State + "." + names.StateField(p.Name))));
        string Run(string t) => passes + ".Run(" + names.Context + ", " + names.Scope + ", new " + cpuProgram + "<" + t + ">(" + arguments + "))";

        w.Line("// Contiguous CPU float32/float64 fields: the generated CPU passes (" + cpuProgram + ") over their memory, which");
        w.Line("// also write the gradients the backward will hand to libtorch. Other devices, dtypes and layouts: ATen, below.");
        string swept;
        if (sweptGradients is null)
        {
            swept = "null";
        }
        else
        {
            var fields = model.Parameters.Where(p => p.Kind == ParameterKind.Field).Select(p => p.Name).ToArray();
            var which = fields.Where((_, i) => sweptGradients[i]).ToArray();
            w.Line("// The ATen code below sums in one hand-written CPU sweep and computes " + (which.Length == 0 ? "no gradient" : string.Join(", ", which.Select(f => "∂L/∂" + f)) + " in one sweep each")
                + ":");
            w.Line("// measured faster than the generated passes, so a call that wants no other gradient keeps the sweeps.");
            swept = "new[] { " + string.Join(", ", sweptGradients.Select(b => b ? "true" : "false")) + " }";
        }

        w.Line("var " + passes + " = " + PassCall + ".TryStart(" + names.State + ", sweptGradients: " + swept + ", " + fieldList + ");");
        w.Line("if (" + passes + " is not null)");
        using (w.OpenBlock())
        {
            w.Line("return " + passes + ".IsDouble");
            w.Indent();
            w.Line("? " + Run("double"));
            w.Line(": " + Run("float") + ";");
            w.Outdent();
        }

        w.Line();
    }

    internal static string Literal(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    internal static string Number(double value) => CSharpLiterals.Format(value);

    /// <summary>
    /// The negation of C# expression <paramref name="expression"/>: <c>-x</c>, or <c>-(-1.0)</c> when it starts with a
    /// minus itself (a negative literal: <c>--1.0</c> would be a decrement, CS1059).
    /// </summary>
    internal static string Negated(string expression) =>
        expression.StartsWith("-", System.StringComparison.Ordinal) ? "-(" + expression + ")" : "-" + expression;

    private static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
