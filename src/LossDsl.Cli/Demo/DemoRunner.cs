using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using Spectre.Console;
using TorchSharp;

namespace LossDsl.Cli.Demo;

/// <summary>
/// Runs the demo: data for every seed, the trainings on parallel workers, the paired table with its confidence
/// intervals, the plots. Everything printed comes from <see cref="DemoSettings"/> alone (not from the number of
/// workers or cores), except the lines that start with <see cref="TimingPrefix"/>.
/// </summary>
internal sealed class DemoRunner(DemoSettings settings, TextWriter output)
{
    public const string CurvesFile = "learning-curves.png";
    public const string OverlaysFile = "predictions.png";
    public const string MetricsFile = "metrics.csv";

    /// <summary>Lines that report wall-clock time (and the output folder) start with this; nothing else varies between equal runs.</summary>
    public const string TimingPrefix = "time";

    private sealed record Job(int Index, int Seed, DemoLoss Loss, DemoSplit Train, DemoSplit Validation);

    public int Run()
    {
        var clock = Stopwatch.StartNew();
        string folder = PrepareOutputFolder(settings.Output);
        // The trainings run in worker processes (which set the allocator themselves); this one only checks that libtorch loads and the device exists.
        TorchRuntime.Select(settings.Device, settings.Threads);

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        bool interactive = console.Profile.Capabilities.Interactive;
        if (!interactive)
            console.Profile.Width = 160;

        int[] seeds = settings.Seeds();
        var data = seeds.Select(seed => SyntheticData.Make(seed, settings.Size, settings.TrainImages, settings.ValidationImages, settings.Data)).ToArray();
        DemoLoss[] losses = settings.Only switch
        {
            DemoRuns.Gdl => [DemoLoss.GeneralizedDice],
            DemoRuns.Combined => [DemoLoss.GeneralizedDiceBoundary],
            _ => [DemoLoss.GeneralizedDice, DemoLoss.GeneralizedDiceBoundary],
        };
        var jobs = new List<Job>();
        for (int k = 0; k < seeds.Length; k++)
        {
            foreach (DemoLoss loss in losses)
                jobs.Add(new Job(jobs.Count, seeds[k], loss, data[k].Train, data[k].Validation));
        }
        int workers = Math.Clamp(settings.Workers > 0 ? settings.Workers : Environment.ProcessorCount, 1, jobs.Count);

        WriteHeader(console, seeds, data);
        var results = new DemoRun[jobs.Count];
        if (interactive)
        {
            // A terminal: a live progress bar per worker, whose description shows its training's last epoch.
            console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(context =>
                {
                    var bars = Enumerable.Range(1, workers).Select(w => context.AddTask($"worker {w}", maxValue: 1)).ToArray();
                    RunJobs(jobs, workers, results,
                        (worker, job, batches) =>
                        {
                            bars[worker].MaxValue = settings.Epochs * batches;
                            bars[worker].Value = 0;
                            bars[worker].Description = Markup.Escape($"worker {worker + 1}: {JobName(job)}, starting");
                        },
                        (worker, _, _) => bars[worker].Increment(1),
                        (worker, job, metrics, timing) => bars[worker].Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                            $"{worker + 1}: seed {job.Seed} {DemoTrainer.Label(job.Loss)}, epoch {metrics.Epoch}/{settings.Epochs}: Dice {metrics.Dice:0.000}, HD95 {metrics.Hd95:0.0}; {TimingText(timing)}")),
                        (_, _) => { });
                    foreach (ProgressTask bar in bars)
                        bar.StopTask();
                });
        }
        else
        {
            // Redirected (a log, CI, a test): one plain line per epoch, no timing, in job order whatever the workers'
            // pace (lines of a later job wait until the earlier ones are done), so two runs print the same text.
            var lines = new OrderedLines(jobs.Count, console.WriteLine);
            RunJobs(jobs, workers, results,
                (_, _, _) => { },
                (_, _, _) => { },
                (_, job, metrics, _) => lines.Add(job.Index, EpochLine(job, metrics)),
                (_, job) => lines.Done(job.Index));
        }

        if (losses.Length == 1)
        {
            // One loss alone (an experiment, the tuning of docs/demo.md): its last epochs, no table, no plots.
            foreach (DemoRun run in results)
            {
                console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"final seed {run.Seed} {run.Label}: Dice {run.Final.Dice:0.0000}  HD95 {run.Final.Hd95:0.00}  false alarms {run.Final.FalseAlarms}"));
            }
            console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"mean over {results.Length} seed{(results.Length == 1 ? "" : "s")} {results[0].Label}: Dice {results.Average(r => r.Final.Dice):0.0000}  HD95 {results.Average(r => r.Final.Hd95):0.00}"));
            WriteTiming(console, results, workers, clock);
            return 0;
        }

        DemoRun[] gdl = results.Where(r => r.Loss == DemoLoss.GeneralizedDice).ToArray();
        DemoRun[] combined = results.Where(r => r.Loss == DemoLoss.GeneralizedDiceBoundary).ToArray();
        var dice = PairedDifference.Of(gdl.Select(r => r.Final.Dice).ToArray(), combined.Select(r => r.Final.Dice).ToArray());
        var hd95 = PairedDifference.Of(gdl.Select(r => r.Final.Hd95).ToArray(), combined.Select(r => r.Final.Hd95).ToArray());
        console.Write(PairedTable(gdl, combined, data.Select(d => d.Validation).ToArray(), dice, hd95));
        console.WriteLine(Verdict(dice, hd95));

        WriteMetrics(Path.Combine(folder, MetricsFile), results);
        DemoPlots.LearningCurves(Path.Combine(folder, CurvesFile), gdl, combined);
        DemoPlots.Overlays(Path.Combine(folder, OverlaysFile), data[0].Validation, ChooseOverlayImages(data[0].Validation), gdl[0], combined[0]);
        console.WriteLine($"{TimingPrefix}: plots and per-epoch metrics in {folder}: {CurvesFile}  {OverlaysFile}  {MetricsFile}");
        WriteTiming(console, results, workers, clock);
        return 0;
    }

    /// <summary>
    /// Runs the jobs on <paramref name="workers"/> threads, each taking the next job when it is free and training it in
    /// a worker process (<see cref="DemoWorkers"/>). A job's result depends on its seed and loss alone: each worker
    /// process has one libtorch thread, its own model, optimizer and batches.
    /// </summary>
    private void RunJobs(
        List<Job> jobs, int workers, DemoRun[] results,
        Action<int, Job, int> started, Action<int, Job, BatchTiming> batchDone, Action<int, Job, EpochMetrics, BatchTiming> epochDone, Action<int, Job> finished)
    {
        int next = -1;
        Exception? failure = null;
        void Work(int worker)
        {
            try
            {
                while (Volatile.Read(ref failure) is null)
                {
                    int index = Interlocked.Increment(ref next);
                    if (index >= jobs.Count)
                        return;
                    Job job = jobs[index];
                    started(worker, job, (settings.TrainImages + settings.BatchSize - 1) / settings.BatchSize);
                    BatchTiming timing = BatchTiming.None;
                    results[index] = DemoWorkers.Train(
                        settings,
                        job.Seed,
                        job.Loss,
                        t =>
                        {
                            timing = t;
                            batchDone(worker, job, t);
                        },
                        metrics => epochDone(worker, job, metrics, timing));
                    finished(worker, job);
                }
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref failure, e, null);
            }
        }

        if (workers == 1)
        {
            Work(0);
        }
        else
        {
            // Threads of their own (not the thread pool): each waits on its worker process for minutes.
            var threads = Enumerable.Range(0, workers)
                .Select(w => new Thread(() => Work(w)) { Name = $"demo worker {w + 1}", IsBackground = true })
                .ToArray();
            foreach (Thread thread in threads)
                thread.Start();
            foreach (Thread thread in threads)
                thread.Join();
        }
        if (failure is not null)
        {
            if (failure is CliException)
                throw failure;
            throw new InvalidOperationException($"a training failed: {failure.Message}", failure);
        }
    }

    private void WriteHeader(IAnsiConsole console, int[] seeds, (DemoSplit Train, DemoSplit Validation)[] data)
    {
        DataSpec spec = settings.Data;
        console.WriteLine("LossDsl demo: GDL alone vs GDL + boundary loss (rebalance α) on synthetic unbalanced segmentation, paired seeds");
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  data   {settings.TrainImages} train / {settings.ValidationImages} validation images of {settings.Size}×{settings.Size} per seed; "
            + $"contrast {spec.Contrast}, noise σ {spec.Noise}, border ramp {spec.Blur} px, radius {spec.Radius * settings.Size / 64.0:0.##} px; "
            + $"foreground {100 * data.Average(d => d.Train.ForegroundFraction):0.00} % of pixels"));
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  seeds  {SeedsText(seeds)}: both losses see the same data, initial weights and batches of a seed"));
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  batch  {settings.BatchSize} random {settings.CropSize}×{settings.CropSize} crops{(settings.Augment ? ", random flips and 90° rotations" : "")}, "
            + $"signed distance maps of the augmented labels per batch (SignedDistance.FromOneHot, φ {settings.DistanceVariant.ToString().ToLowerInvariant()})"));
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  train  U-Net width {settings.Width}, Adam lr {settings.LearningRate}, {settings.Epochs} epochs per loss, "
            + $"α = {settings.AlphaStart} + {settings.AlphaStep}·epoch{(settings.AlphaMaximum < 1 ? $" (≤ {settings.AlphaMaximum})" : "")}, "
            + $"{settings.Device.Trim().ToLowerInvariant()}, one libtorch thread per training"));
    }

    private static string SeedsText(int[] seeds) => seeds.Length == 1 ? $"{seeds[0]}" : $"{seeds[0]}–{seeds[^1]}";

    private static string JobName(Job job) => $"seed {job.Seed} {DemoTrainer.Label(job.Loss)}";

    private string EpochLine(Job job, EpochMetrics metrics) => string.Create(CultureInfo.InvariantCulture,
        $"seed {job.Seed,-3} {DemoTrainer.Label(job.Loss),-15} epoch {metrics.Epoch,3}/{settings.Epochs}  α {metrics.Alpha:0.00}  loss {metrics.TrainLoss:0.0000}  Dice {metrics.Dice:0.0000}  HD95 {metrics.Hd95,6:0.00}  false alarms {metrics.FalseAlarms}");

    private static string TimingText(BatchTiming timing) => string.Create(CultureInfo.InvariantCulture,
        $"step {timing.StepMillisecondsPerBatch:0} ms{(timing.MapBatches > 0 ? $", maps {timing.MapMillisecondsPerBatch:0.0} ms" : "")}");

    private void WriteTiming(IAnsiConsole console, DemoRun[] results, int workers, Stopwatch clock)
    {
        // Medians over all batches of all runs: the first batches (JIT compilation, cold caches) do not count.
        double[] mapTimes = results.SelectMany(r => r.Timing.MapMilliseconds).ToArray();
        double[] stepTimes = results.SelectMany(r => r.Timing.StepMilliseconds).ToArray();
        string maps = mapTimes.Length == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $"signed distance maps {Median(mapTimes):0.00} ms, ");
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{TimingPrefix} per batch of {settings.BatchSize} crops of {settings.CropSize}×{settings.CropSize}, one thread, median: {maps}training step {Median(stepTimes):0.0} ms (forward, loss, backward, Adam)"));
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{TimingPrefix}: finished in {clock.Elapsed.TotalSeconds:0} s, {results.Length} trainings on {workers} worker{(workers == 1 ? "" : "s")}"));
    }

    private static double Median(double[] values)
    {
        if (values.Length == 0)
            return double.NaN;
        double[] sorted = values.Order().ToArray();
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>
    /// One row per seed (last epoch of each run: Dice and HD95 of both losses and their difference, false alarms), and
    /// a footer with the mean of each column and the 95 % t-interval of the mean paired difference.
    /// </summary>
    private static Table PairedTable(DemoRun[] gdl, DemoRun[] combined, DemoSplit[] validation, PairedDifference dice, PairedDifference hd95)
    {
        int n = gdl.Length;
        var table = new Table
        {
            Border = TableBorder.Rounded,
            ShowFooters = true,
            Title = new TableTitle("last epoch; B = GDL + boundary; Δ = B − GDL, same seed; 95 % t-interval of the mean Δ"),
        };
        string Interval(PairedDifference d, string format)
            => d.Direction == Direction.Unknown ? "—" : $"[{Signed(d.Low, format)}, {Signed(d.High, format)}]";
        table.AddColumn(new TableColumn("seed").Footer(new Text(n == 1 ? "mean" : $"mean of {n}")));
        table.AddColumn(new TableColumn("Dice GDL").RightAligned().Footer(new Text(Number(gdl.Average(r => r.Final.Dice), "0.0000"))));
        table.AddColumn(new TableColumn("Dice B").RightAligned().Footer(new Text(Number(combined.Average(r => r.Final.Dice), "0.0000"))));
        table.AddColumn(new TableColumn("Δ Dice").RightAligned().Footer(new Text(Signed(dice.Mean, "0.0000"))));
        table.AddColumn(new TableColumn("Δ Dice 95 % CI").RightAligned().Footer(new Text(Interval(dice, "0.000"))));
        table.AddColumn(new TableColumn("HD95 GDL").RightAligned().Footer(new Text(Number(gdl.Average(r => r.Final.Hd95), "0.00"))));
        table.AddColumn(new TableColumn("HD95 B").RightAligned().Footer(new Text(Number(combined.Average(r => r.Final.Hd95), "0.00"))));
        table.AddColumn(new TableColumn("Δ HD95 (px)").RightAligned().Footer(new Text(Signed(hd95.Mean, "0.00"))));
        table.AddColumn(new TableColumn("Δ HD95 95 % CI").RightAligned().Footer(new Text(Interval(hd95, "0.00"))));
        table.AddColumn(new TableColumn("false alarms GDL / B").RightAligned().Footer(new Text(
            $"{gdl.Sum(r => r.Final.FalseAlarms)} / {combined.Sum(r => r.Final.FalseAlarms)} of {validation.Sum(v => v.EmptyImages)}")));
        for (int k = 0; k < n; k++)
        {
            EpochMetrics a = gdl[k].Final, b = combined[k].Final;
            table.AddRow(
                gdl[k].Seed.ToString(CultureInfo.InvariantCulture),
                Number(a.Dice, "0.0000"),
                Number(b.Dice, "0.0000"),
                Signed(b.Dice - a.Dice, "0.0000"),
                "",
                Number(a.Hd95, "0.00"),
                Number(b.Hd95, "0.00"),
                Signed(b.Hd95 - a.Hd95, "0.00"),
                "",
                $"{a.FalseAlarms} / {b.FalseAlarms} of {validation[k].EmptyImages}");
        }
        return table;
    }

    /// <summary>What the intervals show, in words: better, worse, or no difference shown at 95 %.</summary>
    internal static string Verdict(PairedDifference dice, PairedDifference hd95)
    {
        if (dice.Direction == Direction.Unknown)
            return "verdict: one seed gives no interval; run --runs 2 or more to compare the losses";
        string diceText = dice.Direction switch
        {
            Direction.Positive => "better (higher)",
            Direction.Negative => "worse (lower)",
            _ => "no difference shown at 95 %",
        };
        string hdText = hd95.Direction switch
        {
            Direction.Negative => "better (lower)",
            Direction.Positive => "worse (higher)",
            _ => "no difference shown at 95 %",
        };
        return $"verdict, GDL + boundary against GDL over {dice.Count} paired seeds: Dice {diceText}; HD95 {hdText}";
    }

    private static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static string Signed(double value, string format)
        => double.IsNaN(value) ? "NaN" : (value >= 0 ? "+" : "−") + Math.Abs(value).ToString(format, CultureInfo.InvariantCulture);

    /// <summary>The first four validation images with an object and the first without (not chosen by outcome).</summary>
    private static List<int> ChooseOverlayImages(DemoSplit validation)
    {
        int pixels = validation.Size * validation.Size;
        bool HasObject(int i) => validation.Masks.AsSpan(i * pixels, pixels).IndexOf((byte)1) >= 0;
        var chosen = Enumerable.Range(0, validation.Count).Where(HasObject).Take(4).ToList();
        chosen.AddRange(Enumerable.Range(0, validation.Count).Where(i => !HasObject(i)).Take(1));
        return chosen;
    }

    private static void WriteMetrics(string path, IEnumerable<DemoRun> runs)
    {
        var text = new StringBuilder("seed,loss,epoch,alpha,train_loss,val_dice,val_hd95,val_false_alarms\n");
        foreach (DemoRun run in runs)
        {
            foreach (EpochMetrics m in run.Epochs)
                text.Append(CultureInfo.InvariantCulture, $"{run.Seed},{run.Label},{m.Epoch},{m.Alpha:R},{m.TrainLoss:R},{m.Dice:R},{m.Hd95:R},{m.FalseAlarms}\n");
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

    /// <summary>Writes each job's lines in job order, as soon as all earlier jobs are done; thread-safe.</summary>
    private sealed class OrderedLines(int jobs, Action<string> write)
    {
        private readonly List<string>[] _pending = Enumerable.Range(0, jobs).Select(_ => new List<string>()).ToArray();
        private readonly bool[] _done = new bool[jobs];
        private int _head;

        public void Add(int job, string line)
        {
            lock (_pending)
            {
                if (job == _head)
                    write(line);
                else
                    _pending[job].Add(line);
            }
        }

        public void Done(int job)
        {
            lock (_pending)
            {
                _done[job] = true;
                while (_head < jobs && _done[_head])
                {
                    _head++;
                    if (_head < jobs)
                    {
                        foreach (string line in _pending[_head])
                            write(line);
                        _pending[_head].Clear();
                    }
                }
            }
        }
    }
}
