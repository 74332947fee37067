using System;
using System.CommandLine;
using System.IO;
using LossDsl.Distance;

namespace LossDsl.Cli.Demo;

/// <summary>
/// The <c>demo</c> command: trains a small U-Net on synthetic, highly unbalanced segmentation with GDL alone and with
/// GDL + boundary loss (rebalance schedule), and reports validation Dice and HD95, a comparison table and plots.
/// </summary>
internal static class DemoCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var epochs = new Option<int>("--epochs", "-e")
        {
            Description = "Training epochs per loss.",
            DefaultValueFactory = _ => DemoSettings.DefaultEpochs,
        };
        var size = new Option<int>("--size", "-s")
        {
            Description = "Image side in pixels (a multiple of 4, 16…512); objects scale with it.",
            DefaultValueFactory = _ => DemoSettings.DefaultSize,
        };
        var seed = new Option<int>("--seed")
        {
            Description = "The first seed: run k uses seed + k for its data, initial weights and batches; the same seeds give the same table on the CPU.",
            DefaultValueFactory = _ => DemoSettings.DefaultSeed,
        };
        var runs = new Option<int>("--runs", "-n")
        {
            Description = "Paired runs (seeds): each trains both losses on the same data, weights and batches; the table shows the mean paired difference with its 95 % interval.",
            DefaultValueFactory = _ => DemoSettings.DefaultRuns,
        };
        var workers = new Option<int>("--workers", "-w")
        {
            Description = "Trainings run side by side, one libtorch thread each (default: the number of cores). Does not change the results.",
            DefaultValueFactory = _ => 0,
        };
        var outputFolder = new Option<string>("--out", "-o")
        {
            Description = "Folder for the plots (PNG) and the per-epoch metrics (CSV); created if missing.",
            DefaultValueFactory = _ => DemoSettings.DefaultOutput,
        };
        var device = new Option<string>("--device", "-d")
        {
            Description = "cpu (default) or cuda.",
            DefaultValueFactory = _ => "cpu",
        };
        var trainImages = new Option<int>("--train-images")
        {
            Description = "Training images.",
            DefaultValueFactory = _ => DemoSettings.DefaultTrainImages,
        };
        var validationImages = new Option<int>("--val-images")
        {
            Description = "Validation images.",
            DefaultValueFactory = _ => DemoSettings.DefaultValidationImages,
        };

        // Tuning knobs (hidden: the defaults are the demo; these are for experiments and docs/demo.md's tables).
        var width = new Option<int>("--width") { Description = "U-Net channels at the first level.", DefaultValueFactory = _ => DemoSettings.Default.Width, Hidden = true };
        var learningRate = new Option<double>("--lr") { Description = "Adam's learning rate.", DefaultValueFactory = _ => DemoSettings.Default.LearningRate, Hidden = true };
        var alphaStep = new Option<double>("--alpha-step") { Description = "Growth of α per epoch.", DefaultValueFactory = _ => DemoSettings.Default.AlphaStep, Hidden = true };
        var alphaMaximum = new Option<double>("--alpha-max") { Description = "Cap of α.", DefaultValueFactory = _ => DemoSettings.Default.AlphaMaximum, Hidden = true };
        var distance = new Option<string>("--distance") { Description = "reference or contour signed distance maps.", DefaultValueFactory = _ => DemoSettings.Default.DistanceVariant.ToString().ToLowerInvariant(), Hidden = true };
        var only = new Option<string>("--only") { Description = "both, gdl or combined.", DefaultValueFactory = _ => "both", Hidden = true };
        var contrast = new Option<double>("--contrast") { Description = "Mean brightness of an object (and of each look-alike).", DefaultValueFactory = _ => DataSpec.Default.Contrast, Hidden = true };
        var noise = new Option<double>("--noise") { Description = "Standard deviation of the white noise.", DefaultValueFactory = _ => DataSpec.Default.Noise, Hidden = true };
        var blur = new Option<double>("--blur") { Description = "Width in pixels of the intensity ramp across an object's border.", DefaultValueFactory = _ => DataSpec.Default.Blur, Hidden = true };
        var radius = new Option<double>("--radius") { Description = "Mean object radius in pixels at 64×64 (scales with --size).", DefaultValueFactory = _ => DataSpec.Default.Radius, Hidden = true };
        var crop = new Option<int>("--crop") { Description = "Side of the training crops (0: three quarters of --size).", DefaultValueFactory = _ => 0, Hidden = true };
        var noAugment = new Option<bool>("--no-flips") { Description = "Crops only: no random flips and rotations.", Hidden = true };
        var worker = new Option<bool>(DemoWorkers.WorkerOption) { Description = "Internal: train the given seed and loss in this process and report to the parent demo.", Hidden = true };

        var command = new Command("demo", "Train a small U-Net on synthetic unbalanced segmentation with GDL and with GDL + boundary loss; compare Dice and HD95.")
        {
            epochs, size, seed, runs, workers, outputFolder, device, trainImages, validationImages,
            width, learningRate, alphaStep, alphaMaximum, distance, only, contrast, noise, blur, radius, crop, noAugment, worker,
        };
        command.SetAction(parseResult =>
        {
            try
            {
                var settings = new DemoSettings(
                    parseResult.GetValue(epochs),
                    parseResult.GetValue(size),
                    parseResult.GetValue(seed),
                    parseResult.GetValue(outputFolder) ?? DemoSettings.DefaultOutput,
                    parseResult.GetValue(device) ?? "cpu",
                    parseResult.GetValue(trainImages),
                    parseResult.GetValue(validationImages))
                {
                    Runs = parseResult.GetValue(runs),
                    Workers = parseResult.GetValue(workers),
                    Crop = parseResult.GetValue(crop),
                    Augment = !parseResult.GetValue(noAugment),
                    IsWorker = parseResult.GetValue(worker),
                    Data = new DataSpec(parseResult.GetValue(contrast), parseResult.GetValue(noise), parseResult.GetValue(blur), parseResult.GetValue(radius)),
                    Width = parseResult.GetValue(width),
                    LearningRate = parseResult.GetValue(learningRate),
                    AlphaStep = parseResult.GetValue(alphaStep),
                    AlphaMaximum = parseResult.GetValue(alphaMaximum),
                    DistanceVariant = (parseResult.GetValue(distance) ?? "").ToLowerInvariant() switch
                    {
                        "reference" => SignedDistanceVariant.Reference,
                        "contour" => SignedDistanceVariant.Contour,
                        var other => throw new CliException($"--distance must be reference or contour; got '{other}'."),
                    },
                    Only = (parseResult.GetValue(only) ?? "").ToLowerInvariant() switch
                    {
                        "both" => DemoRuns.Both,
                        "gdl" => DemoRuns.Gdl,
                        "combined" => DemoRuns.Combined,
                        var other => throw new CliException($"--only must be both, gdl or combined; got '{other}'."),
                    },
                };
                Validate(settings);
                return settings.IsWorker ? DemoWorkers.RunWorker(settings, output) : new DemoRunner(settings, output).Run();
            }
            catch (CliException e)
            {
                error.WriteLine($"lossdsl demo: error: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    /// <summary>Checks the numbers before anything is loaded or trained.</summary>
    private static void Validate(DemoSettings settings)
    {
        if (settings.Epochs < 1)
            throw new CliException($"--epochs must be at least 1; got {settings.Epochs}.");
        if (settings.Size < 16 || settings.Size > 512 || settings.Size % 4 != 0)
            throw new CliException($"--size must be a multiple of 4 between 16 and 512; got {settings.Size}.");
        if (settings.Runs < 1 || settings.Runs > 100)
            throw new CliException($"--runs must be between 1 and 100; got {settings.Runs}.");
        if (settings.Workers < 0 || settings.Workers > 64)
            throw new CliException($"--workers must be between 1 and 64 (0: the number of cores); got {settings.Workers}.");
        if (settings.Crop != 0 && (settings.Crop < 16 || settings.Crop > settings.Size || settings.Crop % 4 != 0))
            throw new CliException($"--crop must be a multiple of 4 between 16 and --size ({settings.Size}); got {settings.Crop}.");
        if (!(settings.Data.Contrast > 0 && settings.Data.Contrast <= 2))
            throw new CliException($"--contrast must be in (0, 2]; got {settings.Data.Contrast}.");
        if (!(settings.Data.Noise >= 0 && settings.Data.Noise <= 2))
            throw new CliException($"--noise must be in [0, 2]; got {settings.Data.Noise}.");
        if (!(settings.Data.Blur >= 0 && settings.Data.Blur <= 8))
            throw new CliException($"--blur must be in [0, 8] pixels; got {settings.Data.Blur}.");
        if (!(settings.Data.Radius >= 1 && settings.Data.Radius <= 8))
            throw new CliException($"--radius must be in [1, 8] pixels; got {settings.Data.Radius}.");
        if (settings.TrainImages < 1)
            throw new CliException($"--train-images must be at least 1; got {settings.TrainImages}.");
        if (settings.ValidationImages < 1)
            throw new CliException($"--val-images must be at least 1; got {settings.ValidationImages}.");
        if (settings.Width < 1)
            throw new CliException($"--width must be at least 1; got {settings.Width}.");
        if (!(settings.LearningRate > 0) || double.IsInfinity(settings.LearningRate))
            throw new CliException($"--lr must be a positive number; got {settings.LearningRate}.");
        if (!(settings.AlphaStep >= 0 && settings.AlphaStep <= 1))
            throw new CliException($"--alpha-step must be in [0, 1]; got {settings.AlphaStep}.");
        if (!(settings.AlphaMaximum >= settings.AlphaStart && settings.AlphaMaximum <= 1))
            throw new CliException($"--alpha-max must be in [{settings.AlphaStart}, 1]; got {settings.AlphaMaximum}.");
        if (string.IsNullOrWhiteSpace(settings.Output))
            throw new CliException("--out must name a folder.");
    }
}
