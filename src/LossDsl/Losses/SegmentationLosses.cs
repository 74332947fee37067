namespace LossDsl;

/// <summary>
/// The built-in segmentation losses, declared with the LossDsl language itself (see the <c>[Loss]</c> methods in the
/// <c>SegmentationLosses.*.cs</c> files). For every declaration <c>Name</c> the generator adds
/// <c>Name(Tensor …)</c> (TorchSharp, one fused autograd node), <c>NameCpu&lt;T&gt;</c> and <c>NameCpuGradient&lt;T&gt;</c>
/// (SIMD CPU) and <c>NameInfo</c> (formula, gradients, generated source), and lists the loss in <c>LossCatalog</c>.
/// </summary>
/// <remarks>
/// <para>
/// Semantics follow the public code of the boundary-loss paper (LIVIAETS/boundary-loss) exactly, including its
/// ε = 1e-10 smoothing terms. Layout everywhere is <c>(B, C, *spatial)</c>; parameters come in the order prediction,
/// ground truth or map(s), <c>int[] idc</c> (the classes the loss looks at), then hyper-parameters.
/// </para>
/// <para>
/// The probability forms expect a simplex along C (softmax outputs) and a one-hot target; they do not check it, for
/// speed. <c>…FromLogits</c> forms fuse the softmax. <c>…ForLabels</c> forms take class-index labels and one-hot them
/// on the fly. <c>Checked</c> holds validating wrappers. Behaviour at the edges (missing classes, empty
/// batches) is documented per loss and in <c>docs/catalogue.md</c>.
/// </para>
/// </remarks>
public static partial class SegmentationLosses
{
}
