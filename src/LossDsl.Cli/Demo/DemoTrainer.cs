using System;
using System.Collections.Generic;
using System.Linq;
using LossDsl.Metrics;
using LossDsl.Schedules;
using TorchSharp;
using static TorchSharp.torch;

namespace LossDsl.Cli.Demo;

/// <summary>Which loss a run trains with.</summary>
internal enum DemoLoss
{
    /// <summary>Generalized Dice alone, over both classes (the paper's baseline).</summary>
    GeneralizedDice,

    /// <summary>(1 − α)·GDL + α·Boundary, α from the rebalance schedule (the paper's best combination).</summary>
    GeneralizedDiceBoundary,
}

/// <summary>Validation metrics after one epoch.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Alpha">α used during this epoch (0 for GDL alone).</param>
/// <param name="TrainLoss">Mean training loss over the epoch's batches.</param>
/// <param name="Dice">Mean foreground Dice over the validation images that contain an object.</param>
/// <param name="Hd95">Mean foreground HD95 (pixels) over the same images; the image diagonal where the prediction is empty.</param>
/// <param name="FalseAlarms">Validation images without an object on which the net predicts any foreground.</param>
internal sealed record EpochMetrics(int Epoch, double Alpha, double TrainLoss, double Dice, double Hd95, int FalseAlarms);

/// <summary>The outcome of one training run.</summary>
internal sealed record DemoRun(DemoLoss Loss, IReadOnlyList<EpochMetrics> Epochs, byte[] ValidationPredictions)
{
    public EpochMetrics Final => Epochs[^1];

    public string Label => Loss == DemoLoss.GeneralizedDice ? "GDL" : "GDL + boundary";
}

/// <summary>Trains the U-Net on one loss and evaluates it after every epoch.</summary>
internal sealed class DemoTrainer(DemoSettings settings, Device device, DemoSplit train, DemoSplit validation)
{
    private static readonly int[] BothClasses = [0, 1];
    private static readonly int[] Foreground = [1];

    /// <summary>Batches per epoch (the last batch may be smaller).</summary>
    public int BatchesPerEpoch => (train.Count + settings.BatchSize - 1) / settings.BatchSize;

    /// <summary>Runs the whole training; <paramref name="onBatch"/> is called after every batch, <paramref name="onEpoch"/> after every evaluation.</summary>
    public DemoRun Train(DemoLoss loss, Action onBatch, Action<EpochMetrics> onEpoch)
    {
        int size = settings.Size;
        // Same seed for both losses: the same initial weights and the same batch order.
        torch.manual_seed(settings.Seed);
        using var model = new UNet(inChannels: 1, classes: 2, width: settings.Width);
        model.to(device);
        using var optimizer = torch.optim.Adam(model.parameters(), lr: settings.LearningRate);
        // Cosine annealing to zero over the run: the last epochs settle instead of jumping from batch noise, so the
        // final comparison measures the losses, not where a noisy curve happened to stop.
        var learningRate = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, settings.Epochs);
        var schedule = WeightSchedule.Rebalance(settings.AlphaStart, settings.AlphaStep, settings.AlphaMaximum);

        using Tensor images = torch.tensor(train.Images, [train.Count, 1, size, size]).to(device);
        using Tensor targets = torch.tensor(train.OneHot, [train.Count, 2, size, size]).to(device);
        using Tensor distances = torch.tensor(train.Distances, [train.Count, 2, size, size]).to(device);

        var history = new List<EpochMetrics>();
        byte[] predictions = [];
        for (int epoch = 1; epoch <= settings.Epochs; epoch++)
        {
            model.train();
            double alpha = loss == DemoLoss.GeneralizedDice ? 0 : schedule.Alpha;
            int[] order = DemoRandom.For(settings.Seed, 100, (ulong)epoch).Permutation(train.Count);
            double lossSum = 0;
            int batches = 0;
            for (int start = 0; start < train.Count; start += settings.BatchSize)
            {
                using var scope = torch.NewDisposeScope();
                long[] batch = order.Skip(start).Take(settings.BatchSize).Select(i => (long)i).ToArray();
                Tensor index = torch.tensor(batch, device: device);
                Tensor x = images.index_select(0, index);
                Tensor y = targets.index_select(0, index);
                Tensor logits = model.forward(x);
                Tensor gdl = SegmentationLosses.GeneralizedDiceFromLogits(logits, y, BothClasses);
                Tensor value = loss == DemoLoss.GeneralizedDice
                    ? gdl
                    : schedule.Combine(gdl, SegmentationLosses.BoundaryFromLogits(logits, distances.index_select(0, index), Foreground));
                optimizer.zero_grad();
                value.backward();
                optimizer.step();
                lossSum += value.ToDouble();
                batches++;
                onBatch();
            }

            (double dice, double hd95, int falseAlarms, predictions) = Evaluate(model);
            var metrics = new EpochMetrics(epoch, alpha, lossSum / batches, dice, hd95, falseAlarms);
            history.Add(metrics);
            onEpoch(metrics);
            schedule.Step();
            learningRate.step();
        }
        return new DemoRun(loss, history, predictions);
    }

    /// <summary>
    /// Foreground Dice and HD95 of the argmax prediction, averaged over the validation images that contain an object
    /// (as the paper, which scores each patient volume, all of which have lesions), and the number of images without
    /// an object on which the net predicts anything (HD95 is undefined there, and Dice would be all or nothing).
    /// </summary>
    private (double Dice, double Hd95, int FalseAlarms, byte[] Predictions) Evaluate(UNet model)
    {
        int size = settings.Size, pixels = size * size;
        model.eval();
        var predictions = new byte[validation.Count * pixels];
        using (torch.no_grad())
        {
            for (int start = 0; start < validation.Count; start += settings.BatchSize)
            {
                using var scope = torch.NewDisposeScope();
                int count = Math.Min(settings.BatchSize, validation.Count - start);
                Tensor x = torch.tensor(validation.Images.AsSpan(start * pixels, count * pixels).ToArray(), [count, 1, size, size]).to(device);
                Tensor labels = model.forward(x).argmax(1).to(ScalarType.Byte).cpu();
                labels.data<byte>().CopyTo(predictions.AsSpan(start * pixels, count * pixels));
            }
        }

        double diceSum = 0, hdSum = 0;
        int withObject = 0, falseAlarms = 0;
        int[] shape = [size, size];
        for (int i = 0; i < validation.Count; i++)
        {
            ReadOnlySpan<byte> predicted = predictions.AsSpan(i * pixels, pixels);
            ReadOnlySpan<byte> truth = validation.Masks.AsSpan(i * pixels, pixels);
            if (truth.IndexOf((byte)1) < 0)
            {
                if (predicted.IndexOf((byte)1) >= 0)
                    falseAlarms++;
                continue;
            }
            withObject++;
            diceSum += SegmentationMetrics.Dice(predicted, truth);
            hdSum += SegmentationMetrics.SurfaceDistances(predicted, truth, shape, default, EmptyMaskDistance.ImageDiagonal, maxDegreeOfParallelism: 1).Hausdorff95;
        }
        return withObject == 0 ? (double.NaN, double.NaN, falseAlarms, predictions) : (diceSum / withObject, hdSum / withObject, falseAlarms, predictions);
    }
}
