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
