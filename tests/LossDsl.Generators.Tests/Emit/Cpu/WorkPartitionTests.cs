using System.Linq;
using LossDsl.Generators.Tests.Harness;
using Xunit;

namespace LossDsl.Generators.Tests.Emit.Cpu;

/// <summary>
/// A work item of a CPU program is one batch item's run of positions, unless a pass keeps a sum or maximum over the
/// batch per position: that running value is built batch item by batch item, in order, so every batch item of its
/// positions must be in one work item (results then do not depend on the thread count either way).
/// </summary>
public sealed class WorkPartitionTests
{
    [Fact]
    public void A_loss_without_a_batch_reduction_per_position_runs_batch_items_apart()
    {
        var text = Generated("[Loss] public static Scalar Dice(Field p, Field y) => Mean(1 - 2 * SumSpatial(p * y) / (SumSpatial(p) + SumSpatial(y) + 1e-5));");
        Assert.Contains(": base(shape)", text);
        Assert.DoesNotContain("batchesTogether", text);
        Assert.Contains("for (var b = firstBatch; b < endBatch; b++)", text);
    }

    [Fact]
    public void A_batch_reduction_kept_per_position_keeps_the_batch_items_of_a_run_together()
    {
        var text = Generated("[Loss] public static Scalar Peak(Field p, Field dist) => Mean(MaxClasses(p) * MaxBatch(dist));");
        Assert.Contains("MaxInto(", text);
        Assert.Contains(": base(shape, batchesTogether: true)", text);
    }

    private static string Generated(string member)
    {
        var run = GeneratorHarness.Run(Sources.InClass(member));
        Assert.Empty(GeneratedCode.Problems(run));
        return string.Join("\n", run.Sources.Select(s => s.SourceText.ToString()));
    }
}
