using LossDsl.Distance;

namespace LossDsl.Cli.Demo;

/// <summary>Everything that decides a demo run. Two runs with equal settings on the CPU give equal results.</summary>
/// <param name="Epochs">Training epochs per loss (≥ 1).</param>
/// <param name="Size">Image side in pixels (a multiple of 4, ≥ 16).</param>
/// <param name="Seed">Seeds the data, the initial weights and the batch order.</param>
/// <param name="Output">The folder for the plots and the CSV.</param>
/// <param name="Device">"cpu" or "cuda".</param>
/// <param name="TrainImages">Training images.</param>
/// <param name="ValidationImages">Validation images.</param>
internal sealed record DemoSettings(int Epochs, int Size, int Seed, string Output, string Device, int TrainImages, int ValidationImages)
{
    public const int DefaultEpochs = 30;
    public const int DefaultSize = 128;
    public const int DefaultSeed = 1;
    public const int DefaultTrainImages = 160;
    public const int DefaultValidationImages = 96;
    public const string DefaultOutput = "lossdsl-demo";

    /// <summary>The demo as run without options.</summary>
    public static DemoSettings Default { get; } = new(DefaultEpochs, DefaultSize, DefaultSeed, DefaultOutput, "cpu", DefaultTrainImages, DefaultValidationImages);

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

    /// <summary>Which runs to train: both (the comparison), or one of them alone (experiments; no table, no plots).</summary>
    public DemoRuns Runs { get; init; } = DemoRuns.Both;

    /// <summary>
    /// libtorch CPU threads: one, fixed. Results then do not depend on the machine (a convolution's reductions are
    /// split by thread count), and nothing depends on timing. One thread is also the fastest choice for a net this
    /// small: measured on a busy 2-core machine, two OpenMP threads spent 7× the CPU time of one, spinning.
    /// </summary>
    public int Threads { get; init; } = 1;
}

/// <summary>Which of the two trainings a demo run makes.</summary>
internal enum DemoRuns
{
    Both,
    Gdl,
    Combined,
}
