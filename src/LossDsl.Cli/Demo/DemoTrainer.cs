using System;
using System.Collections.Generic;
using System.Diagnostics;
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
/// <param name="Seed">The seed of its data, initial weights and batches.</param>
/// <param name="Loss">The loss it trained with.</param>
/// <param name="Epochs">Validation metrics after every epoch.</param>
/// <param name="ValidationPredictions">The last epoch's argmax predictions of the validation images.</param>
/// <param name="Timing">What the run's batches cost (wall clock: not part of the deterministic output).</param>
internal sealed record DemoRun(int Seed, DemoLoss Loss, IReadOnlyList<EpochMetrics> Epochs, byte[] ValidationPredictions, BatchTiming Timing)
{
    public EpochMetrics Final => Epochs[^1];

    public string Label => DemoTrainer.Label(Loss);
}

/// <summary>Wall-clock cost of a run's batches so far: the distance maps of the augmented labels, and the training step (forward, loss, backward, optimizer), in milliseconds per batch.</summary>
internal sealed record BatchTiming(IReadOnlyList<double> MapMilliseconds, IReadOnlyList<double> StepMilliseconds)
{
    public static BatchTiming None { get; } = new([], []);

    public int MapBatches => MapMilliseconds.Count;

    public double MapMillisecondsPerBatch => MapMilliseconds.Count == 0 ? double.NaN : MapMilliseconds.Average();

    public double StepMillisecondsPerBatch => StepMilliseconds.Count == 0 ? double.NaN : StepMilliseconds.Average();
}

/// <summary>
/// Trains the U-Net on one loss and one seed, evaluating it after every epoch, on one libtorch thread. The demo runs
/// each trainer in a worker process of its own (<see cref="DemoWorkers"/>); the lock around libtorch's global random
/// generator keeps the initial weights right should two ever share a process.
/// </summary>
internal sealed class DemoTrainer(DemoSettings settings, Device device, int seed, DemoSplit train, DemoSplit validation)
{
    private static readonly int[] BothClasses = [0, 1];
    private static readonly int[] Foreground = [1];
    private static readonly object InitialWeightsLock = new();
    private const ulong BatchOrderStream = 100;

    public static string Label(DemoLoss loss) => loss == DemoLoss.GeneralizedDice ? "GDL" : "GDL + boundary";

    /// <summary>Batches per epoch (the last batch may be smaller).</summary>
    public int BatchesPerEpoch => (train.Count + settings.BatchSize - 1) / settings.BatchSize;

    /// <summary>Runs the whole training; <paramref name="onBatch"/> is called after every batch, <paramref name="onEpoch"/> after every evaluation.</summary>
    public DemoRun Train(DemoLoss loss, Action<BatchTiming> onBatch, Action<EpochMetrics> onEpoch)
    {
        int side = settings.CropSize;
        // This thread's libtorch operations run on this thread alone (the count is also per OpenMP thread).
        if (device.type == DeviceType.CPU)
            torch.set_num_threads(settings.Threads);
        UNet model;
        lock (InitialWeightsLock)
        {
            // Same seed for both losses: the same initial weights. libtorch's generator is global: one model at a time.
            torch.manual_seed(seed);
            model = new UNet(inChannels: 1, classes: 2, width: settings.Width);
        }
        using var modelScope = model;
        model.to(device);
        using var optimizer = new DemoAdam(model.parameters(), settings.LearningRate);
        var schedule = WeightSchedule.Rebalance(settings.AlphaStart, settings.AlphaStep, settings.AlphaMaximum);
        var augmenter = new BatchAugmenter(train, side, settings.Augment, settings.DistanceVariant);
        bool withDistances = loss == DemoLoss.GeneralizedDiceBoundary;

        var history = new List<EpochMetrics>();
        byte[] predictions = [];
        var mapTimes = new List<double>();
        var stepTimes = new List<double>();
        for (int epoch = 1; epoch <= settings.Epochs; epoch++)
        {
            model.train();
            // Cosine annealing to zero over the run: the last epochs settle instead of jumping from batch noise, so the
            // final comparison measures the losses, not where a noisy curve happened to stop.
            optimizer.LearningRate = settings.LearningRate * (1 + Math.Cos(Math.PI * (epoch - 1) / settings.Epochs)) / 2;
            double alpha = loss == DemoLoss.GeneralizedDice ? 0 : schedule.Alpha;
            int[] order = DemoRandom.For(seed, BatchOrderStream, (ulong)epoch).Permutation(train.Count);
            double lossSum = 0;
            int batches = 0;
            for (int start = 0; start < train.Count; start += settings.BatchSize)
            {
                int count = Math.Min(settings.BatchSize, train.Count - start);
                using (CollectionPause.Begin(settings.IsWorker))
                {
                    // The same crops, flips and rotations for both losses of a seed; maps only where the loss reads them.
                    AugmentedBatch batch = augmenter.Make(seed, epoch, batches, order.AsSpan(start, count), withDistances);
                    long stepStart = Stopwatch.GetTimestamp();
                    using var scope = torch.NewDisposeScope();
                    Tensor x = torch.tensor(batch.Images, [count, 1, side, side]).to(device);
                    Tensor y = torch.tensor(batch.OneHot, [count, 2, side, side]).to(device);
                    Tensor logits = model.forward(x);
                    Tensor gdl = SegmentationLosses.GeneralizedDiceFromLogits(logits, y, BothClasses);
                    Tensor value = withDistances
                        ? schedule.Combine(gdl, SegmentationLosses.BoundaryFromLogits(logits, torch.tensor(batch.Distances, [count, 2, side, side]).to(device), Foreground))
                        : gdl;
                    optimizer.ZeroGrad();
                    value.backward();
                    optimizer.Step();
                    lossSum += value.ToDouble();
                    stepTimes.Add(Stopwatch.GetElapsedTime(stepStart).TotalMilliseconds);
                    if (withDistances)
                        mapTimes.Add(batch.MapTicks * 1000.0 / Stopwatch.Frequency);
                }
                batches++;
                onBatch(new BatchTiming(mapTimes, stepTimes));
            }

            double dice, hd95;
            int falseAlarms;
            using (CollectionPause.Begin(settings.IsWorker))
                (dice, hd95, falseAlarms, predictions) = Evaluate(model);
            var metrics = new EpochMetrics(epoch, alpha, lossSum / batches, dice, hd95, falseAlarms);
            history.Add(metrics);
            onEpoch(metrics);
            schedule.Step();
        }
        return new DemoRun(seed, loss, history, predictions, new BatchTiming(mapTimes, stepTimes));
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
