/// <summary>
/// Boundary loss: mean of p·φ over the selected classes.
/// <para>
/// TorchSharp: the forward and the generated analytic backward run as one autograd node
/// (<c>BoundaryTorchFunction</c>), not as a chain of recorded operations.
/// </para>
/// </summary>
/// <remarks><inheritdoc cref="BoundaryCpuGradient{T}(global::System.Numerics.Tensors.ReadOnlyTensorSpan{T}, global::System.Numerics.Tensors.ReadOnlyTensorSpan{T}, global::System.Numerics.Tensors.TensorSpan{T}, global::System.Numerics.Tensors.TensorSpan{T}, int[])" path="/remarks/node()"/></remarks>
/// <param name="probs">A field laid out (B, C, *spatial), float32 or float64; all fields of a call share shape, dtype and device.</param>
/// <param name="dist">A field laid out (B, C, *spatial), float32 or float64; all fields of a call share shape, dtype and device.</param>
/// <param name="idc">Class indices (not empty, each in 0..C−1).</param>
/// <returns>The loss: a 0-dim tensor on the fields' device and dtype, owned by the caller.</returns>
/// <exception cref="global::System.ArgumentException">A field is not float32/float64, has rank below 2, or differs from the first in shape, dtype or device; a class list is empty or out of range.</exception>
public static global::TorchSharp.torch.Tensor Boundary(global::TorchSharp.torch.Tensor probs, global::TorchSharp.torch.Tensor dist, int[] idc)
{
    global::LossDsl.Torch.TorchArguments.CheckField("Boundary", probs, "probs");
    global::LossDsl.Torch.TorchArguments.CheckSameLayout("Boundary", probs, "probs", dist, "dist");
    global::LossDsl.Torch.TorchArguments.CheckClassList("Boundary", idc, "idc", probs.shape[1]);
    var state = new BoundaryTorchState();
    state.idc = idc;
    return state.Apply<BoundaryTorchFunction>(probs, dist);
}

/// <summary>One call of <c>Boundary(Tensor …)</c>: its hyper-parameters and bookkeeping.</summary>
private sealed class BoundaryTorchState : global::LossDsl.Torch.FusedLossState
{
    public int[] idc = global::System.Array.Empty<int>();
}

/// <summary>Boundary as one TorchSharp autograd function with its generated analytic backward.</summary>
private sealed class BoundaryTorchFunction : global::TorchSharp.torch.autograd.SingleTensorFunction<BoundaryTorchFunction>
{
    public override string Name => "MyProject.MyLosses.Boundary";

    /// <summary>
    /// The loss, computed without recording: by the generated CPU passes on contiguous CPU tensors (which also write
    /// the gradients the backward will want), else by ATen operations, saving probs, dist for the backward.
    /// </summary>
    public override global::TorchSharp.torch.Tensor forward(global::TorchSharp.torch.autograd.AutogradContext ctx, params object[] vars)
    {
        var probs = (global::TorchSharp.torch.Tensor)vars[0];
        var dist = (global::TorchSharp.torch.Tensor)vars[1];
        var state = (BoundaryTorchState)vars[2];
        using var scope = global::TorchSharp.torch.NewDisposeScope();
        // Contiguous CPU float32/float64 fields: the generated CPU passes (BoundaryCpuProgram) over their memory, which
        // also write the gradients the backward will hand to libtorch. Other devices, dtypes and layouts: ATen, below.
        var passes = global::LossDsl.Torch.CpuPassCall.TryStart(state, sweptGradients: null, probs, dist);
        if (passes is not null)
        {
            return passes.IsDouble
                ? passes.Run(ctx, scope, new BoundaryCpuProgram<double>(passes.Shape, state.idc))
                : passes.Run(ctx, scope, new BoundaryCpuProgram<float>(passes.Shape, state.idc));
        }

        var shape = probs.shape;
        state.Shape = shape;
        var device = probs.device;
        // countAll = B·|idc|·|Ω|
        double countAll = global::LossDsl.Torch.FusedOps.Extent(shape, true, true, state.idc.Length, true);
        using var countAllScalar = global::TorchSharp.ScalarExtensionMethods.ToScalar(countAll);
        var idcIndex = global::LossDsl.Torch.FusedOps.ClassIndex(state.idc, device);
        var ndim = (long)shape.Length;
        var batchClassDims = global::LossDsl.Torch.FusedOps.ReduceDims(ndim, true, true, false);

        // sumSpatial = Σ_x probs·dist
        var sumSpatial = global::LossDsl.Torch.FusedOps.SumOfProducts(probs, dist, false, false, true);
        // selected_idc = sumSpatial[idc]
        var selected_idc = global::LossDsl.Torch.FusedOps.Select(sumSpatial, idcIndex);
        // sumBatchClasses = Σ_{b,c} selected_idc
        var sumBatchClasses = global::LossDsl.Torch.FusedOps.Sum(selected_idc, batchClassDims);
        // loss = sumBatchClasses/countAll
        var loss = sumBatchClasses.div_(countAllScalar);

        // the loss as a 0-dim tensor: L = loss
        var result = state.Keep(scope, global::LossDsl.Torch.FusedOps.ToResult(loss));
        if (state.NeedsBackward)
        {
            ctx.save_for_backward(new global::System.Collections.Generic.List<global::TorchSharp.torch.Tensor> { probs, dist });
            ctx.save_data("state", state);
        }

        return result;
    }

    /// <summary>The generated analytic gradient, times the incoming gradient, for every field that requires it.</summary>
    public override global::System.Collections.Generic.List<global::TorchSharp.torch.Tensor> backward(global::TorchSharp.torch.autograd.AutogradContext ctx, global::TorchSharp.torch.Tensor grad_output)
    {
        var state = (BoundaryTorchState)ctx.get_data("state");
        using var gradOutput = grad_output;
        using var scope = global::TorchSharp.torch.NewDisposeScope();
        if (state.OnCpuPasses)
        {
            // The forward's passes wrote the gradients: each times the incoming gradient.
            return global::LossDsl.Torch.CpuPassCall.Backward(ctx, state, scope, gradOutput);
        }

        var saved = ctx.get_saved_variables();
        var probs = saved[0];
        var dist = saved[1];
        var shape = state.Shape;
        var device = gradOutput.device;
        // countAll = B·|idc|·|Ω|
        double countAll = global::LossDsl.Torch.FusedOps.Extent(shape, true, true, state.idc.Length, true);
        // ratio = 1/countAll
        double ratio = (1.0 / countAll);

        // scattered = scatter_idc(ratio)
        var scattered = global::LossDsl.Torch.FusedOps.ScatterConstant(ratio, state.idc, shape, gradOutput);

        // ∂L/∂probs = dist·scattered, times the incoming gradient
        global::TorchSharp.torch.Tensor? gradProbs = state.RequiresGrad[0] ? global::LossDsl.Torch.FusedOps.Expand(dist.mul(scattered.mul(gradOutput)), shape) : null;
        // ∂L/∂dist = probs·scattered, times the incoming gradient
        global::TorchSharp.torch.Tensor? gradDist = state.RequiresGrad[1] ? global::LossDsl.Torch.FusedOps.Expand(probs.mul(scattered.mul(gradOutput)), shape) : null;

        return global::LossDsl.Torch.FusedOps.Gradients(scope, gradProbs, gradDist, null);
    }
}
