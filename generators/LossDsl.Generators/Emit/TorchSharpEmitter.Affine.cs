using System.Collections.Generic;
using System.Linq;
using LossDsl.Generators.Ir;

namespace LossDsl.Generators.Emit;

internal static partial class TorchSharpEmitter
{
    /// <summary>
    /// Gradients that are affine in full-size tensors, <c>u = Σ_k F_k·a_k + a_0</c> with small coefficients a (no
    /// spatial axis), become one <c>FusedOps.AffineGradient</c> call, together with the softmax backward
    /// <c>p·(u − Σ_c u·p)</c> that follows them and the incoming gradient: one sweep that writes the gradient (on
    /// CPU), instead of a pass per term, three for the softmax backward and one for the incoming gradient. This is
    /// the shape of every gradient of a loss built from spatial sums of products (Dice family, boundary, Tversky…).
    /// </summary>
    private sealed partial class BodyWriter
    {
        /// <summary>Marks where a long generated call continues on the next line (see <see cref="Line"/>).</summary>
        private const string Continue = "\u0001";

        /// <summary>Whether an expression goes on over several lines (it carries <see cref="Continue"/> marks).</summary>
        public static bool Continues(string expression) => expression.Contains(Continue);

        private readonly Dictionary<int, Affine> affineGradients = new();

        /// <summary>Where a gradient node is computed by <c>AffineGradient</c>: its terms, and the softmax it goes through.</summary>
        private sealed class Affine
        {
            public List<(int Field, int Coefficient, bool Negative, bool Reciprocal)> Terms { get; } = new();

            public List<(int Value, bool Negative)> Constants { get; } = new();

            /// <summary>The nodes the call replaces (the sums, differences and products that build u).</summary>
            public List<int> Inner { get; } = new();

            public int Softmax { get; set; } = -1;
        }

        /// <summary>Finds the affine gradients: softmax backwards of an affine u, and gradient roots that are affine.</summary>
        private void FindAffineGradients()
        {
            foreach (var pair in softmaxBackward.ToArray())
            {
                var affine = new Affine { Softmax = pair.Value.P };
                // u is read twice by the pattern (u·p and u − Σ_c u·p), and by nothing else.
                if (program.Computes[pair.Value.U] && program.Uses[pair.Value.U] == 2 && Decompose(pair.Value.U, false, affine, inner: true)
                    && affine.Terms.Count > 0)
                {
                    Adopt(pair.Key, affine);
                }
            }

            foreach (var root in plan.Model.Gradients.Where(g => g >= 0).Distinct())
            {
                if (affineGradients.ContainsKey(root) || fusedGradients.Contains(root) || !program.Computes[root] || program.Uses[root] != 1
                    || !IsFullSize(root) || graph[root].Op is not (Op.Add or Op.Subtract))
                {
                    continue;
                }

                var affine = new Affine();
                // Worth a call only when it absorbs a product or quotient by a coefficient: a sum of full-size temporaries
                // is as cheap in place.
                if (Decompose(root, false, affine, inner: true) && affine.Terms.Any(t => t.Coefficient >= 0) && affine.Terms.Count + affine.Constants.Count >= 2)
                {
                    Adopt(root, affine);
                }
            }
        }

        private void Adopt(int id, Affine affine)
        {
            affineGradients[id] = affine;
            if (plan.Model.Gradients.Contains(id) && program.Uses[id] == 1)
            {
                // A gradient root: the incoming gradient is folded into the call, written where the gradient is.
                fusedGradients.Add(id);
            }

            foreach (var inner in affine.Inner)
            {
                inPattern.Add(inner);
            }

            // A leaf that was to be fused into one of the replaced nodes gets its own statement again.
            foreach (var leaf in affine.Terms.SelectMany(t => new[] { t.Field, t.Coefficient }).Concat(affine.Constants.Select(c => c.Value)))
            {
                if (leaf >= 0 && program.FusedInto[leaf] >= 0)
                {
                    program.FusedOperand.Remove(program.FusedInto[leaf]);
                    program.FusedInto[leaf] = -1;
                }
            }
        }

        /// <summary>Adds node <paramref name="id"/> (negated or not) to <paramref name="affine"/>; false when it is not affine.</summary>
        private bool Decompose(int id, bool negative, Affine affine, bool inner)
        {
            var node = graph[id];
            if (IsSmall(id))
            {
                affine.Constants.Add((id, negative));
                return true;
            }

            // Only values computed here for this gradient alone are taken apart; anything else is a leaf.
            if (inner && program.Computes[id] && plan.IsTensor[id] && IsFullSize(id) && !fusedGradients.Contains(id))
            {
                switch (node.Op)
                {
                    case Op.Add:
                    case Op.Subtract:
                        affine.Inner.Add(id);
                        return Decompose(node.Args[0], negative, affine, Single(node.Args[0]))
                            && Decompose(node.Args[1], node.Op == Op.Subtract ? !negative : negative, affine, Single(node.Args[1]));
                    case Op.Negate:
                        affine.Inner.Add(id);
                        return Decompose(node.Args[0], !negative, affine, Single(node.Args[0]));
                    case Op.Multiply:
                        for (var k = 0; k < 2; k++)
                        {
                            if (IsFullSize(node.Args[k]) && IsSmall(node.Args[1 - k]))
                            {
                                affine.Inner.Add(id);
                                affine.Terms.Add((node.Args[k], node.Args[1 - k], negative, false));
                                return true;
                            }
                        }

                        break;
                    case Op.Divide when IsFullSize(node.Args[0]) && IsSmall(node.Args[1]):
                        affine.Inner.Add(id);
                        affine.Terms.Add((node.Args[0], node.Args[1], negative, true));
                        return true;
                }
            }

            if (IsFullSize(id))
            {
                affine.Terms.Add((id, -1, negative, false));
                return true;
            }

            return false;
        }

        /// <summary>Whether a computed value has one use (so that a pattern may absorb it).</summary>
        private bool Single(int id) => program.Uses[id] == 1;

        /// <summary>A host value or a tensor without a spatial axis: a coefficient of an affine gradient.</summary>
        private bool IsSmall(int id) => !plan.IsTensor[id] || !graph[id].Shape.Has(Axes.Spatial);

        /// <summary>The <c>AffineGradient</c> call of node <paramref name="id"/>, with the incoming gradient or without.</summary>
        private string AffineExpression(int id, bool withGradOutput)
        {
            var affine = affineGradients[id];
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
            var affine = affineGradients[id];
            var parts = affine.Terms.Select(t => (t.Negative ? "− " : "+ ") + names.Of(t.Field) + (t.Coefficient >= 0 ? (t.Reciprocal ? "/" : "·") + Short(t.Coefficient) : ""))
                .Concat(affine.Constants.Select(c => (c.Negative ? "− " : "+ ") + Short(c.Value)));
            var u = string.Join(" ", parts);
            u = u.StartsWith("+ ", System.StringComparison.Ordinal) ? u.Substring(2) : "−" + u.Substring(2);
            return affine.Softmax >= 0 ? names.Of(affine.Softmax) + "·(u − Σ_c u·" + names.Of(affine.Softmax) + "), u = " + u : u;
        }

        /// <summary>The formula of a gradient root for its comment (an affine one as the call computes it).</summary>
        public string GradientFormula(int root) =>
            affineGradients.ContainsKey(root) && fusedGradients.Contains(root) ? AffineFormula(root) + ", in one sweep" : Formula(root);

        private string Short(int id) => graph[id].Op == Op.Constant ? FormulaPrinter.Print(graph, id) : names.Of(id);
    }
}
