using System.Linq;
using Xunit;

namespace LossDsl.Tests.Losses;

/// <summary>Every built-in is listed in <see cref="LossCatalog"/> with its formula, a gradient per field, both back ends and the graph their code is regenerated from.</summary>
public sealed class CatalogueTests
{
    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var name in new[]
        {
            "Boundary", "BoundaryFromLogits", "CrossEntropy", "CrossEntropyFromLogits", "Focal", "FocalFromLogits",
            "Dice", "DiceFromLogits", "GeneralizedDice", "GeneralizedDiceFromLogits", "GeneralizedDiceMonai",
            "GeneralizedDiceMonaiFromLogits", "Tversky", "TverskyFromLogits", "HausdorffDT", "HausdorffDTFromLogits",
            "GdlBoundary", "GdlBoundaryFromLogits", "CrossEntropyBoundary", "CrossEntropyBoundaryFromLogits",
            "DiceCrossEntropy", "DiceCrossEntropyFromLogits",
        })
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_builtin_is_in_the_catalogue_with_both_back_ends(string name)
    {
        _ = SegmentationLosses.BoundaryInfo; // loads the assembly, whose module initializer registers the built-ins
        Assert.True(LossCatalog.TryGet("LossDsl.SegmentationLosses." + name, out var info), $"{name} is not in the catalogue");
        Assert.StartsWith("L = ", info.Formula);
        var fields = info.Parameters.Where(p => p.StartsWith("Field ")).Select(p => p.Split(' ')[1]).ToArray();
        Assert.Equal(fields.OrderBy(f => f), info.Gradients.Keys.OrderBy(k => k));
        // The code itself is not stored (tools regenerate it from the graph; the generator's tests check that): both
        // back ends' entry points exist, and the graph they are regenerated from is there.
        Assert.StartsWith("lossdsl-graph-v1\n", info.Graph);
        Assert.Equal("public", info.Accessibility);
        var methods = typeof(SegmentationLosses).GetMethods().Select(m => m.Name).ToHashSet();
        Assert.Contains(name, methods);
        Assert.Contains(name + "Cpu", methods);
    }
}
