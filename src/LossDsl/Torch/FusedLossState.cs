using System;
using System.Collections.Generic;
using System.ComponentModel;
using static TorchSharp.torch;

namespace LossDsl.Torch;

/// <summary>
/// The per-call state of a generated fused loss function: what the generated wrapper knows before
/// <c>apply</c> (which inputs require a gradient, the hyper-parameters, in the generated subclass), and the tensors the
/// forward creates that must outlive it (its raw output and the intermediates saved for the backward), which the
/// wrapper disposes as soon as <c>apply</c> has handed them to libtorch.
/// </summary>
/// <remarks>
/// Why: TorchSharp's <c>Function.apply</c> wraps the forward's output in a new <see cref="Tensor"/> and copies the
/// tensors given to <c>save_for_backward</c> into native saved variables after the forward returns; the managed
/// objects the forward created are never disposed by TorchSharp. Keeping them here lets the wrapper release them
/// deterministically, inside or outside the caller's <c>DisposeScope</c>. Used by generated code.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class FusedLossState
{
    private readonly List<Tensor> owned = new();

    /// <summary>Whether input <c>i</c> (in declaration order of the fields) requires a gradient.</summary>
    public bool[] RequiresGrad { get; set; } = Array.Empty<bool>();

    /// <summary>Whether the backward will run (grad mode on and some input requires a gradient).</summary>
    public bool NeedsBackward { get; set; }

    /// <summary>
    /// Whether the forward took the pass path (<see cref="CpuPassCall"/>): its gradients are then already written and
    /// saved, and the backward only scales them.
    /// </summary>
    public bool OnCpuPasses { get; set; }

    /// <summary>The fields' shape, recorded by the forward for the backward (extents, expansions).</summary>
    public long[] Shape { get; set; } = Array.Empty<long>();

    /// <summary>
    /// Runs <typeparamref name="TFunction"/> as one autograd node over <paramref name="fields"/> (in declaration order)
    /// with this state as its last argument: first records which fields require a gradient and whether the backward
    /// will run, and after <c>apply</c> (returned or threw) releases the forward's own output and saved intermediates,
    /// which apply has copied.
    /// </summary>
    /// <typeparam name="TFunction">The loss's generated autograd function.</typeparam>
    /// <param name="fields">The loss's fields.</param>
    /// <returns>The loss, as apply returns it.</returns>
    public Tensor Apply<TFunction>(params Tensor[] fields)
        where TFunction : autograd.SingleTensorFunction<TFunction>, new()
    {
        ArgumentNullException.ThrowIfNull(fields);
        FusedOps.ReleaseDeferred();
        RequiresGrad = Array.ConvertAll(fields, f => f.requires_grad);
        NeedsBackward = is_grad_enabled() && Array.IndexOf(RequiresGrad, true) >= 0;
        var arguments = new object[fields.Length + 1];
        fields.CopyTo(arguments, 0);
        arguments[^1] = this;
        try
        {
            return autograd.SingleTensorFunction<TFunction>.apply(arguments);
        }
        finally
        {
            Release();
        }
    }

    /// <summary>Takes <paramref name="tensor"/> out of <paramref name="scope"/> and keeps it until <see cref="Release"/>.</summary>
    /// <param name="scope">The forward's dispose scope.</param>
    /// <param name="tensor">A tensor the forward created.</param>
    /// <returns><paramref name="tensor"/>.</returns>
    public Tensor Keep(TorchSharp.DisposeScope scope, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(tensor);
        if (scope.Contains(tensor))
        {
            scope.Detach(tensor);
        }

        owned.Add(tensor);
        return tensor;
    }

    /// <summary>Disposes every tensor kept by <see cref="Keep"/> (called once <c>apply</c> returned or threw).</summary>
    public void Release()
    {
        foreach (var tensor in owned)
        {
            tensor.Dispose();
        }

        owned.Clear();
    }
}
