using System;
using System.Threading.Tasks;
using TorchSharp;

namespace LossDsl.Torch.Sweeps;

/// <summary>Runs a sweep's work items on libtorch's thread budget: inline for one thread or small inputs.</summary>
internal static class SweepParallel
{
    /// <summary>Below this many elements a sweep takes well under a millisecond: starting tasks would cost more.</summary>
    internal const long ParallelThreshold = 1 << 16;

    /// <summary>
    /// Calls <paramref name="body"/> once for each item 0 … <paramref name="items"/> − 1. Items must not depend on
    /// each other; the caller combines anything they produce in item order, so results do not depend on the threads.
    /// </summary>
    /// <param name="items">Number of work items.</param>
    /// <param name="elements">Elements the whole sweep reads (decides whether threads pay off).</param>
    /// <param name="body">The work of one item.</param>
    public static void For(int items, long elements, Action<int> body)
    {
        // Users set torch.set_num_threads for their whole process; a sweep replacing ATen ops should use the same budget.
        var threads = items > 1 && elements >= ParallelThreshold ? torch.get_num_threads() : 1;
        if (threads <= 1)
        {
            for (var item = 0; item < items; item++)
            {
                body(item);
            }

            return;
        }

        Parallel.For(0, items, new ParallelOptions { MaxDegreeOfParallelism = Math.Min(threads, items) }, body);
    }
}
