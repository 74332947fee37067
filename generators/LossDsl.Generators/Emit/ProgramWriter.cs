using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using LossDsl.Generators.Ir;
using LossDsl.Generators.Model;

namespace LossDsl.Generators.Emit;

/// <summary>
/// Writes the members of one generated CPU program class, node by node, one method per node kind, each statement
/// preceded by the formula it computes.
/// </summary>
internal sealed partial class ProgramWriter
{
    private const string Ns = "global::LossDsl.Cpu.";
    private readonly IndentedWriter w;
    private readonly LossModel model;
    private readonly CpuSchedule schedule;
    private readonly NodeNames names;
    private readonly Graph graph;
    private readonly List<int> fieldInputs;

    public ProgramWriter(IndentedWriter w, LossModel model, CpuSchedule schedule, NodeNames names)
    {
        this.w = w;
        this.model = model;
        this.schedule = schedule;
        this.names = names;
        graph = model.Graph;
        fieldInputs = model.Parameters.Where(p => p.Kind == ParameterKind.Field)
            .Select(p => Enumerable.Range(0, graph.Count).Where(id => graph[id].Op == Op.Input && graph[id].Name == p.Name).DefaultIfEmpty(-1).First())
            .ToList();
    }

    private IEnumerable<int> Needed => CpuSchedule.Needed(graph, schedule.Roots);

    public void EmitFields()
    {
        foreach (var p in model.Parameters.Where(p => p.Kind == ParameterKind.ClassList))
        {
            w.Line($"private readonly int[] {p.Name};");
        }

        foreach (var id in Needed.Where(id => graph[id].Op == Op.Hyper))
        {
            w.Line($"private readonly T {names[id]};");
        }

        foreach (var id in Needed.Where(id => !schedule.IsWide(id) && graph[id].Op is not (Op.Hyper or Op.Constant)))
        {
            w.Line(schedule.IsScalar(id)
                ? $"private T {names[id]};"
                : $"private {Ns}View<T> {names[id]};");
        }

        for (var pass = 0; pass < schedule.PassCount; pass++)
        {
            var reductions = schedule.ReductionsOf(pass);
            w.Line($"private int {PassSize(pass)};");
            foreach (var r in reductions)
            {
                w.Line($"private int {Offset(r)};");
            }
        }
    }

    public void EmitConstructor(string className)
    {
        var others = model.Parameters.Where(p => p.Kind != ParameterKind.Field).ToList();
        var parameters = new[] { Ns + "FieldShape shape" }.Concat(others.Select(p => $"{ParameterModel.ScalarType(p.Kind)} {p.Name}"));
        w.Line($"public {className}({string.Join(", ", parameters)})");
        w.Indent().Line(": base(shape)").Outdent();
        using (w.OpenBlock())
        {
            foreach (var p in others.Where(p => p.Kind == ParameterKind.ClassList))
            {
                w.Line($"this.{p.Name} = {p.Name};");
            }

            foreach (var id in Needed.Where(id => graph[id].Op == Op.Hyper))
            {
                // Hyper-parameters enter the arithmetic at the precision of T (a float widened to double first).
                w.Line($"this.{names[id]} = T.CreateChecked({graph[id].Name});");
            }
        }
    }

    public void EmitExecute(bool withGradients)
    {
        w.Line("protected override T Execute()");
        using (w.OpenBlock())
        {
            if (withGradients)
            {
                var fields = model.Parameters.Where(p => p.Kind == ParameterKind.Field).ToList();
                for (var i = 0; i < fields.Count; i++)
                {
                    if (model.Gradients[i] < 0)
                    {
                        w.Line($"// L does not depend on {fields[i].Name}: ∂L/∂{fields[i].Name} = 0");
                        w.Line($"Gradient({i}).Clear();");
                    }
                }
            }

            EmitSmallNodes(-1);
            for (var pass = 0; pass < schedule.PassCount; pass++)
            {
                var reductions = schedule.ReductionsOf(pass);
                w.Line();
                w.Line($"// Pass {pass + 1}: {DescribePass(pass)}");
                var previous = "0";
                foreach (var r in reductions)
                {
                    w.Line($"{Offset(r)} = {previous};");
                    previous = $"{Offset(r)} + {SizeOf(graph[r].Shape)}";
                }

                w.Line($"{PassSize(pass)} = {previous};");
                w.Line($"var partials{pass + 1} = RunPass({pass}, {PassSize(pass)});");
                foreach (var r in reductions)
                {
                    var combine = graph[r].Op == Op.MaxOver ? "CombineMax" : "Combine";
                    if (schedule.IsScalar(r))
                    {
                        w.Line($"{names[r]} = {combine}Scalar(partials{pass + 1}, {PassSize(pass)}, {Offset(r)});");
                    }
                    else
                    {
                        var shape = graph[r].Shape;
                        w.Line($"{names[r]} = Small({Batches(shape)}, {Classes(shape)});");
                        w.Line($"{combine}(partials{pass + 1}, {PassSize(pass)}, {Offset(r)}, {names[r]});");
                    }
                }

                EmitSmallNodes(pass);
            }

            w.Line();
            w.Line($"return {Scalar(model.Result)};");
        }
    }

    public void EmitExecuteChunk()
    {
        w.Line($"protected override void ExecuteChunk(int pass, {Ns}Chunk chunk, {Ns}Workspace<T> workspace, T[] partials)");
        using (w.OpenBlock())
        {
            w.Line("switch (pass)");
            using (w.OpenBlock())
            {
                for (var pass = 0; pass < schedule.PassCount; pass++)
                {
                    w.Line($"case {pass}:");
                    w.Indent();
                    w.Line($"Pass{pass + 1}(chunk, workspace, partials);");
                    w.Line("break;");
                    w.Outdent();
                }
            }
        }
    }

    public void EmitPass(int pass)
    {
        w.Line($"/// <summary>Pass {pass + 1}, one chunk: {DescribePass(pass)}</summary>");
        w.Line($"private void Pass{pass + 1}({Ns}Chunk chunk, {Ns}Workspace<T> workspace, T[] partials)");
        using (w.OpenBlock())
        {
            var wide = schedule.WideNodesOf(pass);
            var gradientOnly = schedule.GradientOnlyNodesOf(pass, model.Gradients.ToList());
            var first = true;
            for (var slot = 0; slot < wide.Count; slot++)
            {
                if (!first)
                {
                    w.Line();
                }

                first = false;
                if (gradientOnly.TryGetValue(wide[slot], out var fields))
                {
                    EmitConditionalWideNode(wide[slot], slot, fields);
                }
                else
                {
                    EmitWideNode(wide[slot], slot);
                }
            }

            foreach (var r in schedule.ReductionsOf(pass))
            {
                w.Line();
                var shape = graph[r].Shape;
                w.Line($"// {names[r]} = {Formula(r)}  (this chunk's share)");
                w.Line($"{Ns}Kernels.{(graph[r].Op == Op.MaxOver ? "MaxOver" : "Sum")}({names[graph[r].Args[0]]}, Partial(partials, chunk, {PassSize(pass)}, {Offset(r)}, {Batches(shape)}, {Classes(shape)}));");
            }

            if (pass == schedule.StorePass)
            {
                var fields = model.Parameters.Where(p => p.Kind == ParameterKind.Field).ToList();
                for (var i = 0; i < fields.Count; i++)
                {
                    var g = model.Gradients[i];
                    if (g < 0)
                    {
                        continue;
                    }

                    w.Line();
                    w.Line($"// ∂L/∂{fields[i].Name} = {Formula(g)}");
                    w.Line($"if (WantsGradient({i}))");
                    using (w.OpenBlock())
                    {
                        var value = schedule.IsWide(g) || !schedule.IsScalar(g) ? names[g] : Scalar(g);
                        w.Line($"{Ns}Kernels.Store({value}, Gradient({i}), Shape, chunk.Start, chunk.Length);");
                    }
                }
            }
        }
    }

    private void EmitWideNode(int id, int slot) => EmitWideNodeBody(id, slot, "var ");

    /// <summary>A value only some gradients need: computed only when one of them is wanted (training usually wants one).</summary>
    private void EmitConditionalWideNode(int id, int slot, List<int> fields)
    {
        w.Line($"{Ns}View<T> {names[id]} = default;");
        w.Line($"if ({string.Join(" || ", fields.Select(f => $"WantsGradient({f})"))})");
        using (w.OpenBlock())
        {
            EmitWideNodeBody(id, slot, "");
        }
    }

    /// <summary>Computes a wide node into its chunk buffer: a field is loaded, anything else is one kernel call.</summary>
    private void EmitWideNodeBody(int id, int slot, string declaration)
    {
        var name = names[id];
        var shape = graph[id].Shape;
        var isField = graph[id].Op == Op.Input;
        w.Line(isField ? $"// {name}: this chunk of every (b, c) plane" : $"// {name} = {Formula(id)}");
        w.Line($"{declaration}{name} = workspace.Buffer({slot}, {Batches(shape)}, {Classes(shape)}, chunk.Length);");
        w.Line(isField ? $"{Ns}Kernels.Load(Field({fieldInputs.IndexOf(id)}), Shape, chunk.Start, {name});" : KernelCall(id, name));
    }

    private void EmitSmallNodes(int after)
    {
        foreach (var id in schedule.SmallNodesAfter(after))
        {
            var node = graph[id];
            if (node.Op is Op.Constant or Op.Hyper)
            {
                continue;
            }

            w.Line($"// {names[id]} = {Formula(id)}");
            if (schedule.IsScalar(id))
            {
                w.Line($"{names[id]} = {ScalarExpression(id)};");
            }
            else
            {
                w.Line($"{names[id]} = Small({Batches(node.Shape)}, {Classes(node.Shape)});");
                w.Line(KernelCall(id, names[id]));
            }
        }
    }
}
