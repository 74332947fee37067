using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Numerics;
using LossDsl.Cpu;
using TorchSharp;
using static TorchSharp.torch;

namespace LossDsl.Torch;

/// <summary>
/// One call of a generated TorchSharp loss on its pass path: the loss's generated CPU program (the loops of
/// <c>NameCpuGradient</c>) runs over the memory of the fields, and writes the gradients the backward will hand to
/// libtorch straight into fresh tensors. Taken per call when every field is a contiguous CPU float32/float64 tensor
/// of at most <see cref="int.MaxValue"/> elements (the program indexes with <see cref="int"/>); elsewhere the
/// generated ATen composition runs. Used by generated code.
/// </summary>
/// <remarks>
/// Why the forward writes the gradients: the program computes the value and the gradients in one run whose first
/// passes are the value's own, so computing them now and keeping them for the backward costs one run per step; a
/// backward that recomputed them would run the value's passes twice (measured on the benchmark loss in
/// <c>docs/performance.md</c>). The gradients are kept through <c>save_for_backward</c>, so they die with the graph
/// when no backward comes.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class CpuPassCall
{
    /// <summary>The key under which the generated code stores its state in the autograd context.</summary>
    private const string StateKey = "state";

    // Per thread, so that tests running in parallel see only their own calls.
    [ThreadStatic]
    private static long taken;

    /// <summary>
    /// Which path calls on this thread take where the pass path applies (tests and benchmarks force one or the other;
    /// the default follows the generator's measured preference).
    /// </summary>
    [ThreadStatic]
    internal static CpuPassChoice Choice;

    private readonly FusedLossState state;
    private readonly Tensor[] fields;
    private readonly Tensor?[] gradients;

    private CpuPassCall(FusedLossState state, Tensor[] fields, FieldShape shape)
    {
        this.state = state;
        this.fields = fields;
        Shape = shape;
        gradients = new Tensor?[fields.Length];
    }

    /// <summary>How many generated forwards on this thread took the pass path (for tests).</summary>
    internal static long Taken => taken;

    /// <summary>The fields' shape, as the generated CPU program takes it.</summary>
    public FieldShape Shape { get; }

    /// <summary>Whether the fields are float64 (else float32): which instance of the program runs.</summary>
    public bool IsDouble => fields[0].dtype == ScalarType.Float64;

    /// <summary>
    /// The pass path of one call, or null when it does not apply: a field not on the CPU, not contiguous, of another
    /// dtype than the first's (float32 or float64), or too large for the program's indices; or the loss's ATen
    /// composition runs in hand-written CPU sweeps (<paramref name="sweptGradients"/>), measured faster where the
    /// process keeps freed memory (<see cref="CpuAllocator.KeepsFreedMemory"/>) and it does, and the passes are not
    /// forced; or the path is turned off.
    /// </summary>
    /// <param name="state">The call's state (which gradients the backward will want).</param>
    /// <param name="sweptGradients">
    /// Null, unless the generator wrote the loss's forward spatial sums as one CPU sweep: then, per field, whether its
    /// gradient is one sweep too. When every gradient this call wants is, the sweeps run instead of the passes.
    /// </param>
    /// <param name="fields">Every field of the call, in declaration order.</param>
    /// <returns>The call, or null.</returns>
    public static CpuPassCall? TryStart(FusedLossState state, bool[]? sweptGradients, params Tensor[] fields)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(fields);
        var declined = Choice switch
        {
            CpuPassChoice.Never => true,
            CpuPassChoice.Always => false,
            // The sweeps were measured faster only where their ATen temporaries do not page-fault every call.
            _ => CpuAllocator.KeepsFreedMemory && SweepsCover(state, sweptGradients),
        };
        if (declined || fields.Length == 0 || fields.Length > FieldSpans<float>.Capacity)
        {
            return null;
        }

        var dtype = fields[0].dtype;
        if (dtype != ScalarType.Float32 && dtype != ScalarType.Float64)
        {
            return null;
        }

        foreach (var field in fields)
        {
            // Inputs are only read, so two fields may share memory; the gradients are fresh tensors.
            if (field.device_type != DeviceType.CPU || field.dtype != dtype || !field.is_contiguous()
                || field.numel() > int.MaxValue || field.numel() == 0)
            {
                return null;
            }
        }

        var shape = fields[0].shape;
        long positions = 1;
        for (var d = 2; d < shape.Length; d++)
        {
            positions *= shape[d];
        }

        var description = "(" + string.Join(", ", shape) + ")";
        return new CpuPassCall(state, fields, new FieldShape((int)shape[0], (int)shape[1], (int)positions, description));
    }

    /// <summary>Whether the hand-written sweeps do all of this call's full-size work (see <see cref="TryStart"/>).</summary>
    private static bool SweepsCover(FusedLossState state, bool[]? sweptGradients)
    {
        if (sweptGradients is null)
        {
            return false;
        }

        for (var i = 0; i < sweptGradients.Length; i++)
        {
            if (state.NeedsBackward && i < state.RequiresGrad.Length && state.RequiresGrad[i] && !sweptGradients[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Runs <paramref name="program"/> (built for <see cref="Shape"/> and the call's hyper-parameters) over the fields,
    /// with the gradients the backward will want written into fresh tensors and saved in <paramref name="ctx"/>.
    /// Uses up to <c>torch.get_num_threads()</c> threads; the result does not depend on it.
    /// </summary>
    /// <typeparam name="T">The fields' element type.</typeparam>
    /// <param name="ctx">The forward's autograd context.</param>
    /// <param name="scope">The forward's dispose scope.</param>
    /// <param name="program">The loss's generated CPU program.</param>
    /// <returns>The loss as a 0-dim tensor, kept in the state until <c>apply</c> has wrapped it.</returns>
    public Tensor Run<T>(autograd.AutogradContext ctx, DisposeScope scope, FusedProgram<T> program)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(program);
        var spans = new FieldSpans<T>();
        var destinations = new FieldSpans<T>();
        for (var i = 0; i < fields.Length; i++)
        {
            spans.Add(Elements<T>(fields[i]));
            if (state.NeedsBackward && state.RequiresGrad[i])
            {
                gradients[i] = torch.empty(fields[i].shape, fields[i].dtype, fields[i].device);
                destinations.Add(Elements<T>(gradients[i]!));
            }
            else
            {
                destinations.Add(Span<T>.Empty);
            }
        }

        T value;
        using (CpuBackend.LimitThreadsOfThisCall(torch.get_num_threads()))
        {
            value = program.Run(ref spans, ref destinations);
        }

        taken++;
        var result = state.Keep(scope, typeof(T) == typeof(double)
            ? torch.tensor(double.CreateTruncating(value), ScalarType.Float64, fields[0].device)
            : torch.tensor(float.CreateTruncating(value), ScalarType.Float32, fields[0].device));
        if (state.NeedsBackward)
        {
            var saved = new List<Tensor>();
            foreach (var gradient in gradients)
            {
                if (gradient is not null)
                {
                    saved.Add(state.Keep(scope, gradient));
                }
            }

            ctx.save_for_backward(saved);
            ctx.save_data(StateKey, state);
            state.OnCpuPasses = true;
        }

        return result;
    }

    /// <summary>
    /// The backward of a call that took the pass path: the gradients its forward wrote, times the incoming gradient
    /// (nothing to multiply when it is 1, as for <c>loss.backward()</c>), handed to libtorch as
    /// <see cref="FusedOps.Gradients"/> does; null for fields that do not require grad and for the state argument.
    /// </summary>
    /// <param name="ctx">The backward's autograd context.</param>
    /// <param name="state">The call's state.</param>
    /// <param name="scope">The backward's dispose scope.</param>
    /// <param name="gradOutput">The incoming gradient (0-dim).</param>
    /// <returns>The list for TorchSharp.</returns>
    public static List<Tensor> Backward(autograd.AutogradContext ctx, FusedLossState state, DisposeScope scope, Tensor gradOutput)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(gradOutput);
        var saved = ctx.get_saved_variables();
        var scale = gradOutput.ToDouble();
        var result = new Tensor?[state.RequiresGrad.Length + 1];
        var k = 0;
        for (var i = 0; i < state.RequiresGrad.Length; i++)
        {
            if (state.RequiresGrad[i])
            {
                var gradient = saved[k++];

                // Out of place: a saved tensor changed in place would fail a second backward with retain_graph.
                result[i] = scale == 1.0 ? gradient : gradient.mul(gradOutput);
            }
        }

        return FusedOps.Gradients(scope, result);
    }

    /// <summary>The elements of a contiguous CPU tensor of <typeparamref name="T"/>, in place (libtorch's buffer never moves).</summary>
    private static Span<T> Elements<T>(Tensor tensor)
        where T : unmanaged => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, T>(tensor.bytes).Slice(0, (int)tensor.numel());
}

/// <summary>Which path a generated TorchSharp loss takes on tensors the pass path applies to (internal test seam).</summary>
internal enum CpuPassChoice
{
    /// <summary>
    /// The generated passes, unless the generator found the hand-written sweeps faster for the loss and the process
    /// keeps freed memory (where the sweeps were measured faster).
    /// </summary>
    Measured,

    /// <summary>Always the generated passes.</summary>
    Always,

    /// <summary>Never: the ATen composition (with the sweeps unless they are off too).</summary>
    Never,
}
