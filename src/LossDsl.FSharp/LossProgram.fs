namespace LossDsl.FSharp

open System.Numerics.Tensors
open LossDsl
open TorchSharp

/// <summary>
/// What the code compiled for an F# loss implements (a small adapter next to the generated class, see
/// <c>AdapterSource</c>): calls of the generated members with the fields in arrays and the other arguments, in the
/// lambda's order, as objects. Public because the run-time compiled assembly implements it; use <c>CompiledLoss</c>.
/// </summary>
type ILossProgram =
    /// <summary>The generated <c>NameInfo</c>.</summary>
    abstract Info: LossInfo
    /// <summary><c>NameCpu&lt;float&gt;</c> (gradients null) or <c>NameCpuGradient&lt;float&gt;</c> (a null entry: not wanted).</summary>
    abstract CpuSingle: fields: FieldArray<float32>[] * gradients: FieldArray<float32>[] | null * args: obj[] -> float32
    /// <summary><c>NameCpu&lt;double&gt;</c> (gradients null) or <c>NameCpuGradient&lt;double&gt;</c>.</summary>
    abstract CpuDouble: fields: FieldArray<float>[] * gradients: FieldArray<float>[] | null * args: obj[] -> float
    /// <summary>The span forms for up to four fields (<paramref name="count"/> of them; the rest are empty).</summary>
    abstract SpanSingle: count: int * f0: ReadOnlyTensorSpan<float32> * f1: ReadOnlyTensorSpan<float32> * f2: ReadOnlyTensorSpan<float32> * f3: ReadOnlyTensorSpan<float32> * gradients: bool * g0: TensorSpan<float32> * g1: TensorSpan<float32> * g2: TensorSpan<float32> * g3: TensorSpan<float32> * args: obj[] -> float32
    /// <summary>The span forms for up to four fields, in double.</summary>
    abstract SpanDouble: count: int * f0: ReadOnlyTensorSpan<float> * f1: ReadOnlyTensorSpan<float> * f2: ReadOnlyTensorSpan<float> * f3: ReadOnlyTensorSpan<float> * gradients: bool * g0: TensorSpan<float> * g1: TensorSpan<float> * g2: TensorSpan<float> * g3: TensorSpan<float> * args: obj[] -> float
    /// <summary>The generated <c>Name(Tensor …)</c>: one autograd node.</summary>
    abstract Torch: fields: torch.Tensor[] * args: obj[] -> torch.Tensor
