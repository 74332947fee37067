using System.Collections.Generic;
using System.Linq;
using LossDsl.Generators.Emit.Cpu;
using LossDsl.Generators.Model;
using LossDsl.Generators.Passes;

namespace LossDsl.Generators.Emit;

/// <summary>
/// Emits the SIMD CPU back end of one loss: the public <c>NameCpu</c> / <c>NameCpuGradient</c> entry points (over
/// tensor spans and over <c>FieldArray</c>) and one nested program class that prints the loss's
/// <see cref="LoopPlan"/>. A value-only call is the same program with no gradient wanted.
/// </summary>
internal static class CpuEmitter
{
    private const string Ns = "global::LossDsl.Cpu.";

    public static void Emit(IndentedWriter w, LossModel model) => Emit(w, model, LoopPlanner.Plan(model.Graph, model.Result, model.Gradients.ToList()));

    public static void Emit(IndentedWriter w, LossModel model, LoopPlan plan)
    {
        var layout = new ProgramLayout(model, plan);
        new EntryPoints(w, model, layout).Write();
        w.Line();
        new ProgramWriter(w, layout).Write();
    }

    /// <summary>A cref to the CPU gradient entry point over tensor spans, whose remarks hold the loss's formulas.</summary>
    public static string FormulasCref(LossModel model) => SpanEntryCref(model, gradients: true);

    /// <summary>
    /// A cref to a CPU entry point over tensor spans: <c>NameCpu</c>, or <c>NameCpuGradient</c> (the fields, then their
    /// gradient spans, then the other parameters). A cref's <c>{T}</c> is its own placeholder, whatever the method calls it.
    /// </summary>
    private static string SpanEntryCref(LossModel model, bool gradients)
    {
        const string span = "global::System.Numerics.Tensors.ReadOnlyTensorSpan{T}";
        var types = gradients
            ? model.Parameters.Where(p => p.Kind == ParameterKind.Field).Select(_ => span)
                .Concat(model.Parameters.Where(p => p.Kind == ParameterKind.Field).Select(_ => "global::System.Numerics.Tensors.TensorSpan{T}"))
                .Concat(model.Parameters.Where(p => p.Kind != ParameterKind.Field).Select(p => ParameterModel.ScalarType(p.Kind)))
            : model.Parameters.Select(p => p.Kind == ParameterKind.Field ? span : ParameterModel.ScalarType(p.Kind));
        return Identifiers.Escape(model.Name + (gradients ? "CpuGradient" : "Cpu")) + "{T}(" + string.Join(", ", types) + ")";
    }

    /// <summary>The public members: argument checks, then the program.</summary>
    private sealed class EntryPoints
    {
        private readonly IndentedWriter w;
        private readonly LossModel model;
        private readonly ProgramLayout layout;
        private readonly List<ParameterModel> fields;
        private readonly List<ParameterModel> others;
        private readonly Dictionary<string, string> gradientNames = new();
        private readonly string t;
        private readonly string constraint;
        private readonly string name;
        private readonly string shape;
        private readonly string fieldSpans;
        private readonly string gradientSpans;

        public EntryPoints(IndentedWriter w, LossModel model, ProgramLayout layout)
        {
            this.w = w;
            this.model = model;
            this.layout = layout;
            fields = model.Parameters.Where(p => p.Kind == ParameterKind.Field).ToList();
            others = model.Parameters.Where(p => p.Kind != ParameterKind.Field).ToList();
            t = layout.T;
            constraint = $"where {t} : unmanaged, global::System.Numerics.IFloatingPointIeee754<{t}>";
            name = model.Name;

            // The entry points' own names avoid the user's parameter names only (nothing else is in scope there).
            var scope = CpuNames.ForParameters(model);
            foreach (var p in fields)
            {
                gradientNames[p.Name] = scope.Fresh("grad" + char.ToUpperInvariant(p.Name[0]) + p.Name.Substring(1));
            }

            shape = scope.Fresh("shape");
            fieldSpans = scope.Fresh("fields");
            gradientSpans = scope.Fresh("gradients");
        }

        public void Write()
        {
            var docs = MathDocs.For(model);
            var gradientCref = FormulasCref(model);
            w.Line("/// <summary>");
            w.Line($"/// {Xml.Escape(docs.Summary)} SIMD CPU back end: the loss value.");
            w.Line("/// </summary>");
            // The formulas and the parameters are written once, on the entry point that has every parameter.
            w.Line($"/// <inheritdoc cref=\"{gradientCref}\"/>");
            w.Line(GeneratedCode.Attribute);
            w.Line($"{model.Accessibility} static {t} {Id(name + "Cpu")}<{t}>({string.Join(", ", model.Parameters.Select(SpanDeclaration))})");
            w.Indent().Line(constraint);

            // No gradient wanted: the same program, which then skips every gradient-only step.
            var valueArguments = fields.Select(p => Id(p.Name)).Concat(fields.Select(_ => "default")).Concat(others.Select(p => Id(p.Name)));
            w.Line($"=> {Id(name + "CpuGradient")}<{t}>({string.Join(", ", valueArguments)});").Outdent();

            w.Line();
            w.Line("/// <summary>");
            w.Line($"/// {Xml.Escape(docs.Summary)} SIMD CPU back end: the loss value and its gradients.");
            w.Line("/// </summary>");
            w.Lines(docs.Remarks);
            ParameterDocs(fields);
            foreach (var p in fields)
            {
                w.Line($"/// <param name=\"{gradientNames[p.Name].TrimStart('@')}\">Receives ∂L/∂{p.Name}, shaped like {p.Name}; pass an empty span when not wanted.</param>");
            }

            ParameterDocs(others);
            w.Line("/// <returns>The loss.</returns>");
            w.Line(GeneratedCode.Attribute);
            var gradientParameters = fields.Select(SpanDeclaration)
                .Concat(fields.Select(p => $"global::System.Numerics.Tensors.TensorSpan<{t}> {gradientNames[p.Name]}"))
                .Concat(others.Select(SpanDeclaration));
            w.Line($"{model.Accessibility} static {t} {Id(name + "CpuGradient")}<{t}>({string.Join(", ", gradientParameters)})");
            w.Indent().Line(constraint).Outdent();
            using (w.OpenBlock())
            {
                WriteChecks();
                w.Line($"return {NewProgram()}.Run(ref {fieldSpans}, ref {gradientSpans});");
            }

            w.Line();
            WriteArrayOverloads();
        }

        /// <summary>
        /// Overloads over <c>LossDsl.FieldArray&lt;T&gt;</c> (an array and its shape): for callers that cannot hold a
        /// ref struct (F#, async code, fields of classes), and so that C# infers T from arrays.
        /// </summary>
        private void WriteArrayOverloads()
        {
            var fieldArray = $"global::LossDsl.FieldArray<{t}>";
            string Declaration(ParameterModel p) => p.Kind == ParameterKind.Field ? $"{fieldArray} {Id(p.Name)}" : SpanDeclaration(p);
            string Span(ParameterModel p) => p.Kind == ParameterKind.Field ? $"{Ns}CpuArguments.NotNull({Id(p.Name)}, \"{p.Name}\").AsReadOnlyTensorSpan()" : Id(p.Name);

            w.Line($"/// <inheritdoc cref=\"{SpanEntryCref(model, gradients: false)}\"/>");
            w.Line(GeneratedCode.Attribute);
            w.Line($"{model.Accessibility} static {t} {Id(name + "Cpu")}<{t}>({string.Join(", ", model.Parameters.Select(Declaration))})");
            w.Indent().Line(constraint);
            w.Line($"=> {Id(name + "Cpu")}<{t}>({string.Join(", ", model.Parameters.Select(Span))});").Outdent();
            w.Line();

            var parameters = fields.Select(Declaration)
                .Concat(fields.Select(p => $"{fieldArray}? {gradientNames[p.Name]}"))
                .Concat(others.Select(Declaration));
            var arguments = fields.Select(Span)
                .Concat(fields.Select(p => $"{gradientNames[p.Name]} is null ? default : {gradientNames[p.Name]}.AsTensorSpan()"))
                .Concat(others.Select(p => Id(p.Name)));
            w.Line($"/// <inheritdoc cref=\"{FormulasCref(model)}\"/>");
            w.Line(GeneratedCode.Attribute);
            w.Line($"{model.Accessibility} static {t} {Id(name + "CpuGradient")}<{t}>({string.Join(", ", parameters)})");
            w.Indent().Line(constraint);
            w.Line($"=> {Id(name + "CpuGradient")}<{t}>({string.Join(", ", arguments)});").Outdent();
        }

        private void WriteChecks()
        {
            var first = fields[0];
            w.Line($"var {shape} = {Ns}CpuArguments.ShapeOf({Id(first.Name)}, \"{first.Name}\");");
            foreach (var p in fields.Skip(1))
            {
                w.Line($"{Ns}CpuArguments.RequireShape({Id(p.Name)}, \"{p.Name}\", {shape}, \"{first.Name}\", {Id(first.Name)});");
            }

            foreach (var p in others.Where(p => p.Kind == ParameterKind.ClassList))
            {
                w.Line($"{Ns}CpuArguments.ClassList({Id(p.Name)}, \"{p.Name}\", {shape});");
            }

            w.Line($"var {fieldSpans} = new {Ns}FieldSpans<{t}>();");
            foreach (var p in fields)
            {
                w.Line($"{fieldSpans}.Add({Ns}CpuArguments.Data({Id(p.Name)}, \"{p.Name}\"));");
            }

            w.Line($"var {gradientSpans} = new {Ns}FieldSpans<{t}>();");
            foreach (var p in fields)
            {
                var g = gradientNames[p.Name];
                w.Line($"{gradientSpans}.Add({Ns}CpuArguments.Gradient({g}, \"{g.TrimStart('@')}\", {shape}, \"{first.Name}\", {Id(first.Name)}));");
            }
        }

        private string NewProgram() =>
            $"new {layout.Names.ProgramClass}<{t}>({string.Join(", ", new[] { shape }.Concat(others.Select(p => Id(p.Name))))})";

        private void ParameterDocs(IEnumerable<ParameterModel> parameters)
        {
            foreach (var p in parameters)
            {
                var text = p.Kind switch
                {
                    ParameterKind.Field => "A dense field laid out (B, C, *spatial); every field has the same shape.",
                    ParameterKind.ClassList => "Class indices in 0..C−1 (not empty).",
                    _ => "Hyper-parameter, widened or rounded to T before use.",
                };
                w.Line($"/// <param name=\"{p.Name}\">{text}</param>");
            }
        }

        private string SpanDeclaration(ParameterModel p)
        {
            var type = p.Kind == ParameterKind.Field ? $"global::System.Numerics.Tensors.ReadOnlyTensorSpan<{t}>" : ParameterModel.ScalarType(p.Kind);
            return p.DefaultValue.Length == 0 ? $"{type} {Id(p.Name)}" : $"{type} {Id(p.Name)} = {p.DefaultValue}";
        }

        private static string Id(string identifier) => CpuNames.Escape(identifier);
    }
}
