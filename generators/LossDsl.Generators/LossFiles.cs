using System;
using System.Collections.Generic;
using System.Linq;
using LossDsl.Generators.Common;
using LossDsl.Generators.Diagnostics;
using LossDsl.Generators.Emit;
using LossDsl.Generators.Model;
using LossDsl.Generators.Parsing;

namespace LossDsl.Generators;

/// <summary>
/// The compiler as a library, for front ends that run outside Roslyn's generator host (the F# quotation compiler of
/// <c>LossDsl.FSharp</c> at run time): a forward graph built with <see cref="LossGraphBuilder"/> and its declaration
/// go through the generator's own steps (differentiate, plan, emit the file), so the file is byte for byte the one the
/// source generator writes for a <c>[Loss]</c> with that graph, parameters and declaring type.
/// </summary>
public static class LossFiles
{
    /// <summary>Generates the whole source file of a loss.</summary>
    /// <param name="builder">The builder holding the forward graph.</param>
    /// <param name="result">The node of the loss value (a scalar).</param>
    /// <param name="name">The loss's name (a C# identifier).</param>
    /// <param name="nameSpace">The namespace of the declaring class (dotted C# identifiers).</param>
    /// <param name="className">The declaring class (<c>public static partial class</c>).</param>
    /// <param name="parameters">The parameters as <c>LossInfo.Parameters</c> lists them (<c>Field probs</c>, <c>double alpha</c>, <c>int[] idc</c>).</param>
    /// <exception cref="FormatException">A parameter is not in the stored form.</exception>
    /// <exception cref="ArgumentException">The result is not a scalar node of the builder.</exception>
    public static GeneratedLossFile Generate(LossGraphBuilder builder, int result, string name, string nameSpace, string className, IReadOnlyList<string> parameters)
    {
        if (builder is null)
        {
            throw new ArgumentNullException(nameof(builder));
        }

        var graph = builder.ToGraph();
        if (result < 0 || result >= graph.Nodes.Count || !builder.IsScalar(result))
        {
            throw new ArgumentException("the result must be a scalar node of the builder", nameof(result));
        }

        var declaration = new LossDeclaration(
            nameSpace,
            new[] { "public static partial class " + className }.ToEquatableArray(),
            nameSpace.Length == 0 ? className : nameSpace + "." + className,
            name,
            "public",
            "",
            parameters.Select(ParameterText.Parse).ToEquatableArray(),
            new[] { name }.ToEquatableArray());
        // The generator's pipeline, step by step (LossGenerator.Initialize): declared → differentiated → planned → file.
        var planned = LossSources.Plan(LossSources.Differentiate(new DeclaredLoss(declaration, graph, result)));
        return new GeneratedLossFile(LossFileEmitter.Emit(planned), planned.Stored.Graph, LossSources.Emit(planned));
    }

    /// <summary>
    /// The message of diagnostic <paramref name="id"/> (<c>LD0001</c>…) with its arguments, worded as the generator
    /// reports it, so that another front end's errors read the same.
    /// </summary>
    /// <exception cref="ArgumentException">No diagnostic has that id.</exception>
    public static string Message(string id, params object[] args)
    {
        var descriptor = typeof(DiagnosticDescriptors).GetFields()
            .Select(f => f.GetValue(null))
            .OfType<Microsoft.CodeAnalysis.DiagnosticDescriptor>()
            .FirstOrDefault(d => d.Id == id)
            ?? throw new ArgumentException($"no LossDsl diagnostic has the id '{id}'", nameof(id));
        return string.Format(System.Globalization.CultureInfo.InvariantCulture, descriptor.MessageFormat.ToString(System.Globalization.CultureInfo.InvariantCulture), args);
    }
}

/// <summary>A generated loss file: its text, the stored forward graph it carries, and its class-body code by back end.</summary>
public sealed class GeneratedLossFile
{
    internal GeneratedLossFile(string text, string graph, GeneratedLossSource code)
    {
        Text = text;
        Graph = graph;
        Code = code;
    }

    /// <summary>The whole file, as the source generator would add it to a compilation.</summary>
    public string Text { get; }

    /// <summary>The stored forward graph (<c>lossdsl-graph-v1</c>), as <c>NameInfo.Graph</c> holds it.</summary>
    public string Graph { get; }

    /// <summary>The class-body code of each back end.</summary>
    public GeneratedLossSource Code { get; }
}
