using System;
using LossDsl.Torch;

namespace LossDsl.Tests.Torch;

/// <summary>The ways a generated TorchSharp loss can run on CPU tensors, forced per thread through internal switches.</summary>
public enum TorchPath
{
    /// <summary>The loss's generated CPU passes over the tensors' memory: what contiguous CPU float tensors get.</summary>
    Passes,

    /// <summary>The ATen composition with FusedOps' hand-written CPU sweeps where its calls allow them.</summary>
    Sweeps,

    /// <summary>The ATen composition alone: what CUDA, other dtypes and strided inputs run.</summary>
    Aten,
}

/// <summary>Runs test code on one <see cref="TorchPath"/> and says which paths the generated calls took meanwhile.</summary>
internal static class TorchPaths
{
    /// <summary>
    /// Runs <paramref name="body"/> on <paramref name="path"/> (on this thread), restoring the default (the generator's
    /// measured choice between passes and sweeps) afterwards; returns how many forwards took the pass path and how many FusedOps calls took a sweep.
    /// </summary>
    public static (long Passes, long Sweeps) On(TorchPath path, Action body)
    {
        CpuPassCall.Choice = path == TorchPath.Passes ? CpuPassChoice.Always : CpuPassChoice.Never;
        FusedOps.SweepsDisabled = path == TorchPath.Aten;
        try
        {
            return Counting(body);
        }
        finally
        {
            CpuPassCall.Choice = CpuPassChoice.Measured;
            FusedOps.SweepsDisabled = false;
        }
    }

    /// <summary>How many forwards took the pass path and how many FusedOps calls took a sweep while <paramref name="body"/> ran.</summary>
    public static (long Passes, long Sweeps) Counting(Action body)
    {
        var (passes, sweeps) = (CpuPassCall.Taken, FusedOps.SweepsTaken);
        body();
        return (CpuPassCall.Taken - passes, FusedOps.SweepsTaken - sweeps);
    }

    /// <summary>The paths every Torch test runs on: the pass path and the forced ATen composition.</summary>
    public static readonly TorchPath[] Tested = { TorchPath.Passes, TorchPath.Aten };
}
