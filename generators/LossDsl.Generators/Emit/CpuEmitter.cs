using System.Collections.Generic;
using System.Linq;
using LossDsl.Generators.Ir;
using LossDsl.Generators.Model;

namespace LossDsl.Generators.Emit;

/// <summary>
/// Emits the SIMD CPU back end of one loss: the public <c>NameCpu</c> / <c>NameCpuGradient</c> entry points and two
/// nested program classes (value only; value and gradients) that run the schedule of <see cref="CpuSchedule"/> on the
/// runtime's vectorized kernels.
/// </summary>
internal static class CpuEmitter
{
    private const string Ns = "global::LossDsl.Cpu.";
    private const string Constraint = "where T : unmanaged, global::System.Numerics.IFloatingPointIeee754<T>";

    public static void Emit(IndentedWriter w, LossModel model)
    {
        EmitEntryPoints(w, model);
        w.Line();
        EmitArrayEntryPoints(w, model);
        w.Line();
        EmitProgram(w, model, withGradients: false);
        w.Line();
        EmitProgram(w, model, withGradients: true);
    }

    private static IEnumerable<ParameterModel> Fields(LossModel model) => model.Parameters.Where(p => p.Kind == ParameterKind.Field);

    private static IEnumerable<ParameterModel> Others(LossModel model) => model.Parameters.Where(p => p.Kind != ParameterKind.Field);

    private static string GradientName(string field) => "grad" + char.ToUpperInvariant(field[0]) + field.Substring(1);

    private static string ValueProgram(LossModel model) => model.Name + "CpuValueProgram";

    private static string GradientProgram(LossModel model) => model.Name + "CpuGradientProgram";

    private static void EmitEntryPoints(IndentedWriter w, LossModel model)
    {
        var fields = Fields(model).ToList();
        var docs = MathDocs.For(model);

        w.Line("/// <summary>");
        w.Line($"/// {Xml.Escape(docs.Summary)} SIMD CPU back end: the loss value.");
        w.Line("/// </summary>");
        w.Lines(docs.Remarks);
        foreach (var p in model.Parameters)
        {
            w.Line($"/// <param name=\"{p.Name}\">{ParameterDoc(p)}</param>");
        }

        w.Line("/// <returns>The loss.</returns>");
        var valueParameters = model.Parameters.Select(p => Declaration(p)).ToList();
        w.Line($"{model.Accessibility} static T {model.Name}Cpu<T>({string.Join(", ", valueParameters)})");
        w.Indent().Line(Constraint).Outdent();
        using (w.OpenBlock())
        {
            EmitArgumentChecks(w, model, fields, withGradients: false);
            w.Line("var gradients = new " + Ns + "FieldSpans<T>();");
            w.Line($"return new {ValueProgram(model)}<T>({ProgramArguments(model)}).Run(ref fields, ref gradients);");
        }

        w.Line();
        w.Line("/// <summary>");
        w.Line($"/// {Xml.Escape(docs.Summary)} SIMD CPU back end: the loss value and its gradients.");
        w.Line("/// </summary>");
        w.Lines(docs.Remarks);
        foreach (var p in fields)
        {
            w.Line($"/// <param name=\"{p.Name}\">{ParameterDoc(p)}</param>");
        }

        foreach (var p in fields)
        {
            w.Line($"/// <param name=\"{GradientName(p.Name)}\">Receives ∂L/∂{p.Name}, shaped like {p.Name}; pass an empty span when not wanted.</param>");
        }

        foreach (var p in Others(model))
        {
            w.Line($"/// <param name=\"{p.Name}\">{ParameterDoc(p)}</param>");
        }

        w.Line("/// <returns>The loss.</returns>");
        var gradientParameters = fields.Select(p => Declaration(p))
            .Concat(fields.Select(p => $"global::System.Numerics.Tensors.TensorSpan<T> {GradientName(p.Name)}"))
            .Concat(Others(model).Select(p => Declaration(p)));
        w.Line($"{model.Accessibility} static T {model.Name}CpuGradient<T>({string.Join(", ", gradientParameters)})");
        w.Indent().Line(Constraint).Outdent();
        using (w.OpenBlock())
        {
            EmitArgumentChecks(w, model, fields, withGradients: true);
            w.Line($"return new {GradientProgram(model)}<T>({ProgramArguments(model)}).Run(ref fields, ref gradients);");
        }
    }

    /// <summary>
    /// Overloads over <c>LossDsl.FieldArray&lt;T&gt;</c> (an array and its shape): for callers that cannot hold a ref
    /// struct (F#, async code, fields of classes), and so that C# infers T from arrays.
    /// </summary>
    private static void EmitArrayEntryPoints(IndentedWriter w, LossModel model)
    {
        var fields = Fields(model).ToList();
        var fieldArray = "global::LossDsl.FieldArray<T>";
        string ArrayDeclaration(ParameterModel p) => p.Kind == ParameterKind.Field ? $"{fieldArray} {p.Name}" : Declaration(p);
        string Span(ParameterModel p) => p.Kind == ParameterKind.Field ? $"{Ns}CpuArguments.NotNull({p.Name}, \"{p.Name}\").AsReadOnlyTensorSpan()" : p.Name;

        w.Line($"/// <summary>{Xml.Escape(MathDocs.For(model).Summary)} CPU value, over arrays with their shapes (<c>FieldArray</c>).</summary>");
        foreach (var p in model.Parameters)
        {
            w.Line($"/// <param name=\"{p.Name}\">{ParameterDoc(p)}</param>");
        }

        w.Line("/// <returns>The loss.</returns>");
        w.Line($"{model.Accessibility} static T {model.Name}Cpu<T>({string.Join(", ", model.Parameters.Select(ArrayDeclaration))})");
        w.Indent().Line(Constraint);
        w.Line($"=> {model.Name}Cpu<T>({string.Join(", ", model.Parameters.Select(Span))});").Outdent();
        w.Line();

        w.Line($"/// <summary>{Xml.Escape(MathDocs.For(model).Summary)} CPU value and gradients, over arrays with their shapes (<c>FieldArray</c>).</summary>");
        foreach (var p in fields)
        {
            w.Line($"/// <param name=\"{p.Name}\">{ParameterDoc(p)}</param>");
        }

        foreach (var p in fields)
        {
            w.Line($"/// <param name=\"{GradientName(p.Name)}\">Receives ∂L/∂{p.Name}, shaped like {p.Name}; null when not wanted.</param>");
        }

        foreach (var p in Others(model))
        {
            w.Line($"/// <param name=\"{p.Name}\">{ParameterDoc(p)}</param>");
        }

        w.Line("/// <returns>The loss.</returns>");
        var parameters = fields.Select(ArrayDeclaration)
            .Concat(fields.Select(p => $"{fieldArray}? {GradientName(p.Name)}"))
            .Concat(Others(model).Select(p => Declaration(p)));
        var arguments = fields.Select(Span)
            .Concat(fields.Select(p => $"{GradientName(p.Name)} is null ? default : {GradientName(p.Name)}.AsTensorSpan()"))
            .Concat(Others(model).Select(p => p.Name));
        w.Line($"{model.Accessibility} static T {model.Name}CpuGradient<T>({string.Join(", ", parameters)})");
        w.Indent().Line(Constraint);
        w.Line($"=> {model.Name}CpuGradient<T>({string.Join(", ", arguments)});").Outdent();
    }

    private static void EmitArgumentChecks(IndentedWriter w, LossModel model, List<ParameterModel> fields, bool withGradients)
    {
        var first = fields[0].Name;
        w.Line($"var shape = {Ns}CpuArguments.ShapeOf({first}, \"{first}\");");
        foreach (var p in fields.Skip(1))
        {
            w.Line($"{Ns}CpuArguments.RequireShape({p.Name}, \"{p.Name}\", shape, \"{first}\", {first});");
        }

        foreach (var p in Others(model).Where(p => p.Kind == ParameterKind.ClassList))
        {
            w.Line($"{Ns}CpuArguments.ClassList({p.Name}, \"{p.Name}\", shape);");
        }

        w.Line("var fields = new " + Ns + "FieldSpans<T>();");
        foreach (var p in fields)
        {
            w.Line($"fields.Add({Ns}CpuArguments.Data({p.Name}, \"{p.Name}\"));");
        }

        if (withGradients)
        {
            w.Line("var gradients = new " + Ns + "FieldSpans<T>();");
            foreach (var p in fields)
            {
                var g = GradientName(p.Name);
                w.Line($"gradients.Add({Ns}CpuArguments.Gradient({g}, \"{g}\", shape, \"{first}\", {first}));");
            }
        }
    }

    private static string ProgramArguments(LossModel model) =>
        string.Join(", ", new[] { "shape" }.Concat(Others(model).Select(p => p.Name)));

    private static string Declaration(ParameterModel p) => p.Declaration("global::System.Numerics.Tensors.ReadOnlyTensorSpan<T>");

    private static string ParameterDoc(ParameterModel p) => p.Kind switch
    {
        ParameterKind.Field => "A dense field laid out (B, C, *spatial); every field has the same shape.",
        ParameterKind.ClassList => "Class indices in 0..C−1 (not empty).",
        _ => "Hyper-parameter, widened or rounded to T before use.",
    };

    private static void EmitProgram(IndentedWriter w, LossModel model, bool withGradients)
    {
        var graph = model.Graph;
        var gradients = withGradients ? model.Gradients.ToList() : new List<int>();
        var schedule = CpuSchedule.Plan(graph, model.Result, gradients);
        var names = new NodeNames(graph, ReservedNames);
        var context = new ProgramWriter(w, model, schedule, names);
        var className = withGradients ? GradientProgram(model) : ValueProgram(model);

        w.Line("/// <summary>");
        w.Line(withGradients
            ? $"/// Computes {model.Name} and its gradients in {schedule.PassCount} pass(es) over the positions."
            : $"/// Computes {model.Name} in {schedule.PassCount} pass(es) over the positions.");
        w.Line("/// </summary>");
        w.Line($"private sealed class {className}<T> : {Ns}ChunkedProgram<T>");
        w.Indent().Line(Constraint).Outdent();
        using (w.OpenBlock())
        {
            context.EmitFields();
            w.Line();
            context.EmitConstructor(className);
            w.Line();
            context.EmitExecute(withGradients);
            w.Line();
            context.EmitExecuteChunk();
            for (var pass = 0; pass < schedule.PassCount; pass++)
            {
                w.Line();
                context.EmitPass(pass);
            }
        }
    }

    /// <summary>Members of the runtime base class and parameters of the generated methods: node names avoid them.</summary>
    private static readonly string[] ReservedNames =
    {
        "T", "Shape", "ChunkLength", "ChunkCount", "Run", "Execute", "ExecuteChunk", "Field", "Gradient", "WantsGradient",
        "RunPass", "Partial", "Combine", "Small", "Extent", "chunk", "workspace", "partials", "pass", "shape", "total",
    };
}
