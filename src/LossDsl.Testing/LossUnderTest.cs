using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics.Tensors;
using Tensor = TorchSharp.torch.Tensor;

namespace LossDsl.Testing;

/// <summary>
/// A loss as the kit sees it: its field roles and delegates over plain arrays in double precision, so that C# and F#
/// users can pass generated entry points, hand-written code or anything else.
/// </summary>
/// <remarks>
/// <para>Each field is a <c>double[]</c> laid out <c>(B, C, *spatial)</c> in C order; the shape array is
/// <c>(B, C, *spatial)</c>. Hyper-parameters (class lists, weights) are captured by the delegates; a class list that
/// depends on C can be computed from <c>shape[1]</c>.</para>
/// <para>For losses generated from a <c>[Loss]</c> declaration, <see cref="FromSpans(string, FieldRole, FieldRole, SpanLoss2, SpanLossGradient2?, Func{Tensor, Tensor, Tensor}?)"/>
/// and its overloads wrap <c>NameCpu&lt;double&gt;</c>, <c>NameCpuGradient&lt;double&gt;</c> and <c>Name(Tensor …)</c>
/// directly.</para>
/// </remarks>
/// <param name="Name">Shown in failure reports.</param>
/// <param name="Roles">What each field argument is, in argument order.</param>
/// <param name="Value">The loss of the fields (CPU).</param>
/// <param name="Gradient">Optional: writes ∂L/∂field into the given arrays (same lengths as the fields, zeroed) and
/// returns the loss.</param>
/// <param name="Torch">Optional: the TorchSharp form, given float64 tensors of shape <c>(B, C, *spatial)</c> (some with
/// <c>requires_grad</c>); returns a 0-dim tensor.</param>
/// <param name="DifferentiateRoles">The roles whose gradients the gradient properties check; by default
/// <see cref="FieldRole.Probabilities"/> and <see cref="FieldRole.Logits"/>.</param>
public sealed record LossUnderTest(
    string Name,
    FieldRole[] Roles,
    Func<double[][], int[], double> Value,
    Func<double[][], int[], double[][], double>? Gradient = null,
    Func<Tensor[], Tensor>? Torch = null,
    FieldRole[]? DifferentiateRoles = null)
{
    /// <summary>The indices of the fields whose gradients are checked.</summary>
    public int[] DifferentiatedFields
    {
        get
        {
            var roles = DifferentiateRoles ?? [FieldRole.Probabilities, FieldRole.Logits];
            return Enumerable.Range(0, Roles.Length).Where(i => roles.Contains(Roles[i])).ToArray();
        }
    }

    /// <summary>This loss with another name (planted-bug tests, reports).</summary>
    public LossUnderTest Named(string name) => this with { Name = name };

    /// <summary>This loss with its CPU value replaced (its gradient and TorchSharp forms unchanged).</summary>
    public LossUnderTest WithValue(Func<double[][], int[], double> value) => this with { Value = value };

    /// <summary>This loss with its CPU gradient replaced.</summary>
    public LossUnderTest WithGradient(Func<double[][], int[], double[][], double>? gradient) => this with { Gradient = gradient };

    /// <summary>This loss with its TorchSharp form replaced.</summary>
    public LossUnderTest WithTorch(Func<Tensor[], Tensor>? torch) => this with { Torch = torch };

    /// <summary>A one-field loss from span delegates (e.g. <c>(p) =&gt; MyLosses.NameCpu(p)</c>).</summary>
    public static LossUnderTest FromSpans(string name, FieldRole role, SpanLoss1 value, SpanLossGradient1? gradient = null, Func<Tensor, Tensor>? torch = null)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(name, [role],
            (f, s) => value(Span(f[0], s)),
            gradient is null ? null : (f, s, g) => gradient(Span(f[0], s), Writable(g[0], s)),
            torch is null ? null : t => torch(t[0]));
    }

    /// <summary>A two-field loss from span delegates, e.g.
    /// <c>LossUnderTest.FromSpans("Boundary", FieldRole.Probabilities, FieldRole.SignedDistance,
    /// (p, d) =&gt; SegmentationLosses.BoundaryCpu(p, d, [1]), (p, d, gp, gd) =&gt; SegmentationLosses.BoundaryCpuGradient(p, d, gp, gd, [1]),
    /// (p, d) =&gt; SegmentationLosses.Boundary(p, d, [1]))</c>.</summary>
    public static LossUnderTest FromSpans(string name, FieldRole role1, FieldRole role2, SpanLoss2 value, SpanLossGradient2? gradient = null, Func<Tensor, Tensor, Tensor>? torch = null)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(name, [role1, role2],
            (f, s) => value(Span(f[0], s), Span(f[1], s)),
            gradient is null ? null : (f, s, g) => gradient(Span(f[0], s), Span(f[1], s), Writable(g[0], s), Writable(g[1], s)),
            torch is null ? null : t => torch(t[0], t[1]));
    }

    /// <summary>A three-field loss from span delegates.</summary>
    public static LossUnderTest FromSpans(string name, FieldRole role1, FieldRole role2, FieldRole role3, SpanLoss3 value, SpanLossGradient3? gradient = null, Func<Tensor, Tensor, Tensor, Tensor>? torch = null)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(name, [role1, role2, role3],
            (f, s) => value(Span(f[0], s), Span(f[1], s), Span(f[2], s)),
            gradient is null ? null : (f, s, g) => gradient(Span(f[0], s), Span(f[1], s), Span(f[2], s), Writable(g[0], s), Writable(g[1], s), Writable(g[2], s)),
            torch is null ? null : t => torch(t[0], t[1], t[2]));
    }

    /// <summary>A four-field loss from span delegates.</summary>
    public static LossUnderTest FromSpans(string name, FieldRole role1, FieldRole role2, FieldRole role3, FieldRole role4, SpanLoss4 value, SpanLossGradient4? gradient = null, Func<Tensor, Tensor, Tensor, Tensor, Tensor>? torch = null)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(name, [role1, role2, role3, role4],
            (f, s) => value(Span(f[0], s), Span(f[1], s), Span(f[2], s), Span(f[3], s)),
            gradient is null ? null : (f, s, g) => gradient(Span(f[0], s), Span(f[1], s), Span(f[2], s), Span(f[3], s), Writable(g[0], s), Writable(g[1], s), Writable(g[2], s), Writable(g[3], s)),
            torch is null ? null : t => torch(t[0], t[1], t[2], t[3]));
    }

    /// <summary>A read-only tensor span over an array with the given <c>(B, C, *spatial)</c> shape.</summary>
    public static ReadOnlyTensorSpan<double> Span(double[] data, int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        return new ReadOnlyTensorSpan<double>(data, Lengths(shape));
    }

    /// <summary>A writable tensor span over an array with the given shape.</summary>
    public static TensorSpan<double> Writable(double[] data, int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        return new TensorSpan<double>(data, Lengths(shape));
    }

    private static nint[] Lengths(IReadOnlyList<int> shape) => shape.Select(n => (nint)n).ToArray();
}

/// <summary>A one-field CPU loss over tensor spans (wraps a generated <c>NameCpu&lt;double&gt;</c>).</summary>
public delegate double SpanLoss1(ReadOnlyTensorSpan<double> a);

/// <summary>A two-field CPU loss over tensor spans.</summary>
public delegate double SpanLoss2(ReadOnlyTensorSpan<double> a, ReadOnlyTensorSpan<double> b);

/// <summary>A three-field CPU loss over tensor spans.</summary>
public delegate double SpanLoss3(ReadOnlyTensorSpan<double> a, ReadOnlyTensorSpan<double> b, ReadOnlyTensorSpan<double> c);

/// <summary>A four-field CPU loss over tensor spans.</summary>
public delegate double SpanLoss4(ReadOnlyTensorSpan<double> a, ReadOnlyTensorSpan<double> b, ReadOnlyTensorSpan<double> c, ReadOnlyTensorSpan<double> d);

/// <summary>A one-field CPU loss and gradient (wraps a generated <c>NameCpuGradient&lt;double&gt;</c>).</summary>
public delegate double SpanLossGradient1(ReadOnlyTensorSpan<double> a, TensorSpan<double> gradA);

/// <summary>A two-field CPU loss and gradients.</summary>
public delegate double SpanLossGradient2(ReadOnlyTensorSpan<double> a, ReadOnlyTensorSpan<double> b, TensorSpan<double> gradA, TensorSpan<double> gradB);

/// <summary>A three-field CPU loss and gradients.</summary>
public delegate double SpanLossGradient3(ReadOnlyTensorSpan<double> a, ReadOnlyTensorSpan<double> b, ReadOnlyTensorSpan<double> c, TensorSpan<double> gradA, TensorSpan<double> gradB, TensorSpan<double> gradC);

/// <summary>A four-field CPU loss and gradients.</summary>
public delegate double SpanLossGradient4(ReadOnlyTensorSpan<double> a, ReadOnlyTensorSpan<double> b, ReadOnlyTensorSpan<double> c, ReadOnlyTensorSpan<double> d, TensorSpan<double> gradA, TensorSpan<double> gradB, TensorSpan<double> gradC, TensorSpan<double> gradD);
