using System;
using LossDsl.Distance;

namespace LossDsl.Cli.Demo;

/// <summary>Everything that decides a demo run. Two runs with equal settings on the CPU give equal results, whatever the number of workers.</summary>
/// <param name="Epochs">Training epochs per loss (≥ 1).</param>
/// <param name="Size">Image side in pixels (a multiple of 4, ≥ 16).</param>
/// <param name="Seed">The first seed; seed <c>Seed + k</c> makes the data, initial weights and batches of run <c>k</c>.</param>
/// <param name="Output">The folder for the plots and the CSV.</param>
/// <param name="Device">"cpu" or "cuda".</param>
/// <param name="TrainImages">Training images.</param>
/// <param name="ValidationImages">Validation images.</param>
internal sealed record DemoSettings(int Epochs, int Size, int Seed, string Output, string Device, int TrainImages, int ValidationImages)
{
    public const int DefaultEpochs = 30;
    public const int DefaultSize = 64;
    public const int DefaultSeed = 1;
    public const int DefaultTrainImages = 160;
    public const int DefaultValidationImages = 96;
    public const int DefaultRuns = 3;
    public const string DefaultOutput = "lossdsl-demo";

    /// <summary>The demo as run without options.</summary>
    public static DemoSettings Default { get; } = new(DefaultEpochs, DefaultSize, DefaultSeed, DefaultOutput, "cpu", DefaultTrainImages, DefaultValidationImages);

    /// <summary>Paired runs: each trains both losses on the same data, weights and batches of its own seed.</summary>
    public int Runs { get; init; } = DefaultRuns;

    /// <summary>Trainings run at the same time, each in its own process with one libtorch thread (0: as many as cores, at most the number of trainings).</summary>
    public int Workers { get; init; }

    /// <summary>This process is a worker of a parent demo: it trains one seed and one loss and reports in <see cref="DemoWorkers"/>' line protocol.</summary>
    public bool IsWorker { get; init; }

    /// <summary>How hard the synthetic task is (contrast, noise, fuzzy borders, object size).</summary>
    public DataSpec Data { get; init; } = DataSpec.Default;

    /// <summary>Side of the random training crops (a multiple of 4, at most <see cref="Size"/>; 0: three quarters of the image side, rounded to a multiple of 4).</summary>
    public int Crop { get; init; }

    /// <summary>The training crop's side after the default is resolved.</summary>
    public int CropSize => Crop > 0 ? Crop : Math.Max(16, Size * 3 / 4 / 4 * 4);

    /// <summary>Random flips and 90° rotations of every training image of every batch (crops are always random).</summary>
    public bool Augment { get; init; } = true;

    /// <summary>Images per batch (the paper's 2-D runs use 8).</summary>
    public int BatchSize { get; init; } = 8;

    /// <summary>Channels of the U-Net's first level.</summary>
    public int Width { get; init; } = 8;

    /// <summary>Adam's learning rate.</summary>
    public double LearningRate { get; init; } = 2e-3;

    /// <summary>The rebalance schedule: α starts here…</summary>
    public double AlphaStart { get; init; } = 0.01;

    /// <summary>…and grows by this much per epoch…</summary>
    public double AlphaStep { get; init; } = 0.01;

    /// <summary>…up to this value.</summary>
    public double AlphaMaximum { get; init; } = 1.0;

    /// <summary>The signed distance map the boundary term uses.</summary>
    public SignedDistanceVariant DistanceVariant { get; init; } = SignedDistanceVariant.Reference;

    /// <summary>Which losses to train: both (the comparison), or one of them alone (experiments, tuning: no table, no plots).</summary>
    public DemoRuns Only { get; init; } = DemoRuns.Both;

    /// <summary>
    /// libtorch CPU threads per worker: one, fixed. Results then do not depend on the machine (a convolution's
    /// reductions are split by thread count), and nothing depends on timing; the cores are used by running trainings
    /// side by side instead (<see cref="Workers"/>).
    /// </summary>
    public int Threads { get; init; } = 1;

    /// <summary>The command line of a worker process that trains <paramref name="seed"/> with <paramref name="loss"/> under these settings.</summary>
    public string[] WorkerArguments(int seed, DemoLoss loss)
    {
        static string R(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        static string I(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var args = new System.Collections.Generic.List<string>
        {
            "demo", DemoWorkers.WorkerOption,
            "--seed", I(seed), "--runs", "1", "--only", loss == DemoLoss.GeneralizedDice ? "gdl" : "combined",
            "--epochs", I(Epochs), "--size", I(Size), "--train-images", I(TrainImages), "--val-images", I(ValidationImages),
            "--out", Output, "--device", Device,
            "--width", I(Width), "--lr", R(LearningRate), "--alpha-step", R(AlphaStep), "--alpha-max", R(AlphaMaximum),
            "--distance", DistanceVariant.ToString().ToLowerInvariant(),
            "--contrast", R(Data.Contrast), "--noise", R(Data.Noise), "--blur", R(Data.Blur), "--radius", R(Data.Radius),
            "--crop", I(CropSize),
        };
        if (!Augment)
            args.Add("--no-flips");
        return [.. args];
    }

    /// <summary>The seeds of the runs, in table order.</summary>
    public int[] Seeds()
    {
        var seeds = new int[Runs];
        for (int k = 0; k < Runs; k++)
            seeds[k] = Seed + k;
        return seeds;
    }
}

/// <summary>Which of the two trainings a demo run makes.</summary>
internal enum DemoRuns
{
    Both,
    Gdl,
    Combined,
}

/// <summary>
/// The difficulty of the synthetic task. Object radii are in pixels at 64×64 and scale with the image side.
/// </summary>
/// <param name="Contrast">Mean brightness an object (and each look-alike) adds; drawn per object in ±15 % of it.</param>
/// <param name="Noise">Standard deviation of the white sensor noise.</param>
/// <param name="Blur">Width in pixels of the linear intensity ramp across an object's border (0: a sharp edge); the label ends at the ramp's middle.</param>
/// <param name="Radius">Mean object radius at 64×64 (drawn in ±20 % of it, then modulated by four harmonics).</param>
internal sealed record DataSpec(double Contrast, double Noise, double Blur, double Radius)
{
    /// <summary>The default: chosen on the tuning seeds by how hard it is for GDL alone (docs/demo.md, "Protocol").</summary>
    public static DataSpec Default { get; } = new(Contrast: 0.32, Noise: 0.07, Blur: 2, Radius: 3);
}
