using System.Collections.Generic;
using System.Linq;
using LossDsl.Generators.Ir;
using LossDsl.Generators.Passes;

namespace LossDsl.Generators.Emit;

internal static partial class TorchSharpEmitter
{
    /// <summary>
    /// The <c>FusedOps.AffineGradient</c> calls of the gradients <see cref="TorchFusion"/> found affine in full-size
    /// tensors, and their formulas.
    /// </summary>
    private sealed partial class BodyWriter
    {
        /// <summary>Marks where a long generated call continues on the next line (see <see cref="Line"/>).</summary>
        private const string Continue = "\u0001";

        /// <summary>Whether an expression goes on over several lines (it carries <see cref="Continue"/> marks).</summary>
        public static bool Continues(string expression) => expression.Contains(Continue);

        /// <summary>The <c>AffineGradient</c> call of node <paramref name="id"/>, with the incoming gradient or without.</summary>
        private string AffineExpression(int id, bool withGradOutput)
        {
            var affine = fusion.AffineGradients[id];
            // A field in several terms is read once, with the sum of its coefficients (small tensors).
            var byField = affine.Terms.GroupBy(t => t.Field).ToArray();
            var fields = byField.Select(g => Ref(g.Key));
            var coefficients = byField.Select(g => g.Skip(1).Aggregate(Coefficient(g.First().Coefficient, g.First().Negative, g.First().Reciprocal),
                (sum, t) => sum + ".add(" + Coefficient(t.Coefficient, t.Negative, t.Reciprocal) + ")"));
            var constant = affine.Constants.Count == 0
                ? "null"
                : affine.Constants.Skip(1).Aggregate(Coefficient(affine.Constants[0].Value, affine.Constants[0].Negative, false),
                    (sum, c) => sum + ".add(" + Coefficient(c.Value, c.Negative, false) + ")");
            // One argument group per line: fields, their coefficients, then constant, softmax and scale.
            return Ops + ".AffineGradient(" + Continue + "new " + Tensor + "[] { " + string.Join(", ", fields) + " }," + Continue + "new " + Tensor + "[] { "
                + string.Join(", ", coefficients) + " }," + Continue + constant + ", " + (affine.Softmax >= 0 ? Ref(affine.Softmax) : "null") + ", "
                + (withGradOutput ? names.GradOutput : "null") + ")";
        }

        /// <summary>A coefficient as a small tensor (a host value becomes a 0-dim tensor on the gradient's device).</summary>
        private string Coefficient(int id, bool negative, bool reciprocal)
        {
            if (id < 0)
            {
                return Ops + ".Constant(" + (negative ? "-1.0" : "1.0") + ", " + names.GradOutput + ")";
            }

            if (!plan.IsTensor[id])
            {
                var value = (reciprocal ? "1.0 / " : "") + Ref(id);
                return Ops + ".Constant(" + (negative ? Negated(value) : value) + ", " + names.GradOutput + ")";
            }

            return Ref(id) + (reciprocal ? ".reciprocal()" : "") + (negative ? (reciprocal ? ".neg_()" : ".neg()") : "");
        }

        /// <summary>A gradient formula for the comment above the call: u, and the softmax backward around it.</summary>
        private string AffineFormula(int id)
        {
            var affine = fusion.AffineGradients[id];
            var parts = affine.Terms.Select(t => (t.Negative ? "− " : "+ ") + names.Of(t.Field) + (t.Coefficient >= 0 ? (t.Reciprocal ? "/" : "·") + Short(t.Coefficient) : ""))
                .Concat(affine.Constants.Select(c => (c.Negative ? "− " : "+ ") + Short(c.Value)));
            var u = string.Join(" ", parts);
            u = u.StartsWith("+ ", System.StringComparison.Ordinal) ? u.Substring(2) : "−" + u.Substring(2);
            return affine.Softmax >= 0 ? names.Of(affine.Softmax) + "·(u − Σ_c u·" + names.Of(affine.Softmax) + "), u = " + u : u;
        }

        /// <summary>The formula of a gradient root for its comment (an affine one as the call computes it).</summary>
        public string GradientFormula(int root) =>
            fusion.IsOneSweep(root) ? AffineFormula(root) + ", in one sweep" : Formula(root);

        private string Short(int id) => graph[id].Op == Op.Constant ? FormulaPrinter.Print(graph, id) : names.Of(id);
    }
}
