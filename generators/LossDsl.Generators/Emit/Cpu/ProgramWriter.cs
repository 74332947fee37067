using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using LossDsl.Generators.Ir;
using LossDsl.Generators.Model;
using LossDsl.Generators.Passes;

namespace LossDsl.Generators.Emit.Cpu;

/// <summary>
/// Prints the program class of one loss from its <see cref="LoopPlan"/>: its fields, its constructor, the driver
/// (<c>Execute</c>: values without positions between the passes, each pass run over the work items and its partials
/// combined), the dispatch to the pass methods, and the pass methods (<see cref="PassWriter"/>).
/// </summary>
internal sealed class ProgramWriter
{
    private const string Ns = "global::LossDsl.Cpu.";
    private readonly IndentedWriter w;
    private readonly ProgramLayout layout;
    private readonly LoopPlan plan;
    private readonly Graph graph;
    private readonly CpuNames names;

    public ProgramWriter(IndentedWriter w, ProgramLayout layout)
    {
        this.w = w;
        this.layout = layout;
        plan = layout.Plan;
        graph = plan.Graph;
        names = layout.Names;
    }

    private string T => layout.T;

    private IEnumerable<int> SmallNodes => plan.SmallNodes.SelectMany(stage => stage);

    private IEnumerable<int> PassReductions => plan.Passes.SelectMany(p => p.Reductions);

    private IEnumerable<int> PerPositionValues => plan.Passes.SelectMany(p => p.PerPosition.Concat(p.Saved));

    /// <summary>What a pass computes, in words: "reduces tp, fp; writes the gradients".</summary>
    public static string Describe(ProgramLayout layout, PassPlan pass)
    {
        var parts = new List<string>();
        var reduced = pass.Reductions.Concat(pass.PerPosition).Select(r => layout.Names[r].TrimStart('@')).ToList();
        if (reduced.Count > 0)
        {
            parts.Add("reduces " + string.Join(", ", reduced));
        }

        if (pass.WritesGradients)
        {
            parts.Add("writes the gradients");
        }

        return parts.Count == 0 ? "evaluates the loss" : string.Join("; ", parts);
    }

    /// <summary>A value without axes as a T expression: a literal, or the field holding it.</summary>
    public static string Scalar(ProgramLayout layout, int id) =>
        layout.Graph[id].Op == Op.Constant ? Literal(layout.Graph[id].Value, layout.T) : layout.Names[id];

    public void Write()
    {
        var passes = plan.Passes.Count;
        w.Line("/// <summary>");
        w.Line($"/// Computes {layout.Model.Name} (and the gradients the caller wants) in {passes} pass{(passes == 1 ? "" : "es")} over the positions.");
        w.Line("/// </summary>");
        w.Line(GeneratedCode.Attribute);
        w.Line($"private sealed class {names.ProgramClass}<{T}> : {Ns}FusedProgram<{T}>");
        w.Indent().Line($"where {T} : unmanaged, global::System.Numerics.IFloatingPointIeee754<{T}>").Outdent();
        using (w.OpenBlock())
        {
            WriteFields();
            w.Line();
            WriteConstructor();
            w.Line();
            WriteExecute();
            foreach (var pass in plan.Passes)
            {
                w.Line();
                var scope = names.Scope();
                new PassWriter(w, layout, pass).Write(scope.Fresh("item"), scope.Fresh("partials"), scope.Fresh("start"), scope.Fresh("end"));
            }
        }
    }

    private void WriteFields()
    {
        foreach (var p in layout.Model.Parameters.Where(p => p.Kind == ParameterKind.ClassList))
        {
            w.Line($"private readonly int[] {names.ClassList(p.Name)};");
        }

        foreach (var id in Enumerable.Range(0, graph.Count).Where(id => graph[id].Op == Op.Hyper && plan.Need[id] != 0))
        {
            w.Line($"private readonly {T} {names[id]};");
        }

        foreach (var id in SmallNodes.Concat(PassReductions).Distinct().Where(id => !layout.IsLocal(id)).OrderBy(id => id))
        {
            w.Line(graph[id].Shape.IsScalar ? $"private {T} {names[id]};" : $"private {Ns}View<{T}> {names[id]};");
        }

        foreach (var id in PerPositionValues)
        {
            w.Line($"private {T}[] {names[id]} = global::System.Array.Empty<{T}>();");
        }

        foreach (var pass in plan.Passes.Where(p => p.Reductions.Count > 0))
        {
            w.Line($"private int {layout.PassSlots[pass.Number]};");
            foreach (var r in pass.Reductions)
            {
                w.Line($"private int {layout.Offsets[r]};");
            }
        }
    }

    private void WriteConstructor()
    {
        var scope = names.Scope();
        var shape = scope.Fresh("shape");
        var others = layout.Model.Parameters.Where(p => p.Kind != ParameterKind.Field).ToList();
        var parameters = new[] { $"{Ns}FieldShape {shape}" }.Concat(others.Select(p => $"{ParameterModel.ScalarType(p.Kind)} {CpuNames.Escape(p.Name)}"));
        w.Line($"public {names.ProgramClass}({string.Join(", ", parameters)})");
        // A sum or maximum over the batch kept per position runs through the batch items in order, in one work item.
        var batchesTogether = layout.Plan.Passes.Any(pass => pass.PerPosition.Count > 0);
        w.Indent().Line(batchesTogether ? $": base({shape}, batchesTogether: true)" : $": base({shape})").Outdent();
        using (w.OpenBlock())
        {
            foreach (var p in others.Where(p => p.Kind == ParameterKind.ClassList))
            {
                w.Line($"this.{names.ClassList(p.Name)} = {CpuNames.Escape(p.Name)};");
            }

            foreach (var id in Enumerable.Range(0, graph.Count).Where(id => graph[id].Op == Op.Hyper && plan.Need[id] != 0))
            {
                // Hyper-parameters enter the arithmetic at the precision of T (a float widened to double first).
                w.Line($"this.{names[id]} = {T}.CreateChecked({CpuNames.Escape(graph[id].Name)});");
            }
        }
    }

    private void WriteExecute()
    {
        var scope = names.Scope();
        w.Line($"protected override {T} Execute()");
        using (w.OpenBlock())
        {
            for (var field = 0; field < plan.Gradients.Count; field++)
            {
                if (plan.Gradients[field] < 0)
                {
                    w.Line($"// L does not depend on {layout.FieldParameters[field].Name}: ∂L/∂{layout.FieldParameters[field].Name} = 0");
                    w.Line($"ClearGradient({field});");
                }
            }

            WriteSmallNodes(0);
            foreach (var pass in plan.Passes)
            {
                w.Line();
                w.Line($"// Pass {pass.Number + 1}: {Describe(layout, pass)}");
                foreach (var id in pass.Saved)
                {
                    // Always there (pooled, not cleared): a later pass may read it in a statement that only unwanted
                    // gradients need; it is written when a wanted one does.
                    w.Line($"{names[id]} = Keep({layout.Batches(graph[id].Shape)}, {layout.Classes(graph[id].Shape)});");
                }

                foreach (var id in pass.PerPosition)
                {
                    // Always there too, for the same reason: a pass takes a reference to every value it touches when it starts.
                    w.Line($"{names[id]} = PerPosition({layout.Classes(graph[id].Shape)});");
                }

                var condition = layout.Condition(pass.Need);
                if (condition is null)
                {
                    WritePassRun(pass, scope);
                }
                else
                {
                    w.Line($"if ({condition})");
                    using (w.OpenBlock())
                    {
                        WritePassRun(pass, scope);
                    }
                }

                WriteSmallNodes(pass.Number + 1);
            }

            w.Line();
            w.Line($"return {Scalar(layout, plan.Result)};");
        }
    }

    private void WritePassRun(PassPlan pass, CpuNames scope)
    {
        if (pass.Reductions.Count == 0)
        {
            w.Line($"RunPass({PassBodies(pass)}, 0);");
            return;
        }

        var slots = layout.PassSlots[pass.Number];
        var previous = "0";
        foreach (var r in pass.Reductions)
        {
            w.Line($"{layout.Offsets[r]} = {previous};");
            previous = $"{layout.Offsets[r]} + {layout.PartialsOf(graph[r].Shape)}";
        }

        w.Line($"{slots} = {previous};");
        var partials = scope.Fresh("partials" + (pass.Number + 1));
        w.Line($"var {partials} = RunPass({PassBodies(pass)}, {slots});");
        foreach (var r in pass.Reductions)
        {
            var max = graph[r].Op == Op.MaxOver;
            w.Line($"// {names[r].TrimStart('@')} = {layout.Formulas.Of(r)}");
            w.Line(graph[r].Shape.IsScalar
                ? $"{Assign(r)}{(max ? "CombineMaxScalar" : "CombineScalar")}({partials}, {slots}, {layout.Offsets[r]});"
                : $"{Assign(r)}{(max ? "CombineMax" : "Combine")}({partials}, {slots}, {layout.Offsets[r]}, Small({layout.Batches(graph[r].Shape)}, {layout.Classes(graph[r].Shape)}));");
        }
    }

    /// <summary>The pass method compiled for rows of whole vectors, then for rows whose last vector may be partial.</summary>
    private string PassBodies(PassPlan pass) =>
        $"{layout.PassMethods[pass.Number]}<{Ns}FullVectors>, {layout.PassMethods[pass.Number]}<{Ns}PartialLastVector>";

    /// <summary>The values without positions known after a stage, consecutive ones under one condition grouped in one block.</summary>
    private void WriteSmallNodes(int stage)
    {
        var nodes = plan.SmallNodes[stage];
        for (var i = 0; i < nodes.Count;)
        {
            var condition = layout.Condition(plan.Need[nodes[i]]);
            var run = nodes.Skip(i).TakeWhile(id => layout.Condition(plan.Need[id]) == condition).ToList();
            i += run.Count;
            if (condition is null)
            {
                run.ForEach(WriteSmallNode);
                continue;
            }

            w.Line($"if ({condition})");
            using (w.OpenBlock())
            {
                run.ForEach(WriteSmallNode);
            }
        }
    }

    private void WriteSmallNode(int id)
    {
        w.Line($"// {names[id].TrimStart('@')} = {layout.Formulas.Of(id)}");
        if (graph[id].Shape.IsScalar)
        {
            w.Line($"{Assign(id)}{ScalarExpression(id)};");
            return;
        }

        w.Line($"{Assign(id)}{KernelCall(id, $"Small({layout.Batches(graph[id].Shape)}, {layout.Classes(graph[id].Shape)})")};");
    }

    /// <summary>The left-hand side of the statement computing <paramref name="id"/>: a local's declaration or a field.</summary>
    private string Assign(int id) => (layout.IsLocal(id) ? "var " : "") + names[id] + " = ";

    /// <summary>The runtime kernel that computes a value without positions but with a batch or class axis into (and returns) <paramref name="destination"/>.</summary>
    private string KernelCall(int id, string destination)
    {
        var node = graph[id];
        var args = node.Args.ToList();
        switch (node.Op)
        {
            case Op.Sum:
                return $"{Ns}Kernels.Sum({Operand(args[0])}, {destination})";
            case Op.MaxOver:
                return $"{Ns}Kernels.MaxOver({Operand(args[0])}, {destination})";
            case Op.Select:
                return $"{Ns}Kernels.Select({Operand(args[0])}, {names.ClassList(node.Name)}, {destination})";
            case Op.Scatter:
                return $"{Ns}Kernels.Scatter({Operand(args[0])}, {names.ClassList(node.Name)}, {destination})";
            default:
                var op = $"{Ns}{node.Op}Op<{T}>";
                return args.Count == 1
                    ? $"{Ns}Kernels.Unary<{T}, {op}>({Operand(args[0])}, {destination})"
                    : $"{Ns}Kernels.Binary<{T}, {op}>({Operand(args[0])}, {Operand(args[1])}, {destination})";
        }
    }

    /// <summary>A scalar node as a T expression, any other as its view.</summary>
    private string Operand(int id) => graph[id].Shape.IsScalar ? Scalar(layout, id) : names[id];

    private string ScalarExpression(int id)
    {
        var node = graph[id];
        var a = node.Args.Count > 0 ? Scalar(layout, node.Args[0]) : "";
        var b = node.Args.Count > 1 ? Scalar(layout, node.Args[1]) : "";
        return node.Op switch
        {
            Op.Extent => $"Extent(batch: {Bool(node.Reduce.HasFlag(Axes.Batch))}, classes: {(node.Reduce.HasFlag(Axes.Class) ? layout.DomainLength(node.Name) : "0")}, spatial: {Bool(node.Reduce.HasFlag(Axes.Spatial))})",
            Op.Add => $"{a} + {b}",
            Op.Subtract => $"{a} - ({b})",
            Op.Multiply => $"({a}) * ({b})",
            Op.Divide => $"({a}) / ({b})",
            Op.Negate => $"-({a})",
            Op.Log => $"{T}.Log({a})",
            Op.Exp => $"{T}.Exp({a})",
            Op.Sqrt => $"{T}.Sqrt({a})",
            Op.Abs => $"{T}.Abs({a})",
            Op.Square => $"({a}) * ({a})",
            Op.Pow => $"{T}.Pow({a}, {b})",
            Op.Minimum => $"{T}.Min({a}, {b})",
            Op.Maximum => $"{T}.Max({a}, {b})",
            Op.Sigmoid => $"{Ns}SigmoidOp<{T}>.Apply({a})",
            Op.Sign => $"{Ns}SignOp<{T}>.Apply({a})",
            Op.Step => $"{Ns}StepOp<{T}>.Apply({a})",
            Op.GreaterOrEqual => $"{Ns}GreaterOrEqualOp<{T}>.Apply({a}, {b})",
            Op.Sum => $"{Ns}Kernels.Total({names[node.Args[0]]})",
            Op.MaxOver => $"{Ns}Kernels.Maximum({names[node.Args[0]]})",
            _ => throw new System.InvalidOperationException($"{node.Op} has no scalar form"),
        };
    }

    private static string Bool(bool value) => value ? "true" : "false";

    /// <summary>A double literal converted to T (a float loss rounds it, exactly as C# would).</summary>
    public static string Literal(double value, string t)
    {
        if (double.IsNaN(value))
        {
            return t + ".NaN";
        }

        if (double.IsPositiveInfinity(value))
        {
            return t + ".PositiveInfinity";
        }

        if (double.IsNegativeInfinity(value))
        {
            return t + ".NegativeInfinity";
        }

        if (value == 0)
        {
            return 1 / value < 0 ? t + ".NegativeZero" : t + ".Zero";
        }

        if (value == 1)
        {
            return t + ".One";
        }

        // A literal written as a float (1e-5f) keeps its float spelling: T.CreateChecked(1e-5f) is the same value.
        var single = (float)value;
        var shorterAsFloat = (double)single == value
            && single.ToString("R", CultureInfo.InvariantCulture).Length < value.ToString("R", CultureInfo.InvariantCulture).Length;
        return $"{t}.CreateChecked({CSharpLiterals.Format(shorterAsFloat ? (object)single : value)})";
    }
}
