using System.Linq;
using LossDsl.Generators.Ir;
using LossDsl.Generators.Model;
using LossDsl.Generators.Passes;
using LossDsl.Generators.Tests.Harness;
using Xunit;

namespace LossDsl.Generators.Tests.Passes;

/// <summary>Decisions of the CPU planner that the snapshots show but do not name: loops merged, divisions by counts.</summary>
public sealed class LoopPlannerTests
{
    [Fact]
    public void A_class_loop_whose_values_are_read_only_later_merges_into_the_next_loop_over_the_same_classes()
    {
        // Rebalanced's gradient pass: ∂L/∂target can be computed before the scatter of the boundary term ends, ∂L/∂probs
        // only after it; both loops over all classes become one, after the loop over idc.
        var plan = PlanOf(Sources.Design, "Rebalanced");
        var gradients = plan.Passes.Single(p => p.WritesGradients);
        var loops = gradients.Blocks.Where(b => b.OverClasses).Select(b => b.Domain).ToList();
        Assert.Equal(new[] { "idc", "" }, loops);
    }

    [Fact]
    public void A_loop_whose_value_a_reduction_over_the_classes_reads_stays_where_it_is()
    {
        // The sum over the classes needs every class of e before the loop that divides by it: two loops, not one.
        var plan = PlanOf(Sources.InClass("[Loss] public static Scalar F(Field x) { var e = Exp(x); return Mean(e / SumClasses(e)); }"), "F");
        var pass = plan.Passes.Single(p => p.WritesGradients);
        Assert.True(pass.Blocks.Count(b => b.OverClasses) >= 2, "the value loop and the loop after the class sum");
        Assert.All(plan.Passes, p => Assert.True(p.Blocks.Count(b => b.OverClasses && b.Domain.Length == 0) <= 3));
    }

    [Fact]
    public void A_value_with_positions_divided_by_a_count_is_multiplied_by_its_reciprocal()
    {
        var plan = PlanOf(Sources.Design, "Boundary");
        var graph = plan.Graph;
        var wideDivisions = Enumerable.Range(0, graph.Count)
            .Where(id => graph[id].Op == Op.Divide && graph[id].Shape.Has(Axes.Spatial) && graph[graph[id].Args[1]].Op == Op.Extent);
        Assert.Empty(wideDivisions);
        // 1/n, without positions, and what the gradients multiply by it.
        var reciprocal = Enumerable.Range(0, graph.Count).Single(id => graph[id].Op == Op.Divide
            && graph[graph[id].Args[1]].Op == Op.Extent && graph[graph[id].Args[0]].Op == Op.Constant && graph[graph[id].Args[0]].Value == 1);
        Assert.False(graph[reciprocal].Shape.Has(Axes.Spatial));
        Assert.Contains(Enumerable.Range(0, graph.Count), id => graph[id].Op == Op.Multiply && graph[id].Shape.Has(Axes.Spatial) && graph[id].Args.Contains(reciprocal));
    }

    [Fact]
    public void A_division_by_a_value_that_is_not_a_count_stays_a_division()
    {
        // 1/d can overflow where x/d does not (a subnormal d): only counts, positive integers, are inverted.
        var plan = PlanOf(Sources.InClass("[Loss] public static Scalar F(Field x, Field y) => Mean(x / (SumSpatial(y) + 1e-5));"), "F");
        var graph = plan.Graph;
        Assert.Contains(Enumerable.Range(0, graph.Count), id => graph[id].Op == Op.Divide && graph[id].Shape.Has(Axes.Spatial));
    }

    [Fact]
    public void A_value_kept_per_class_only_for_a_gradient_is_kept_only_when_that_gradient_is_wanted()
    {
        // Sum(Softmax(p)): the value needs the softmax class by class only; the gradient's loop reads it back from its
        // slots after the sum over the classes. A value-only call must not store it.
        var plan = PlanOf(Sources.InClass("[Loss] public static Scalar F(Field p) => Sum(Softmax(p));"), "F");
        var pass = plan.Passes.Single();
        var softmax = pass.KeptPerClass.Select((id, i) => (id, need: pass.KeptNeed[i]))
            .Single(k => plan.Graph[k.id].Op == Op.Multiply);
        Assert.False(LoopPlan.Always(softmax.need), "kept for the value too");
        Assert.Equal(1, softmax.need);
    }

    [Fact]
    public void A_value_kept_per_class_for_the_value_is_always_kept()
    {
        // Mean(Select(Softmax(l), idc) · y): the selection reads the softmax from its slots for the loss value itself.
        var plan = PlanOf(Sources.InClass("[Loss] public static Scalar F(Field l, Field y, int[] idc) => Mean(Select(Softmax(l), idc) * Select(y, idc));"), "F");
        var first = plan.Passes.First();
        Assert.Contains(first.KeptNeed, LoopPlan.Always);
    }

    private static LoopPlan PlanOf(string source, string name)
    {
        var model = GeneratorHarness.Run(source).Model(name);
        return LoopPlanner.Plan(model.Graph, model.Result, model.Gradients.ToList());
    }
}
