using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.ComponentModel;
using TorchSharp;
using static TorchSharp.torch;

namespace LossDsl.Torch;

/// <summary>
/// Building blocks of the generated TorchSharp code. Values are kept in a "keep-dim" layout: a value over some of
/// the axes <c>(B, C, *S)</c> has the fields' rank, with size 1 along the axes it does not have, so that
/// broadcasting works whatever the (run-time) number of spatial axes. Used by generated code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static partial class FusedOps
{
    // Per thread: a gradient handed to libtorch may only be disposed once that thread's backward has returned to
    // libtorch and been copied. A process-wide queue let another thread's generated call dispose it in between
    // (a use after free that showed up as a null .grad under parallel tests).
    [ThreadStatic]
    private static Queue<Tensor>? deferred;
    private static long backwardCalls;

    /// <summary>How many generated backward functions have run in this process (for tests: one per fused loss node).</summary>
    public static long BackwardCalls => System.Threading.Interlocked.Read(ref backwardCalls);

    /// <summary>The dimensions to reduce for the given axes, for a value of rank <paramref name="ndim"/>.</summary>
    /// <param name="ndim">The fields' rank.</param>
    /// <param name="batch">Reduce the batch axis (0).</param>
    /// <param name="classes">Reduce the class axis (1).</param>
    /// <param name="spatial">Reduce the spatial axes (2 … ndim−1).</param>
    /// <returns>The dimension indices, ascending.</returns>
    public static long[] ReduceDims(long ndim, bool batch, bool classes, bool spatial)
    {
        var count = (batch ? 1 : 0) + (classes ? 1 : 0) + (spatial ? (int)Math.Max(0, ndim - 2) : 0);
        var dims = new long[count];
        var k = 0;
        if (batch)
        {
            dims[k++] = 0;
        }

        if (classes)
        {
            dims[k++] = 1;
        }

        if (spatial)
        {
            for (long d = 2; d < ndim; d++)
            {
                dims[k++] = d;
            }
        }

        return dims;
    }

    /// <summary>Σ over the given axes, keeping them as size-1 dimensions (a no-op copy-free view when nothing is reduced).</summary>
    /// <param name="x">The value.</param>
    /// <param name="dims">From <see cref="ReduceDims"/>.</param>
    /// <returns>The sum, in keep-dim layout.</returns>
    public static Tensor Sum(Tensor x, long[] dims) => dims.Length == 0 ? x.clone() : x.sum(dims, keepdim: true);

    /// <summary>Maximum over the given axes, keeping them as size 1 (NaN if any element reduced is NaN).</summary>
    /// <param name="x">The value.</param>
    /// <param name="dims">The axes to reduce.</param>
    /// <returns>A new tensor.</returns>
    public static Tensor Max(Tensor x, long[] dims) => dims.Length == 0 ? x.clone() : x.amax(dims, keepdim: true);

    /// <summary>Heaviside step in the dtype of <paramref name="x"/>: 1 where x &gt; 0, else 0, NaN where x is NaN.</summary>
    /// <param name="x">The value.</param>
    /// <returns>A new tensor.</returns>
    public static Tensor Step(Tensor x)
    {
        using var positive = x.gt(0);
        using var step = positive.to_type(x.dtype);
        using var nan = x.isnan();
        return step.where(nan.logical_not(), x);
    }

    /// <summary>
    /// Σ a·b over the given axes without materialising the product where the layout allows: one <c>dot</c> for a
    /// total sum, a sweep of <see cref="SpatialSums(Tensor[], Tensor?[])"/> for sums over the spatial axes of
    /// contiguous CPU tensors; otherwise a multiplication and a sum. <paramref name="a"/> and <paramref name="b"/> have the same shape.
    /// </summary>
    /// <param name="a">A value with every axis of the product.</param>
    /// <param name="b">Another, of the same shape.</param>
    /// <param name="batch">Reduce the batch axis.</param>
    /// <param name="classes">Reduce the class axis.</param>
    /// <param name="spatial">Reduce the spatial axes.</param>
    /// <returns>The sum, in keep-dim layout.</returns>
    public static Tensor SumOfProducts(Tensor a, Tensor b, bool batch, bool classes, bool spatial)
    {
        var factors = new[] { a };
        var cofactors = new Tensor?[] { b };
        if (!batch && !classes && spatial && CanSweepSums(factors, cofactors))
        {
            // Per (b, c) plane on CPU: one sweep, no product buffer.
            return SweepSums(factors, cofactors)[0];
        }

        var shape = a.shape;
        var ndim = shape.Length;
        if (!ShapesEqual(shape, b.shape))
        {
            using var product = a.mul(b);
            return Sum(product, ReduceDims(ndim, batch, classes, spatial));
        }

        long positions = 1;
        for (var d = 2; d < ndim; d++)
        {
            positions *= shape[d];
        }

        var keep = (long[])shape.Clone();
        if (batch && classes && (spatial || ndim == 2))
        {
            Array.Fill(keep, 1L);
            using var flatA = a.reshape(-1);
            using var flatB = b.reshape(-1);
            using var dot = flatA.dot(flatB);
            return dot.reshape(keep);
        }

        using (var product = a.mul(b))
        {
            return Sum(product, ReduceDims(ndim, batch, classes, spatial));
        }
    }

    /// <summary>The class indices as an int64 tensor on <paramref name="device"/> (for index_select / index_add).</summary>
    /// <param name="idc">The class list (checked).</param>
    /// <param name="device">The fields' device.</param>
    /// <returns>A new tensor.</returns>
    public static Tensor ClassIndex(int[] idc, Device device)
    {
        var longs = new long[idc.Length];
        for (var i = 0; i < idc.Length; i++)
        {
            longs[i] = idc[i];
        }

        return torch.tensor(longs, dtype: ScalarType.Int64, device: device);
    }

    /// <summary>Restriction to the listed classes: <c>x[:, idc]</c>.</summary>
    /// <param name="x">A value with the class axis.</param>
    /// <param name="index">From <see cref="ClassIndex"/>.</param>
    /// <returns>A new tensor.</returns>
    public static Tensor Select(Tensor x, Tensor index) => x.index_select(1, index);

    /// <summary>
    /// The adjoint of <see cref="Select"/>: class plane c of the result is the sum of the planes k of
    /// <paramref name="x"/> with <c>idc[k] = c</c>, zero for classes not listed. A value without the class axis
    /// (size 1) stands for the same plane in every listed class.
    /// </summary>
    /// <param name="x">A value over the selected classes (or without the class axis).</param>
    /// <param name="index">From <see cref="ClassIndex"/>.</param>
    /// <param name="classes">C.</param>
    /// <returns>A new tensor over all classes.</returns>
    public static Tensor Scatter(Tensor x, Tensor index, long classes)
    {
        var shape = (long[])x.shape.Clone();
        var count = index.shape[0];
        shape[1] = count;
        using var source = x.shape[1] == count ? x.alias() : x.expand(shape);
        shape[1] = classes;
        var result = torch.zeros(shape, dtype: x.dtype, device: x.device);
        using var one = 1.0.ToScalar();
        result.index_add_(1, index, source, one);
        return result;
    }

    /// <summary>
    /// The scatter of a host value: a <c>(1, C, 1, …)</c> tensor holding, for each class c, <paramref name="value"/>
    /// times the number of times c is listed (0 for classes not listed), on <paramref name="like"/>'s device and dtype.
    /// </summary>
    /// <param name="value">The value scattered.</param>
    /// <param name="idc">The class list (checked).</param>
    /// <param name="shape">The fields' shape.</param>
    /// <param name="like">A tensor with the fields' dtype and device.</param>
    /// <returns>A new tensor.</returns>
    public static Tensor ScatterConstant(double value, int[] idc, long[] shape, Tensor like)
    {
        var classes = shape[1];
        var values = new double[classes];
        foreach (var c in idc)
        {
            values[c] += value;
        }

        var keep = new long[shape.Length];
        Array.Fill(keep, 1L);
        keep[1] = classes;
        using var flat = torch.tensor(values, dtype: like.dtype, device: like.device);
        return flat.reshape(keep);
    }

    /// <summary>
    /// The backward of softmax over the classes: <c>p·(u − Σ_c u·p)</c>, in three passes over one buffer
    /// (<c>u·p</c>, its class sum, then <c>− p·sum</c> fused in place).
    /// </summary>
    /// <param name="u">The incoming gradient with respect to the softmax output, full shape.</param>
    /// <param name="p">The softmax output.</param>
    /// <param name="inPlace">Whether <paramref name="u"/> is a temporary that may be overwritten.</param>
    /// <returns><paramref name="u"/> overwritten, or a new tensor.</returns>
    public static Tensor SoftmaxBackward(Tensor u, Tensor p, bool inPlace)
    {
        var product = inPlace ? u.mul_(p) : u.mul(p);
        using var sum = product.sum(1, keepdim: true);
        using var minusOne = (-1.0).ToScalar();
        return product.addcmul_(p, sum, minusOne);
    }

    /// <summary>Element count of the given axes: the divisor of a mean.</summary>
    /// <param name="shape">The fields' shape.</param>
    /// <param name="batch">Count the batch axis.</param>
    /// <param name="classes">Count the class axis.</param>
    /// <param name="selected">When ≥ 0, the class count (a selected class list) instead of C.</param>
    /// <param name="spatial">Count the spatial positions.</param>
    /// <returns>The product, as a double.</returns>
    public static double Extent(long[] shape, bool batch, bool classes, int selected, bool spatial)
    {
        double n = 1;
        if (batch)
        {
            n *= shape[0];
        }

        if (classes)
        {
            n *= selected >= 0 ? selected : shape[1];
        }

        if (spatial)
        {
            for (var d = 2; d < shape.Length; d++)
            {
                n *= shape[d];
            }
        }

        return n;
    }

    /// <summary>1 where a ≥ b, else 0, in the dtype of <paramref name="a"/>.</summary>
    /// <param name="a">Left.</param>
    /// <param name="b">Right.</param>
    /// <returns>A new tensor.</returns>
    public static Tensor GreaterOrEqual(Tensor a, Tensor b)
    {
        using var mask = a.ge(b);
        return mask.to_type(a.dtype);
    }

    /// <summary>1 where a ≥ b, else 0.</summary>
    /// <param name="a">Left.</param>
    /// <param name="b">Right.</param>
    /// <returns>A new tensor.</returns>
    public static Tensor GreaterOrEqual(Tensor a, TorchSharp.Scalar b)
    {
        using var mask = a.ge(b);
        return mask.to_type(a.dtype);
    }

    /// <summary>1 where a ≥ b, else 0.</summary>
    /// <param name="a">Left.</param>
    /// <param name="b">Right.</param>
    /// <returns>A new tensor.</returns>
    public static Tensor GreaterOrEqual(TorchSharp.Scalar a, Tensor b)
    {
        using var mask = b.le(a);
        return mask.to_type(b.dtype);
    }

    /// <summary>The loss value as a 0-dim tensor (from its keep-dim layout).</summary>
    /// <param name="x">A value with one element.</param>
    /// <returns>A new 0-dim tensor (a view when possible).</returns>
    public static Tensor ToResult(Tensor x) => x.reshape(Array.Empty<long>());

    /// <summary>A constant value over nothing, as a tensor (a gradient that does not depend on the inputs).</summary>
    /// <param name="value">The value.</param>
    /// <param name="like">A field: dtype and device.</param>
    /// <returns>A new 0-dim tensor.</returns>
    public static Tensor Constant(double value, Tensor like) => torch.full(Array.Empty<long>(), value, dtype: like.dtype, device: like.device);

    /// <summary>A gradient in the field's shape: expanded (a view) when it is constant along some axes.</summary>
    /// <param name="gradient">The gradient in keep-dim layout.</param>
    /// <param name="shape">The field's shape.</param>
    /// <returns><paramref name="gradient"/> itself or a new expanded view of it.</returns>
    public static Tensor Expand(Tensor gradient, long[] shape) =>
        ShapesEqual(gradient.shape, shape) ? gradient : gradient.expand(shape);

    /// <summary>
    /// Hands a gradient from a generated backward to libtorch: detaches it from <paramref name="scope"/> and defers its
    /// disposal. TorchSharp's backward bridge copies the native tensor after the managed backward returns and never
    /// disposes the managed object; the deferred queue disposes it at the start of the next generated call (or
    /// <see cref="ReleaseDeferred"/>), so at most one backward's gradients are waiting at any time.
    /// </summary>
    /// <param name="scope">The backward's dispose scope.</param>
    /// <param name="gradient">The gradient (possibly null).</param>
    /// <returns><paramref name="gradient"/>.</returns>
    public static Tensor? HandOff(DisposeScope scope, Tensor? gradient)
    {
        if (gradient is null)
        {
            return null;
        }

        if (scope.Contains(gradient))
        {
            scope.Detach(gradient);
        }

        (deferred ??= new Queue<Tensor>()).Enqueue(gradient);
        return gradient;
    }

    /// <summary>The list a generated backward returns: each gradient handed off (see <see cref="HandOff"/>), nulls kept.</summary>
    /// <param name="scope">The backward's dispose scope.</param>
    /// <param name="gradients">One entry per argument of <c>apply</c>, null where there is no gradient.</param>
    /// <returns>The list for TorchSharp.</returns>
    public static System.Collections.Generic.List<Tensor> Gradients(DisposeScope scope, params Tensor?[] gradients)
    {
        System.Threading.Interlocked.Increment(ref backwardCalls);
        var list = new System.Collections.Generic.List<Tensor>(gradients.Length);
        foreach (var gradient in gradients)
        {
            list.Add(HandOff(scope, gradient)!);
        }

        return list;
    }

    /// <summary>
    /// Disposes the gradients this thread's earlier backward calls handed to libtorch (they are no longer referenced:
    /// a backward's gradients are copied before the thread that ran it can start another generated call).
    /// </summary>
    public static void ReleaseDeferred()
    {
        while (deferred is { Count: > 0 })
        {
            deferred.Dequeue().Dispose();
        }
    }

    /// <summary>How many handed-off gradients of this thread wait for disposal (for tests).</summary>
    public static int DeferredCount => deferred?.Count ?? 0;

    private static bool ShapesEqual(long[] a, long[] b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] != b[i])
            {
                return false;
            }
        }

        return true;
    }
}
