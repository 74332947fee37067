using System.Collections.Generic;
using System.Linq;
using LossDsl.Generators.Ir;
using LossDsl.Generators.Model;
using LossDsl.Generators.Passes;

namespace LossDsl.Generators.Emit.Cpu;

/// <summary>
/// The members of one generated program class and what the writers share about the loss: names of the pass
/// methods, of the partial-slot counts and offsets, the field index of every input, and the C# forms of extents.
/// Every name is taken from <see cref="CpuNames"/> before any method scope is opened.
/// </summary>
internal sealed class ProgramLayout
{
    public ProgramLayout(LossModel model, LoopPlan plan)
    {
        Model = model;
        Plan = plan;
        Names = new CpuNames(plan.Graph, model);
        Formulas = new CodeFormulas(plan.Graph, id => Names[id], Names.ClassList);
        FieldParameters = model.Parameters.Where(p => p.Kind == ParameterKind.Field).ToList();
        PassMethods = plan.Passes.Select(p => Names.Fresh("Pass" + (p.Number + 1))).ToList();
        PassSlots = plan.Passes.Select(p => Names.Fresh("pass" + (p.Number + 1) + "Slots")).ToList();
        foreach (var pass in plan.Passes)
        {
            foreach (var r in pass.Reductions)
            {
                Offsets[r] = Names.Fresh(Names[r].TrimStart('@') + "Slot");
            }
        }

        // A value without positions that no pass reads and that Execute computes outside any condition lives in
        // Execute alone: a local there, not a field of the program.
        var readByPasses = new HashSet<int>(plan.Passes.SelectMany(ReadsOf));
        var unconditional = plan.SmallNodes.SelectMany(stage => stage).Where(id => Condition(plan.Need[id]) is null)
            .Concat(plan.Passes.Where(p => Condition(p.Need) is null).SelectMany(p => p.Reductions));
        locals = new HashSet<int>(unconditional.Where(id => !readByPasses.Contains(id)));
    }

    private readonly HashSet<int> locals;

    public LossModel Model { get; }

    public LoopPlan Plan { get; }

    public Graph Graph => Plan.Graph;

    public CpuNames Names { get; }

    public CodeFormulas Formulas { get; }

    public IReadOnlyList<ParameterModel> FieldParameters { get; }

    public IReadOnlyList<string> PassMethods { get; }

    /// <summary>Per pass, the field holding the number of partials each work item leaves.</summary>
    public IReadOnlyList<string> PassSlots { get; }

    /// <summary>Per reduction over the positions, the field holding its offset among a work item's partials.</summary>
    public Dictionary<int, string> Offsets { get; } = new();

    /// <summary>Whether value <paramref name="id"/> (without positions) is a local of Execute rather than a field.</summary>
    public bool IsLocal(int id) => locals.Contains(id);

    /// <summary>Every value a pass's steps read or produce.</summary>
    public IEnumerable<int> ReadsOf(PassPlan pass) =>
        pass.Blocks.SelectMany(b => b.Groups).SelectMany(g => g.Steps)
            .SelectMany(step => step.Kind == StepKind.Compute ? Graph[step.Node].Args.Prepend(step.Node) : new[] { step.Node });

    /// <summary>T, as the program and entry points call their type parameter.</summary>
    public string T => Names.TypeParameter;

    /// <summary>The declaration-order index of field input <paramref name="id"/>.</summary>
    public int FieldIndex(int id) => FieldParameters.Select(p => p.Name).ToList().IndexOf(Graph[id].Name);

    /// <summary>The number of classes of a class domain ("" is all of them).</summary>
    public string DomainLength(string domain) => domain.Length == 0 ? "Shape.Classes" : Names.ClassList(domain) + ".Length";

    /// <summary>
    /// The number of (b, c) entries one work item leaves of a reduction over the positions: a reduction kept per batch
    /// item has a row per batch item of the work item (<c>FusedProgram.BatchesPerItem</c>).
    /// </summary>
    public string PartialsOf(Shape shape)
    {
        var factors = new List<string>();
        if (shape.Has(Axes.Batch))
        {
            factors.Add("BatchesPerItem");
        }

        if (shape.Has(Axes.Class))
        {
            factors.Add(DomainLength(shape.ClassDomain));
        }

        return factors.Count == 0 ? "1" : string.Join(" * ", factors);
    }

    public string Batches(Shape shape) => shape.Has(Axes.Batch) ? "Shape.Batches" : "0";

    public string Classes(Shape shape) => shape.Has(Axes.Class) ? DomainLength(shape.ClassDomain) : "0";

    /// <summary>A need mask as a condition, or null for "always".</summary>
    public string? Condition(int need, IReadOnlyDictionary<int, string>? wants = null)
    {
        if (LoopPlan.Always(need))
        {
            return null;
        }

        var terms = Enumerable.Range(0, FieldParameters.Count).Where(f => (need & (1 << f)) != 0)
            .Select(f => wants is not null && wants.TryGetValue(f, out var local) ? local : $"WantsGradient({f})");
        return string.Join(" || ", terms);
    }
}
