using System.Collections.Generic;
using System.Linq;
using LossDsl.Generators.Ir;

namespace LossDsl.Generators.Passes;

/// <summary>
/// Spatial sums of the forward that read the same full-size tensors become one <c>FusedOps.SpatialSums</c> call:
/// one sweep over memory for all of them (on CPU), instead of one pass per sum plus a product buffer for each
/// sum of a product. GDL + boundary has four (<c>Σ_x p·y</c>, <c>Σ_x y</c>, <c>Σ_x p</c>, <c>Σ_x p·φ</c>).
/// </summary>
internal sealed partial class TorchFusion
{
    /// <summary>
    /// Where each group is written (its first sum, or the softmax its sweep computes): the group in program order
    /// and that softmax (−1 for none). The members' own places are skipped.
    /// </summary>
    private readonly Dictionary<int, (int[] Sums, int Softmax)> spatialSumGroups = new();
    private readonly HashSet<int> inSpatialSumGroup = new();

    /// <summary>The groups of sums swept together, by where each is written.</summary>
    public IReadOnlyDictionary<int, (int[] Sums, int Softmax)> SpatialSumGroups => spatialSumGroups;

    /// <summary>Whether sum <paramref name="id"/> is written by the call of its group.</summary>
    public bool InSpatialSumGroup(int id) => inSpatialSumGroup.Contains(id);

    /// <summary>Groups the forward's spatial sums of full-size values (or of products of two of them).</summary>
    private void GroupSpatialSums()
    {
        var candidates = program.Nodes.Where(id => SpatialSumFactors(id, out _, out _)).ToList();
        while (candidates.Count > 0)
        {
            // Everything the first sum reads is computed by then; later sums join if theirs is too.
            var first = candidates[0];
            var group = candidates.Where(id => Factors(id).All(f => f < first || graph[f].Op == Op.Input)).ToArray();
            candidates.RemoveAll(group.Contains);
            if (group.Length < 2)
            {
                // One sum alone stays a plain Sum / SumOfProducts (which sweeps once too).
                continue;
            }

            // A softmax the group reads is computed by the same sweep when everything else the group reads exists
            // by then: the group is written in the softmax's place.
            var read = group.SelectMany(Factors).Distinct().ToArray();
            var softmax = read.Where(f => IsFusibleSoftmax(f) && read.All(g => g <= f || graph[g].Op == Op.Input)).DefaultIfEmpty(-1).First();
            spatialSumGroups[softmax >= 0 ? softmax : first] = (group, softmax);
            foreach (var id in group)
            {
                inSpatialSumGroup.Add(id);
            }
        }
    }

    private IEnumerable<int> Factors(int sum)
    {
        SpatialSumFactors(sum, out var a, out var b);
        return b >= 0 ? new[] { a, b } : new[] { a };
    }

    /// <summary>Whether <paramref name="id"/> is <c>Σ_x a</c> or <c>Σ_x a·b</c> over full-size tensors (b = −1 for the first).</summary>
    public bool SpatialSumFactors(int id, out int a, out int b)
    {
        a = b = -1;
        var node = graph[id];
        if (!program.IsForward || node.Op != Op.Sum || node.Reduce != Axes.Spatial || !plan.IsTensor[id])
        {
            return false;
        }

        var arg = node.Args[0];
        if (program.FusedInto[arg] == id)
        {
            a = graph[arg].Args[0];
            b = graph[arg].Args[1];
            return IsFullSize(a) && IsFullSize(b);
        }

        a = arg;
        return IsFullSize(a);
    }

    /// <summary>A softmax over a full-size tensor, computed in this forward and not fused into anything else.</summary>
    private bool IsFusibleSoftmax(int id) =>
        graph[id].Op == Op.Softmax && program.Computes[id] && IsFullSize(id) && IsFullSize(graph[id].Args[0]) && program.FusedInto[id] < 0;
}
