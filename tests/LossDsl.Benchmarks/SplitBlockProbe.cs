using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using LossDsl.Cpu;

namespace LossDsl.Benchmarks;

/// <summary>
/// An experiment for issue 12 (not generated code): <c>Sum(Softmax(p))</c>, the program the generator writes for
/// <see cref="ProbeLosses.SoftmaxOnly"/>, value only, with each block's vector loop moved into a method of its own,
/// so that the JIT allocates registers per loop instead of across the whole pass. Timed next to the generated program
/// by <c>dotnet run -c Release -- cpu</c>.
/// </summary>
internal sealed class SplitBlockSoftmaxProgram : FusedProgram<float>
{
    private int pass1Slots;

    public SplitBlockSoftmaxProgram(FieldShape shape)
        : base(shape)
    {
    }

    protected override float Execute()
    {
        pass1Slots = 1;
        var partials = RunPass(Pass1, pass1Slots);
        return CombineScalar(partials, pass1Slots, 0);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Pass1(int item, float[] partials)
    {
        var (start, end, firstBatch, endBatch) = ItemRange(item);
        ref float pData = ref Field(0);
        // Plain spans (the generated code's slots are not sliceable): the probe passes a class's slots to its method.
        Span<Vector<float>> expByClass = new Vector<float>[Shape.Classes * TileVectors];
        Span<Vector<float>> maxTile = new Vector<float>[TileVectors];
        Span<Vector<float>> totalTile = new Vector<float>[TileVectors];
        Span<Vector<float>> reciprocalTile = new Vector<float>[TileVectors];
        var loss = Broadcast(0f);
        for (var b = firstBatch; b < endBatch; b++)
        {
            for (var tile = start; tile < end; tile += TileLength)
            {
                var vectors = VectorsIn(tile, end);
                maxTile.Fill(Broadcast(float.NegativeInfinity));
                for (var c = 0; c < Shape.Classes; c++)
                {
                    MaxBlock(ref pData, At(b, c, tile), tile, end, vectors, maxTile);
                }

                totalTile.Fill(Broadcast(0f));
                for (var c = 0; c < Shape.Classes; c++)
                {
                    ExpBlock(ref pData, At(b, c, tile), tile, end, vectors, maxTile, expByClass.Slice(c * TileVectors, TileVectors), totalTile);
                }

                ReciprocalBlock(vectors, totalTile, reciprocalTile);
                for (var c = 0; c < Shape.Classes; c++)
                {
                    loss += SoftmaxBlock(tile, end, vectors, expByClass.Slice(c * TileVectors, TileVectors), reciprocalTile);
                }
            }
        }

        partials[item * pass1Slots] = SumLanes(loss);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void MaxBlock(ref float data, int row, int tile, int end, int vectors, Span<Vector<float>> maxTile)
    {
        for (var v = 0; v < vectors; v++)
        {
            var lanes = end - (tile + (v * Width));
            maxTile[v] = Max(maxTile[v], Load(ref data, row + (v * Width), lanes));
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void ExpBlock(ref float data, int row, int tile, int end, int vectors, Span<Vector<float>> maxTile, Span<Vector<float>> exp, Span<Vector<float>> totalTile)
    {
        for (var v = 0; v < vectors; v++)
        {
            var lanes = end - (tile + (v * Width));
            var e = Exp(Load(ref data, row + (v * Width), lanes) - maxTile[v]);
            exp[v] = e;
            totalTile[v] += e;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void ReciprocalBlock(int vectors, Span<Vector<float>> totalTile, Span<Vector<float>> reciprocalTile)
    {
        var one = Broadcast(1f);
        for (var v = 0; v < vectors; v++)
        {
            reciprocalTile[v] = one / totalTile[v];
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static Vector<float> SoftmaxBlock(int tile, int end, int vectors, Span<Vector<float>> exp, Span<Vector<float>> reciprocalTile)
    {
        var share = Broadcast(0f);
        for (var v = 0; v < vectors; v++)
        {
            var lanes = end - (tile + (v * Width));
            share += ForSum(exp[v] * reciprocalTile[v], lanes);
        }

        return share;
    }
}
