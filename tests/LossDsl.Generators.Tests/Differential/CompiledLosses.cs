using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using LossDsl.Generators.Model;
using LossDsl.Generators.Tests.Harness;
using Microsoft.CodeAnalysis;
using Xunit.Sdk;

namespace LossDsl.Generators.Tests.Differential;

/// <summary>
/// A batch of random losses compiled by the generator, as a build would, and loaded: each loss's model (the graph
/// the interpreter evaluates) next to its generated CPU entry points, called through their <c>FieldArray</c>
/// overloads.
/// </summary>
internal sealed class CompiledLosses
{
    private const string Namespace = "Differential";
    private const string ClassName = "RandomLosses";
    private readonly Type type;
    private readonly Dictionary<string, LossModel> models;

    private CompiledLosses(Type type, Dictionary<string, LossModel> models)
    {
        this.type = type;
        this.models = models;
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
        var context = new AssemblyLoadContext("differential", isCollectible: true);
        var assembly = context.LoadFromStream(image);
        var type = assembly.GetType(Namespace + "." + ClassName) ?? throw new XunitException("the compiled batch has no " + ClassName);
        return new CompiledLosses(type, run.Models.ToDictionary(m => m.Name));
    }

    public LossModel Model(string name) => models[name];

    /// <summary>The generated lines around a diagnostic, to see what the emitter wrote.</summary>
    private static string Around(Diagnostic diagnostic)
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

    /// <summary>The generated value-only entry point.</summary>
    public T Value<T>(string name, FieldArray<T>[] fields, int[] idc, double h) =>
        (T)Invoke<T>(name + "Cpu", fields.Cast<object>().Concat(new object[] { idc, h }).ToArray())!;

    /// <summary>The generated value-and-gradient entry point; a null gradient is not wanted.</summary>
    public T Gradient<T>(string name, FieldArray<T>[] fields, FieldArray<T>?[] gradients, int[] idc, double h) =>
        (T)Invoke<T>(name + "CpuGradient", fields.Cast<object?>().Concat(gradients).Concat(new object[] { idc, h }).ToArray())!;

    private object? Invoke<T>(string method, object?[] arguments)
    {
        var candidate = type.GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Single(m => m.Name == method && m.GetParameters()[0].ParameterType.IsGenericType
                && m.GetParameters()[0].ParameterType.GetGenericTypeDefinition() == typeof(FieldArray<>));
        try
        {
            return candidate.MakeGenericMethod(typeof(T)).Invoke(null, arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }
}
