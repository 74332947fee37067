using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using LossDsl.Generators.Emit.Torch;
using LossDsl.Generators.Ir;
using LossDsl.Generators.Model;
using LossDsl.Generators.Passes;

namespace LossDsl.Generators.Emit;

internal static partial class TorchSharpEmitter
{
    /// <summary>The expression of one node: an ATen call (fused where a pattern allows) or a host arithmetic expression.</summary>
    private sealed partial class BodyWriter
    {
        /// <summary>The TorchSharp expression of tensor node <paramref name="id"/>.</summary>
        private string Expression(int id)
        {
            var node = graph[id];
            var args = node.Args;
            bool T(int k) => plan.IsTensor[args[k]];
            string A(int k) => Ref(args[k]);
            string S(int k) => ScalarOf(args[k]);
            bool Over(int k) => Overwritable(args[k], id);

            if (fusion.AffineGradients.ContainsKey(id))
            {
                return AffineExpression(id, withGradOutput: false);
            }

            if (fusion.SoftmaxBackward.TryGetValue(id, out var pattern))
            {
                var inPlace = Owned(pattern.U) && program.Uses[pattern.U] == 2 && program.LastUse[pattern.U] == pattern.Difference;
                return Ops + ".SoftmaxBackward(" + Ref(pattern.U) + ", " + Ref(pattern.P) + ", " + Bool(inPlace) + ")";
            }

            switch (node.Op)
            {
                case Op.Add when program.FusedOperand.TryGetValue(id, out var k):
                case Op.Subtract when program.FusedOperand.TryGetValue(id, out k):
                    return FusedAdd(id, k);
                case Op.Add:
                    if (T(0) && T(1))
                    {
                        return Over(0) ? A(0) + ".add_(" + A(1) + ")" : Over(1) ? A(1) + ".add_(" + A(0) + ")" : A(0) + ".add(" + A(1) + ")";
                    }

                    return T(0) ? A(0) + (Over(0) ? ".add_(" : ".add(") + S(1) + ")" : A(1) + (Over(1) ? ".add_(" : ".add(") + S(0) + ")";
                case Op.Subtract:
                    if (T(0) && T(1))
                    {
                        return A(0) + (Over(0) ? ".sub_(" : ".sub(") + A(1) + ")";
                    }

                    return T(0) ? A(0) + (Over(0) ? ".sub_(" : ".sub(") + S(1) + ")" : "(" + S(0) + " - " + A(1) + ")";
                case Op.Multiply:
                    if (T(0) && T(1))
                    {
                        return Over(0) ? A(0) + ".mul_(" + A(1) + ")" : Over(1) ? A(1) + ".mul_(" + A(0) + ")" : A(0) + ".mul(" + A(1) + ")";
                    }

                    return T(0) ? A(0) + (Over(0) ? ".mul_(" : ".mul(") + S(1) + ")" : A(1) + (Over(1) ? ".mul_(" : ".mul(") + S(0) + ")";
                case Op.Divide:
                    if (T(0) && T(1))
                    {
                        return Over(0) ? A(0) + ".div_(" + A(1) + ")" : A(0) + ".div(" + A(1) + ")";
                    }

                    return T(0) ? A(0) + (Over(0) ? ".div_(" : ".div(") + S(1) + ")" : "(" + S(0) + " / " + A(1) + ")";
                case Op.Negate:
                case Op.Log:
                case Op.Exp:
                case Op.Sqrt:
                case Op.Abs:
                case Op.Sigmoid:
                case Op.Sign:
                    var method = node.Op switch
                    {
                        Op.Negate => "neg",
                        Op.Log => "log",
                        Op.Exp => "exp",
                        Op.Sqrt => "sqrt",
                        Op.Abs => "abs",
                        Op.Sigmoid => "sigmoid",
                        _ => "sign",
                    };
                    return A(0) + "." + method + (Over(0) ? "_()" : "()");
                case Op.Square:
                    return Over(0) ? A(0) + ".mul_(" + A(0) + ")" : A(0) + ".square()";
                case Op.Pow:
                    if (T(1))
                    {
                        return A(0) + ".pow(" + A(1) + ")";
                    }

                    return A(0) + (Over(0) ? ".pow_(" : ".pow(") + S(1) + ")";
                case Op.Minimum:
                case Op.Maximum:
                    if (T(0) && T(1))
                    {
                        return A(0) + (node.Op == Op.Minimum ? ".minimum(" : ".maximum(") + A(1) + ")";
                    }

                    var clamp = node.Op == Op.Minimum ? ".clamp_max" : ".clamp_min";
                    return T(0) ? A(0) + clamp + (Over(0) ? "_(" : "(") + S(1) + ")" : A(1) + clamp + (Over(1) ? "_(" : "(") + S(0) + ")";
                case Op.GreaterOrEqual:
                    return Ops + ".GreaterOrEqual(" + (T(0) ? A(0) : S(0)) + ", " + (T(1) ? A(1) : S(1)) + ")";
                case Op.Softmax:
                    return A(0) + ".softmax(1)";
                case Op.LogSoftmax:
                    return A(0) + ".log_softmax(1)";
                case Op.Sum:
                    if (program.FusedInto[args[0]] == id)
                    {
                        var product = graph[args[0]];
                        return Ops + ".SumOfProducts(" + Ref(product.Args[0]) + ", " + Ref(product.Args[1]) + ", " + Flags(node.Reduce) + ")";
                    }

                    return Ops + ".Sum(" + A(0) + ", " + Dims(node.Reduce) + ")";
                case Op.MaxOver:
                    return Ops + ".Max(" + A(0) + ", " + Dims(node.Reduce) + ")";
                case Op.Step:
                    return Ops + ".Step(" + A(0) + ")";
                case Op.Select:
                    return Ops + ".Select(" + A(0) + ", " + ClassIndex(node.Name) + ")";
                case Op.Scatter when !T(0):
                    return Ops + ".ScatterConstant(" + A(0) + ", " + names.State + "." + names.StateField(node.Name) + ", " + names.Shape + ", "
                        + (program.IsForward ? Identifiers.Escape(plan.Fields[0]) : names.GradOutput) + ")";
                case Op.Scatter:
                    return Ops + ".Scatter(" + A(0) + ", " + ClassIndex(node.Name) + ", " + names.Shape + "[1])";
                default:
                    return "throw new global::System.NotSupportedException(\"" + node.Op + "\")";
            }
        }

        /// <summary><c>x ± s·y</c> as <c>add(y, ±s)</c>, <c>x + y·z</c> as <c>addcmul</c>; in place on x when it is a dead temporary.</summary>
        private string FusedAdd(int id, int productOperand)
        {
            var node = graph[id];
            var other = node.Args[1 - productOperand];
            var product = graph[node.Args[productOperand]];
            var inPlace = Overwritable(other, id);
            var x = Ref(other);
            int a = product.Args[0], b = product.Args[1];
            if (!plan.IsTensor[a] || !plan.IsTensor[b])
            {
                var scale = plan.IsTensor[a] ? b : a;
                var tensor = plan.IsTensor[a] ? a : b;
                var alpha = node.Op == Op.Subtract ? NegatedScalar(scale) : ScalarOf(scale);
                return x + (inPlace ? ".add_(" : ".add(") + Ref(tensor) + ", " + alpha + ")";
            }

            return x + (inPlace ? ".addcmul_(" : ".addcmul(") + Ref(a) + ", " + Ref(b) + ", " + ConstantScalar(node.Op == Op.Subtract ? -1 : 1) + ")";
        }

        private string HostExpression(int id)
        {
            var node = graph[id];
            var args = node.Args;
            string A(int k) => Ref(args[k]);
            const string M = "global::System.Math.";
            switch (node.Op)
            {
                case Op.Hyper:
                    return names.State + "." + names.StateField(node.Name);
                case Op.Extent:
                    var classes = node.Name.Length > 0 ? names.State + "." + names.StateField(node.Name) + ".Length" : "-1";
                    return Ops + ".Extent(" + names.Shape + ", " + Bool((node.Reduce & Axes.Batch) != 0) + ", " + Bool((node.Reduce & Axes.Class) != 0) + ", "
                        + classes + ", " + Bool((node.Reduce & Axes.Spatial) != 0) + ")";
                case Op.Add: return "(" + A(0) + " + " + A(1) + ")";
                case Op.Subtract: return "(" + A(0) + " - " + A(1) + ")";
                case Op.Multiply: return "(" + A(0) + " * " + A(1) + ")";
                case Op.Divide: return "(" + A(0) + " / " + A(1) + ")";
                case Op.Negate: return "(" + Negated(A(0)) + ")";
                case Op.Log: return M + "Log(" + A(0) + ")";
                case Op.Exp: return M + "Exp(" + A(0) + ")";
                case Op.Sqrt: return M + "Sqrt(" + A(0) + ")";
                case Op.Abs: return M + "Abs(" + A(0) + ")";
                case Op.Square: return "(" + A(0) + " * " + A(0) + ")";
                case Op.Sigmoid: return "(1.0 / (1.0 + " + M + "Exp(" + Negated(A(0)) + ")))";
                case Op.Pow: return M + "Pow(" + A(0) + ", " + A(1) + ")";
                case Op.Sign: return "(" + A(0) + " > 0 ? 1.0 : " + A(0) + " < 0 ? -1.0 : " + A(0) + ")";
                case Op.Minimum: return M + "Min(" + A(0) + ", " + A(1) + ")";
                case Op.Maximum: return M + "Max(" + A(0) + ", " + A(1) + ")";
                case Op.GreaterOrEqual: return "(" + A(0) + " >= " + A(1) + " ? 1.0 : 0.0)";
                case Op.Step: return "(" + A(0) + " > 0 ? 1.0 : double.IsNaN(" + A(0) + ") ? " + A(0) + " : 0.0)";
                default: return "throw new global::System.NotSupportedException(\"" + node.Op + "\")";
            }
        }
    }
}
