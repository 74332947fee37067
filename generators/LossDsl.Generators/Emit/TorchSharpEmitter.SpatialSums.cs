using System.Collections.Generic;
using System.Linq;
using LossDsl.Generators.Ir;
using LossDsl.Generators.Passes;

namespace LossDsl.Generators.Emit;

internal static partial class TorchSharpEmitter
{
    /// <summary>The <c>FusedOps.SpatialSums</c> call of each group of sums <see cref="TorchFusion"/> sweeps together.</summary>
    private sealed partial class BodyWriter
    {
        /// <summary>The group's statements: one call, then each member's name for its slot, with its formula.</summary>
        private void WriteSpatialSums(int[] group, int softmax)
        {
            var array = names.Fresh("spatialSums");
            var factors = new List<string>();
            var cofactors = new List<string>();
            foreach (var id in group)
            {
                fusion.SpatialSumFactors(id, out var a, out var b);
                factors.Add(Ref(a));
                cofactors.Add(b >= 0 ? Ref(b) : "null");
            }

            var inSweep = "";
            if (softmax >= 0)
            {
                var logits = Ref(graph[softmax].Args[0]);
                lines.Add("// " + names.Of(softmax) + " = " + Formula(softmax) + ", written by the sweep of the sums below");
                lines.Add("var " + names.Of(softmax) + " = global::TorchSharp.torch.empty_like(" + logits + ");");
                inSweep = ", " + logits + ", " + names.Of(softmax);
            }

            lines.Add("// " + string.Join(", ", group.Select(names.Of)) + ": one sweep over the tensors they read");
            Line("var " + array + " = " + Ops + ".SpatialSums(" + Continue + "new " + Tensor + "[] { " + string.Join(", ", factors) + " }," + Continue + "new "
                + Tensor + "?[] { " + string.Join(", ", cofactors) + " }" + (inSweep.Length > 0 ? "," + Continue + inSweep.Substring(2) : "") + ");");
            for (var k = 0; k < group.Length; k++)
            {
                lines.Add("// " + names.Of(group[k]) + " = " + Formula(group[k]));
                lines.Add("var " + names.Of(group[k]) + " = " + array + "[" + k + "];");
            }
        }
    }
}
