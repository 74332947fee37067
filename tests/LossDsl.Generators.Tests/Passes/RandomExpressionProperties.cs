using System;
using FsCheck.Xunit;
using LossDsl.Generators.Ir;
using Xunit.Sdk;

namespace LossDsl.Generators.Tests.Passes;

/// <summary>
/// Gradients of random small expression trees against finite differences. FsCheck draws the seed; the tree and the
/// inputs are a pure function of it, so a failure names the seed that replays it (and FsCheck prints its own Replay).
/// </summary>
public sealed class RandomExpressionProperties
{
    [Property(MaxTest = 150)]
    public void Random_expression_gradients_match_finite_differences(int seed)
    {
        var random = new Random(seed);
        var d = new Dsl();
        var tree = new TreeMaker(d, random).Make(4);
        var loss = d.Mean(tree);
        try
        {
            new GradientCheck(2, 3, 2, seed).Field("a", -1, 1).Field("b", 0.1, 1).Hyper("h", 0.7).Classes("idc", 2, 0, 2).Check(d.Graph, loss);
        }
        catch (Exception e) when (e is XunitException or InvalidOperationException)
        {
            throw new XunitException($"seed {seed}: L = {FormulaPrinter.Print(d.Graph, loss)}\n{e.Message}");
        }
    }

    /// <summary>
    /// Random trees over smooth operations only (kinks are tested by hand, away from them), with arguments kept in the
    /// domains of log, sqrt, pow and division so that every value is finite.
    /// </summary>
    private sealed class TreeMaker
    {
        private readonly Dsl d;
        private readonly Random random;

        public TreeMaker(Dsl d, Random random) => (this.d, this.random) = (d, random);

        public int Make(int depth)
        {
            if (depth == 0 || random.NextDouble() < 0.2)
            {
                return random.Next(4) switch
                {
                    0 => d.Field("a"),
                    1 => d.Field("b"),
                    2 => d.Hyper("h"),
                    _ => d.K(Math.Round(0.5 + random.NextDouble(), 2)),
                };
            }

            var x = Make(depth - 1);
            var shape = d.B[x].Shape;
            switch (random.Next(14))
            {
                case 0: return d.Neg(x);
                case 1: return d.Square(x);
                case 2: return d.Sigmoid(x);
                case 3: return d.Exp(d.Sigmoid(x));
                case 4: return d.Log(d.Add(d.K(1), d.Square(x)));
                case 5: return d.Sqrt(d.Add(d.K(1), d.Square(x)));
                case 6: return d.Pow(d.Add(d.K(1), d.Square(x)), random.Next(2) == 0 ? d.K(1.5) : d.Hyper("h"));
                case 7 when shape.Has(Axes.Class): return random.Next(2) == 0 ? d.Softmax(x) : d.LogSoftmax(x);
                case 8 when shape.Has(Axes.Class) && shape.ClassDomain.Length == 0: return d.Select(x, "idc");
                case 9 when !shape.IsScalar:
                    var axes = (Axes)random.Next(1, 8) & shape.Axes;
                    return axes == Axes.None ? d.Sum(x) : d.Sum(x, axes);
                default:
                    var y = Make(depth - 1);
                    var op = random.Next(4) switch { 0 => Op.Add, 1 => Op.Subtract, 2 => Op.Multiply, _ => Op.Divide };
                    if (op == Op.Divide)
                    {
                        y = d.Add(d.K(1), d.Square(y));
                    }

                    // Values over different selected classes do not combine; keep the left one then.
                    return d.B.TryAdd(op, new[] { x, y }, out var id, out _) ? id : x;
            }
        }
    }
}
