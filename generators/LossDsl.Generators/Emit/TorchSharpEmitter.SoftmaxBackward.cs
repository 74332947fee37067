using LossDsl.Generators.Ir;

namespace LossDsl.Generators.Emit;

internal static partial class TorchSharpEmitter
{
    /// <summary>The softmax-backward pattern of the backward program (taken over by <c>AffineGradient</c> when u is affine).</summary>
    private sealed partial class BodyWriter
    {
        /// <summary>
        /// The backward of softmax, <c>p·(u − Σ_c u·p)</c> (what the derivative rule of softmax produces), computed by
        /// <c>FusedOps.SoftmaxBackward</c>: three passes on u's buffer instead of five temporaries.
        /// </summary>
        private bool IsSoftmaxBackward(int id, out int u, out int p, out int difference, out int sum, out int product)
        {
            u = p = difference = sum = product = -1;
            var node = graph[id];
            if (program.IsForward || node.Op != Op.Multiply || !plan.IsTensor[id] || node.Shape.Axes != Axes.All)
            {
                return false;
            }

            for (var k = 0; k < 2; k++)
            {
                p = node.Args[k];
                difference = node.Args[1 - k];
                var d = graph[difference];
                if (graph[p].Op != Op.Softmax || d.Op != Op.Subtract || !program.Computes[difference] || program.Uses[difference] != 1)
                {
                    continue;
                }

                u = d.Args[0];
                sum = d.Args[1];
                var s = graph[sum];
                if (s.Op != Op.Sum || s.Reduce != Axes.Class || !program.Computes[sum] || program.Uses[sum] != 1
                    || graph[u].Shape.Axes != Axes.All || graph[u].Shape.ClassDomain.Length != 0 || !plan.IsTensor[u])
                {
                    continue;
                }

                product = s.Args[0];
                var m = graph[product];
                if (m.Op == Op.Multiply && program.Computes[product] && program.Uses[product] == 1
                    && ((m.Args[0] == u && m.Args[1] == p) || (m.Args[0] == p && m.Args[1] == u)))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
