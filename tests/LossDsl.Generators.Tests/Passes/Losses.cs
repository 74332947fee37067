using LossDsl.Generators.Ir;

namespace LossDsl.Generators.Tests.Passes;

/// <summary>The built-in losses of REFERENCE.md, built as the front end would build them from the DSL.</summary>
internal static class Losses
{
    public static (Dsl Dsl, int Loss) Tversky()
    {
        var d = new Dsl();
        var probs = d.Field("probs");
        var target = d.Field("target");
        var alpha = d.Hyper("alpha");
        var beta = d.Hyper("beta");
        var eps = d.K(1e-5f);
        var tp = d.Let("tp", d.SumSpatial(d.Mul(probs, target)));
        var fp = d.Let("fp", d.SumSpatial(d.Mul(probs, d.Sub(d.K(1), target))));
        var fn = d.Let("fn", d.SumSpatial(d.Mul(d.Sub(d.K(1), probs), target)));
        var ratio = d.Div(d.Add(tp, eps), d.Add(d.Add(d.Add(tp, d.Mul(alpha, fp)), d.Mul(beta, fn)), eps));
        return (d, d.Mean(d.Sub(d.K(1), ratio)));
    }

    public static (Dsl Dsl, int Loss) Boundary()
    {
        var d = new Dsl();
        return (d, d.Mean(d.Mul(d.Select(d.Field("probs"), "idc"), d.Select(d.Field("dist"), "idc"))));
    }

    /// <summary>w_bk = 1/(Σ_x y + ε)²; L = mean_b [1 − 2(Σ_k w Σ_x p y + ε)/(Σ_k w (Σ_x p + Σ_x y) + ε)].</summary>
    public static (Dsl Dsl, int Loss) GeneralizedDice()
    {
        var d = new Dsl();
        var probs = d.Field("probs");
        var target = d.Field("target");
        var eps = d.K(1e-10);
        var w = d.Let("w", d.Div(d.K(1), d.Square(d.Add(d.SumSpatial(target), eps))));
        var intersection = d.Let("intersection", d.SumClasses(d.Mul(w, d.SumSpatial(d.Mul(probs, target)))));
        var union = d.Let("union", d.SumClasses(d.Mul(w, d.Add(d.SumSpatial(probs), d.SumSpatial(target)))));
        var divided = d.Sub(d.K(1), d.Mul(d.K(2), d.Div(d.Add(intersection, eps), d.Add(union, eps))));
        return (d, d.Mean(divided));
    }

    /// <summary>−Σ (1 − p)^γ · y · log(p + ε) / (Σ y + ε).</summary>
    public static (Dsl Dsl, int Loss) Focal()
    {
        var d = new Dsl();
        var probs = d.Field("probs");
        var target = d.Field("target");
        var eps = d.K(1e-10);
        var weight = d.Pow(d.Sub(d.K(1), probs), d.Hyper("gamma"));
        var numerator = d.Sum(d.Mul(d.Mul(weight, target), d.Log(d.Add(probs, eps))));
        return (d, d.Neg(d.Div(numerator, d.Add(d.Sum(target), eps))));
    }

    /// <summary>Cross-entropy of logits: −Σ y·log softmax(z) / (Σ y + ε).</summary>
    public static (Dsl Dsl, int Loss) CrossEntropyOfLogits()
    {
        var d = new Dsl();
        var target = d.Field("target");
        var logp = d.Log(d.Softmax(d.Field("logits")));
        return (d, d.Neg(d.Div(d.Sum(d.Mul(target, logp)), d.Add(d.Sum(target), d.K(1e-10)))));
    }
}
