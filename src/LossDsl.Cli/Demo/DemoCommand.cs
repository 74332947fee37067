using System;
using System.CommandLine;
using System.IO;

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
            Description = "Seeds the data, the initial weights and the batch order; the same seed gives the same table on the CPU.",
            DefaultValueFactory = _ => DemoSettings.DefaultSeed,
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

        var command = new Command("demo", "Train a small U-Net on synthetic unbalanced segmentation with GDL and with GDL + boundary loss; compare Dice and HD95.")
        {
            epochs, size, seed, outputFolder, device, trainImages, validationImages,
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
                    parseResult.GetValue(validationImages));
                Validate(settings);
                return new DemoRunner(settings, output).Run();
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
        if (settings.TrainImages < 1)
            throw new CliException($"--train-images must be at least 1; got {settings.TrainImages}.");
        if (settings.ValidationImages < 1)
            throw new CliException($"--val-images must be at least 1; got {settings.ValidationImages}.");
        if (string.IsNullOrWhiteSpace(settings.Output))
            throw new CliException("--out must name a folder.");
    }
}
