using System;
using System.Collections.Generic;
using System.Linq;
using LossDsl.Generators.Common;
using LossDsl.Generators.Emit;
using LossDsl.Generators.Emit.Cpu;
using LossDsl.Generators.Model;
using LossDsl.Generators.Parsing;
using LossDsl.Generators.Passes;

namespace LossDsl.Generators;

/// <summary>
/// The one path from what a compiled loss stores on its <c>NameInfo</c> (the forward graph and the declaration facts
/// of <c>LossDsl.LossInfo</c>) to its generated TorchSharp and CPU code: read the graph, differentiate it, name shared
/// values, emit. The generator writes every file's code through this path too, so code regenerated from a compiled
/// assembly (<c>lossdsl inspect</c>) is the code that was compiled, without the file carrying a copy of it.
/// </summary>
public static class LossSources
{
    /// <summary>Generates the code of a loss from what its <c>LossInfo</c> stores.</summary>
    /// <param name="graph">The forward graph (<c>LossInfo.Graph</c>).</param>
    /// <param name="name">The loss's name.</param>
    /// <param name="declaringType">The declaring type's full name.</param>
    /// <param name="parameters">The parameters as <c>LossInfo.Parameters</c> lists them (<c>Field probs</c>, <c>float alpha = 0.3f</c>…).</param>
    /// <param name="accessibility">The declaration's accessibility keyword(s), e.g. <c>public</c>.</param>
    /// <param name="summary">The declaration's summary text, or empty.</param>
    /// <param name="reservedNames">The declaring type's member names that generated members avoid.</param>
    /// <exception cref="FormatException">The graph or a parameter is not in the generator's stored form.</exception>
    public static GeneratedLossSource Generate(
        string graph,
        string name,
        string declaringType,
        IReadOnlyList<string> parameters,
        string accessibility,
        string summary,
        IReadOnlyList<string> reservedNames) =>
        Emit(Plan(Differentiate(new StoredLoss(graph, name, declaringType, parameters.ToEquatableArray(), accessibility, summary, reservedNames.ToEquatableArray()))));

    /// <summary>
    /// The generator's differentiate step. The declared loss is differentiated once to name the values its gradients
    /// share (<c>plus</c>, so that its adjoint reads <c>dL_dplus</c>), then goes through the form its file stores and
    /// back, so that the code generated from it is the code a tool regenerates from that stored form.
    /// </summary>
    internal static DifferentiatedLoss Differentiate(DeclaredLoss loss)
    {
        var declaration = loss.Declaration;
        var named = LossModelFactory.Create(declaration, loss.Forward, loss.Result);
        var differentiated = Differentiate(StoredLoss.From(named));
        return differentiated with { Model = differentiated.Model with { Namespace = declaration.Namespace, ContainingTypes = declaration.ContainingTypes } };
    }

    /// <summary>The plan step: the CPU back end's loop plan of a differentiated loss.</summary>
    internal static PlannedLoss Plan(DifferentiatedLoss loss) =>
        new(loss.Model, loss.Stored, LoopPlanner.Plan(loss.Model.Graph, loss.Model.Result, loss.Model.Gradients.ToList()));

    /// <summary>
    /// The differentiate step from a stored loss: the emitters' model of it. It knows only what the file stores (no
    /// namespace, no enclosing types: the code of the class body does not use them), so the generator cannot depend on
    /// anything a tool lacks.
    /// </summary>
    internal static DifferentiatedLoss Differentiate(StoredLoss stored)
    {
        var (forward, result) = Ir.GraphText.ReadGraph(stored.Graph)
            ?? throw new FormatException($"the stored graph of {stored.DeclaringType}.{stored.Name} is not one this generator reads");
        var parameters = new List<ParameterModel>();
        foreach (var parameter in stored.Parameters)
        {
            parameters.Add(ParameterText.Parse(parameter));
        }

        var declaration = new LossDeclaration(
            "",
            EquatableArray<string>.Empty,
            stored.DeclaringType,
            stored.Name,
            stored.Accessibility,
            stored.Summary,
            parameters.ToEquatableArray(),
            stored.ReservedNames);
        return new DifferentiatedLoss(LossModelFactory.Create(declaration, forward, result), stored);
    }

    /// <summary>The class-body code of both back ends.</summary>
    internal static GeneratedLossSource Emit(PlannedLoss loss)
    {
        var model = loss.Model;
        var cpu = new IndentedWriter();
        CpuEmitter.Emit(cpu, model, loss.Plan);
        var torch = new IndentedWriter();
        // The TorchSharp forward runs the CPU program on CPU tensors: it names the class the CPU emitter wrote.
        TorchSharpEmitter.Emit(torch, model, new CpuNames(loss.Plan.Graph, model).ProgramClass);
        return new GeneratedLossSource(torch.ToString(), cpu.ToString());
    }
}
