using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using LossDsl.Generators.Ir;
using LossDsl.Generators.Model;
using LossDsl.Generators.Tests.Harness;
using Microsoft.CodeAnalysis;
using Xunit.Sdk;

namespace LossDsl.Generators.Tests.Differential;

/// <summary>
/// Losses compiled by the generator, as a build would, and loaded: each loss's model (the graph the interpreter
/// evaluates) next to its generated CPU entry points, called through their <c>FieldArray</c> overloads. Used by the
/// differential test (one class of random losses) and by the fuzzer (whatever its valid inputs declare).
/// </summary>
internal sealed class CompiledLosses
{
    private const string Namespace = "Differential";
    private const string ClassName = "RandomLosses";
    private readonly Assembly assembly;
    private readonly Dictionary<string, LossModel> models;

    private CompiledLosses(Assembly assembly, IEnumerable<LossModel> models)
    {
        this.assembly = assembly;
        this.models = models.GroupBy(m => m.Name).ToDictionary(g => g.Key, g => g.First());
    }

    public static string Source(IEnumerable<RandomLoss> losses) =>
        "using LossDsl;\nusing static LossDsl.Dsl;\n\nnamespace " + Namespace + ";\n\npublic static partial class " + ClassName + "\n{\n"
        + RandomLossSource.Helper + "\n\n" + string.Join("\n", losses.Select(l => l.Declaration)) + "}\n";

    /// <summary>Runs the generator on the batch and loads the result; throws with the source when anything does not compile.</summary>
    public static CompiledLosses Compile(IReadOnlyList<RandomLoss> losses)
    {
        var source = Source(losses);
        var run = GeneratorHarness.Run(source);
        var problems = run.Diagnostics.Concat(run.Output.GetDiagnostics())
            .Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Id is not ("CS1591" or "CS1701" or "CS1702"))
            .ToList();
        using var image = new MemoryStream();
        var emitted = run.Output.Emit(image);
        problems.AddRange(emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
        if (problems.Count > 0)
        {
            throw new XunitException("the random losses do not compile:\n"
                + string.Join("\n", problems.Take(10).Select(p => p + "\n" + Around(p))) + "\n\n" + source);
        }

        image.Position = 0;
        return Load(image, run.Models, "differential");
    }

    /// <summary>Loads an emitted image (into a collectible context) whose losses are <paramref name="models"/>.</summary>
    public static CompiledLosses Load(Stream image, IEnumerable<LossModel> models, string contextName)
    {
        var context = new AssemblyLoadContext(contextName, isCollectible: true);
        return new CompiledLosses(context.LoadFromStream(image), models);
    }

    /// <summary>A static method of the loaded image, for tests that plant a hand-written entry point next to a loss.</summary>
    public MethodInfo Method(string typeFullName, string name) =>
        assembly.GetType(typeFullName)?.GetMethod(name) ?? throw new XunitException($"the compiled image has no {typeFullName}.{name}");

    /// <summary>The loss named <paramref name="name"/> (the differential test's batch has one class and no overloads).</summary>
    public CompiledLoss Loss(string name) => Loss(models[name]) ?? throw new XunitException("the compiled batch has no " + name + "Cpu");

    /// <summary>
    /// The generated CPU entry points of <paramref name="model"/>, or null when they cannot be called by reflection
    /// without more context (a generic containing type, or no such method in the image).
    /// </summary>
    public CompiledLoss? Loss(LossModel model)
    {
        var type = TypeOf(model);
        if (type is null || type.ContainsGenericParameters)
        {
            return null;
        }

        var fields = model.Parameters.Where(p => p.Kind == ParameterKind.Field).ToList();
        var others = model.Parameters.Where(p => p.Kind != ParameterKind.Field).ToList();
        var value = Find(type, model.Name + "Cpu", model.Parameters.Select(p => p.Kind).ToList());
        // The gradient overload: the fields, one (nullable) gradient array per field, then the other parameters.
        var gradient = Find(type, model.Name + "CpuGradient", fields.Concat(fields).Concat(others).Select(p => p.Kind).ToList());
        return value is null || gradient is null ? null : new CompiledLoss(model, value, gradient);
    }

    /// <summary>The generated lines around a diagnostic, to see what the emitter wrote.</summary>
    public static string Around(Diagnostic diagnostic)
    {
        var tree = diagnostic.Location.SourceTree;
        if (tree is null)
        {
            return "";
        }

        var lines = tree.GetText().Lines;
        var line = diagnostic.Location.GetLineSpan().StartLinePosition.Line;
        return string.Join("\n", Enumerable.Range(Math.Max(0, line - 12), Math.Min(16, lines.Count - Math.Max(0, line - 12))).Select(i => "    | " + lines[i]));
    }

    /// <summary>The declaring type: its C# full name (nested types dotted, no arity, no <c>@</c>) is the model's.</summary>
    private Type? TypeOf(LossModel model)
    {
        static string Plain(string name) => name.Replace("@", "", StringComparison.Ordinal);
        var wanted = Plain(model.TypeFullName);
        return assembly.GetTypes().FirstOrDefault(t => t.FullName is { } full
            && Plain(System.Text.RegularExpressions.Regex.Replace(full.Replace('+', '.'), @"`\d+", "")) == wanted);
    }

    /// <summary>The <c>FieldArray</c> overload of a generated entry point whose parameters have the given kinds.</summary>
    private static MethodInfo? Find(Type type, string name, IReadOnlyList<ParameterKind> kinds)
    {
        static bool Takes(Type type, ParameterKind kind) => kind switch
        {
            ParameterKind.Field => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(FieldArray<>),
            ParameterKind.Float => type == typeof(float),
            ParameterKind.Double => type == typeof(double),
            ParameterKind.Int => type == typeof(int),
            _ => type == typeof(int[]),
        };

        return type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            .FirstOrDefault(m => m.Name == name && m.IsGenericMethodDefinition && m.GetParameters() is var parameters
                && parameters.Length == kinds.Count && parameters.Select((p, i) => Takes(p.ParameterType, kinds[i])).All(ok => ok));
    }
}

/// <summary>The values a loss's non-field parameters get: hyper-parameters and class lists, by parameter name.</summary>
internal sealed record LossArguments(IReadOnlyDictionary<string, double> Hypers, IReadOnlyDictionary<string, int[]> ClassLists);

/// <summary>One loss: its model, its fields and other parameters in declaration order, and its CPU entry points.</summary>
internal sealed class CompiledLoss
{
    private readonly MethodInfo value;
    private readonly MethodInfo gradient;

    public CompiledLoss(LossModel model, MethodInfo value, MethodInfo gradient)
    {
        Model = model;
        this.value = value;
        this.gradient = gradient;
        Fields = model.Parameters.Where(p => p.Kind == ParameterKind.Field).ToList();
        Others = model.Parameters.Where(p => p.Kind != ParameterKind.Field).ToList();
    }

    public LossModel Model { get; }

    public IReadOnlyList<ParameterModel> Fields { get; }

    public IReadOnlyList<ParameterModel> Others { get; }

    /// <summary>The loss has no kink anywhere in its graph (abs, min, max, clamp, step, maxima): finite differences apply.</summary>
    public bool Smooth => Model.Graph.Nodes.All(n => n.Op is not (Op.Abs or Op.Sign or Op.Minimum or Op.Maximum or Op.GreaterOrEqual or Op.MaxOver or Op.Step));

    /// <summary>
    /// The value a hyper-parameter gets: its declared default when it has a plain numeric one, else 0.75 (2 for an
    /// int), rounded to the parameter's type (the generated code receives it so, the interpreter must too).
    /// </summary>
    public static double HyperValue(ParameterModel parameter)
    {
        var text = parameter.DefaultValue.TrimEnd('f', 'F', 'd', 'D', 'm', 'M');
        var value = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : parameter.Kind == ParameterKind.Int ? 2 : 0.75;
        return parameter.Kind switch
        {
            ParameterKind.Float => (float)value,
            ParameterKind.Int => Math.Round(value),
            _ => value,
        };
    }

    /// <summary>The same loss with another gradient entry point (of the same signature): planted bugs.</summary>
    public CompiledLoss WithGradient(MethodInfo other) => new(Model, value, other);

    /// <summary>The generated value-only entry point.</summary>
    public T Value<T>(FieldArray<T>[] fields, LossArguments arguments) =>
        (T)Invoke<T>(value, Model.Parameters.Select(p => p.Kind == ParameterKind.Field ? fields[IndexOf(p)] : Argument(p, arguments)).ToArray())!;

    /// <summary>The generated value-and-gradient entry point; a null gradient is not wanted.</summary>
    public T Gradient<T>(FieldArray<T>[] fields, FieldArray<T>?[] gradients, LossArguments arguments) =>
        (T)Invoke<T>(gradient, fields.Cast<object?>().Concat(gradients).Concat(Others.Select(p => Argument(p, arguments))).ToArray())!;

    private int IndexOf(ParameterModel field)
    {
        for (var i = 0; i < Fields.Count; i++)
        {
            if (ReferenceEquals(Fields[i], field) || Fields[i] == field)
            {
                return i;
            }
        }

        throw new ArgumentException("not a field of the loss: " + field.Name, nameof(field));
    }

    private static object Argument(ParameterModel p, LossArguments arguments)
    {
        if (p.Kind == ParameterKind.ClassList)
        {
            return arguments.ClassLists[p.Name];
        }

        var v = arguments.Hypers[p.Name];
        return p.Kind switch
        {
            ParameterKind.Float => (object)(float)v,
            ParameterKind.Int => (object)(int)v,
            _ => (object)v,
        };
    }

    private static object? Invoke<T>(MethodInfo method, object?[] arguments)
    {
        try
        {
            return method.MakeGenericMethod(typeof(T)).Invoke(null, arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }
}
