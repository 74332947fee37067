using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Spectre.Console;
using TorchSharp;

namespace LossDsl.Cli.Demo;

/// <summary>Runs the demo: data, two trainings, table, plots. Everything printed comes from <see cref="DemoSettings"/> alone, except the timing line.</summary>
internal sealed class DemoRunner(DemoSettings settings, TextWriter output)
{
    public const string CurvesFile = "learning-curves.png";
    public const string OverlaysFile = "predictions.png";
    public const string MetricsFile = "metrics.csv";

    public int Run()
    {
        var clock = Stopwatch.StartNew();
        string folder = PrepareOutputFolder(settings.Output);
        torch.Device device = TorchRuntime.Select(settings.Device, settings.Threads);

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        if (!console.Profile.Capabilities.Interactive)
            console.Profile.Width = 110;
        var (train, validation) = SyntheticData.Make(settings.Seed, settings.Size, settings.TrainImages, settings.ValidationImages, settings.DistanceVariant);
        var trainer = new DemoTrainer(settings, device, train, validation);

        output.WriteLine("LossDsl demo: GDL alone vs GDL + boundary loss (rebalance α) on synthetic unbalanced segmentation");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  data   {train.Count} train / {validation.Count} validation images, {settings.Size}×{settings.Size}, seed {settings.Seed}; "
            + $"foreground {100 * train.ForegroundFraction:0.00} % of pixels; {train.EmptyImages} + {validation.EmptyImages} images empty"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  train  U-Net width {settings.Width}, Adam lr {settings.LearningRate}, batch {settings.BatchSize}, {settings.Epochs} epochs per loss, "
            + $"α = {settings.AlphaStart} + {settings.AlphaStep}·epoch{(settings.AlphaMaximum < 1 ? $" (≤ {settings.AlphaMaximum})" : "")}, "
            + $"φ {settings.DistanceVariant.ToString().ToLowerInvariant()}, {DeviceText(device)}"));

        var runs = new List<DemoRun>();
        DemoLoss[] losses = settings.Runs switch
        {
            DemoRuns.Gdl => [DemoLoss.GeneralizedDice],
            DemoRuns.Combined => [DemoLoss.GeneralizedDiceBoundary],
            _ => [DemoLoss.GeneralizedDice, DemoLoss.GeneralizedDiceBoundary],
        };
        if (console.Profile.Capabilities.Interactive)
        {
            // A terminal: live progress bars, one per loss, whose description shows the last epoch's metrics.
            console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(context =>
                {
                    foreach (DemoLoss loss in losses)
                    {
                        ProgressTask task = context.AddTask(Markup.Escape(Label(loss)), maxValue: settings.Epochs * trainer.BatchesPerEpoch);
                        runs.Add(trainer.Train(loss, () => task.Increment(1), metrics => task.Description = Markup.Escape(EpochLine(loss, metrics))));
                        task.StopTask();
                    }
                });
        }
        else
        {
            // Redirected (a log, CI, a test): one plain line per epoch, no timing, so two runs print the same text.
            foreach (DemoLoss loss in losses)
                runs.Add(trainer.Train(loss, () => { }, metrics => console.WriteLine(EpochLine(loss, metrics))));
        }

        if (runs.Count == 1)
        {
            // One training alone (an experiment): its last epoch, no table, no plots.
            console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"final {runs[0].Label}: Dice {runs[0].Final.Dice:0.0000}  HD95 {runs[0].Final.Hd95:0.00}  false alarms {runs[0].Final.FalseAlarms}  ({clock.Elapsed.TotalSeconds:0} s)"));
            return 0;
        }

        DemoRun gdl = runs[0], combined = runs[1];
        console.Write(ComparisonTable(gdl, combined, validation));
        bool diceHolds = combined.Final.Dice >= gdl.Final.Dice;
        bool hdHolds = combined.Final.Hd95 < gdl.Final.Hd95;
        console.WriteLine(
            $"paper's direction: Dice of GDL + boundary ≥ GDL: {(diceHolds ? "yes" : "no")}; HD95 of GDL + boundary < GDL: {(hdHolds ? "yes" : "no")}");

        WriteMetrics(Path.Combine(folder, MetricsFile), gdl, combined);
        DemoPlots.LearningCurves(Path.Combine(folder, CurvesFile), gdl, combined);
        DemoPlots.Overlays(Path.Combine(folder, OverlaysFile), validation, ChooseOverlayImages(validation), gdl, combined);
        console.WriteLine($"plots and per-epoch metrics: {folder}");
        console.WriteLine($"  {CurvesFile}  {OverlaysFile}  {MetricsFile}");
        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"finished in {clock.Elapsed.TotalSeconds:0} s"));
        return 0;
    }

    private static string Label(DemoLoss loss) => loss == DemoLoss.GeneralizedDice ? "GDL" : "GDL + boundary";

    private string EpochLine(DemoLoss loss, EpochMetrics metrics) => string.Create(CultureInfo.InvariantCulture,
        $"{Label(loss),-15} epoch {metrics.Epoch,3}/{settings.Epochs}  α {metrics.Alpha:0.00}  loss {metrics.TrainLoss:0.0000}  Dice {metrics.Dice:0.0000}  HD95 {metrics.Hd95,6:0.00}  false alarms {metrics.FalseAlarms}");

    private string DeviceText(torch.Device device)
        => device.type == DeviceType.CPU ? $"cpu ({settings.Threads} thread{(settings.Threads == 1 ? "" : "s")})" : device.ToString();

    /// <summary>One row per loss: the last epoch's validation Dice, HD95 and false alarms, and the best Dice and HD95 over the epochs.</summary>
    private static Table ComparisonTable(DemoRun gdl, DemoRun combined, DemoSplit validation)
    {
        int empty = validation.EmptyImages;
        var table = new Table { Border = TableBorder.Rounded, Title = new TableTitle($"validation: {validation.Count - empty} images with objects, {empty} without") };
        table.AddColumn("loss");
        table.AddColumn(new TableColumn("Dice ↑").RightAligned());
        table.AddColumn(new TableColumn("HD95 ↓ (px)").RightAligned());
        table.AddColumn(new TableColumn("false alarms ↓").RightAligned());
        table.AddColumn(new TableColumn("best Dice (epoch)").RightAligned());
        table.AddColumn(new TableColumn("best HD95 (epoch)").RightAligned());
        foreach (DemoRun run in new[] { gdl, combined })
        {
            EpochMetrics bestDice = run.Epochs.MaxBy(m => m.Dice)!;
            EpochMetrics bestHd = run.Epochs.MinBy(m => m.Hd95)!;
            table.AddRow(
                Markup.Escape(run.Label),
                Number(run.Final.Dice, "0.0000"),
                Number(run.Final.Hd95, "0.00"),
                $"{run.Final.FalseAlarms} of {empty}",
                Number(bestDice.Dice, "0.0000") + $" ({bestDice.Epoch})",
                Number(bestHd.Hd95, "0.00") + $" ({bestHd.Epoch})");
        }
        return table;
    }

    private static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>The first four validation images with an object and the first without (not chosen by outcome).</summary>
    private static List<int> ChooseOverlayImages(DemoSplit validation)
    {
        int pixels = validation.Size * validation.Size;
        bool HasObject(int i) => validation.Masks.AsSpan(i * pixels, pixels).IndexOf((byte)1) >= 0;
        var chosen = Enumerable.Range(0, validation.Count).Where(HasObject).Take(4).ToList();
        chosen.AddRange(Enumerable.Range(0, validation.Count).Where(i => !HasObject(i)).Take(1));
        return chosen;
    }

    private static void WriteMetrics(string path, DemoRun gdl, DemoRun combined)
    {
        var text = new StringBuilder("loss,epoch,alpha,train_loss,val_dice,val_hd95,val_false_alarms\n");
        foreach (DemoRun run in new[] { gdl, combined })
        {
            foreach (EpochMetrics m in run.Epochs)
                text.Append(CultureInfo.InvariantCulture, $"{run.Label},{m.Epoch},{m.Alpha:R},{m.TrainLoss:R},{m.Dice:R},{m.Hd95:R},{m.FalseAlarms}\n");
        }
        File.WriteAllText(path, text.ToString());
    }

    /// <summary>Creates the folder and proves it writable before any training time is spent.</summary>
    private static string PrepareOutputFolder(string folder)
    {
        string full = Path.GetFullPath(folder);
        try
        {
            Directory.CreateDirectory(full);
            string probe = Path.Combine(full, ".lossdsl-write-test");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new CliException($"cannot write to the output folder {full}: {e.Message}");
        }
        return full;
    }
}
