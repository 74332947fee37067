using System;
using System.ComponentModel;
using TorchSharp;
using static TorchSharp.torch;

namespace LossDsl.Torch;

/// <summary>
/// Argument checks of the generated TorchSharp losses. Every field of one call must be a float32 or float64 tensor
/// laid out <c>(B, C, *spatial)</c> (rank ≥ 2; no spatial axis is allowed, like the CPU back end), all of the same
/// shape, dtype and device. Non-contiguous tensors are accepted: the generated code reads them through TorchSharp
/// operations, which follow strides, and the fused dot products copy only where a flat view is impossible.
/// </summary>
/// <remarks>Called by generated code; not meant to be called directly.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class TorchArguments
{
    /// <summary>Checks the first field of a call: not null, floating point (float32/float64), rank ≥ 2, not empty.</summary>
    /// <param name="loss">The loss, for messages.</param>
    /// <param name="field">The tensor.</param>
    /// <param name="name">The parameter name.</param>
    public static void CheckField(string loss, Tensor? field, string name)
    {
        if (field is null)
        {
            throw new ArgumentNullException(name, $"{loss}: field '{name}' is null.");
        }

        if (field.IsInvalid)
        {
            throw new ArgumentException($"{loss}: field '{name}' has been disposed.", name);
        }

        if (field.dtype != ScalarType.Float32 && field.dtype != ScalarType.Float64)
        {
            throw new ArgumentException(
                $"{loss}: field '{name}' has dtype {field.dtype}; the generated losses work on Float32 or Float64 tensors (convert with .to_type(ScalarType.Float32)).",
                name);
        }

        if (field.ndim < 2)
        {
            throw new ArgumentException(
                $"{loss}: field '{name}' has shape {Describe(field)}; a field is laid out (B, C, *spatial), rank 2 or more.",
                name);
        }

        if (field.numel() == 0)
        {
            throw new ArgumentException($"{loss}: field '{name}' has shape {Describe(field)}, which holds no element.", name);
        }
    }

    /// <summary>Checks another field of the same call against the first: same shape, dtype and device.</summary>
    /// <param name="loss">The loss, for messages.</param>
    /// <param name="first">The first field (already checked).</param>
    /// <param name="firstName">Its parameter name.</param>
    /// <param name="field">The field to check.</param>
    /// <param name="name">Its parameter name.</param>
    public static void CheckSameLayout(string loss, Tensor first, string firstName, Tensor? field, string name)
    {
        CheckField(loss, field, name);
        if (field!.dtype != first.dtype)
        {
            throw new ArgumentException(
                $"{loss}: field '{name}' has dtype {field.dtype} but '{firstName}' has dtype {first.dtype}; all fields of one call must have the same dtype.",
                name);
        }

        if (!SameDevice(field.device, first.device))
        {
            throw new ArgumentException(
                $"{loss}: field '{name}' is on {field.device} but '{firstName}' is on {first.device}; move them to one device first.",
                name);
        }

        var a = first.shape;
        var b = field.shape;
        var same = a.Length == b.Length;
        for (var i = 0; same && i < a.Length; i++)
        {
            same = a[i] == b[i];
        }

        if (!same)
        {
            throw new ArgumentException(
                $"{loss}: field '{name}' has shape {Describe(field)} but '{firstName}' has shape {Describe(first)}; all fields of one call must have the same shape.",
                name);
        }
    }

    /// <summary>Checks a class list: not null, not empty, every index in <c>[0, classes)</c>.</summary>
    /// <param name="loss">The loss, for messages.</param>
    /// <param name="idc">The class indices.</param>
    /// <param name="name">The parameter name.</param>
    /// <param name="classes">C, the size of the fields' class axis.</param>
    public static void CheckClassList(string loss, int[]? idc, string name, long classes)
    {
        if (idc is null)
        {
            throw new ArgumentNullException(name, $"{loss}: class list '{name}' is null.");
        }

        if (idc.Length == 0)
        {
            throw new ArgumentException($"{loss}: class list '{name}' is empty; list at least one class index.", name);
        }

        for (var i = 0; i < idc.Length; i++)
        {
            if (idc[i] < 0 || idc[i] >= classes)
            {
                throw new ArgumentOutOfRangeException(
                    name,
                    idc[i],
                    $"{loss}: class list '{name}' holds {idc[i]} at position {i}, but the fields have {classes} classes (valid indices 0..{classes - 1}).");
            }
        }
    }

    private static bool SameDevice(Device a, Device b) => a.type == b.type && a.index == b.index;

    private static string Describe(Tensor t) => "(" + string.Join(", ", t.shape) + ")";
}
