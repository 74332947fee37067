using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ScottPlot;
using SkiaSharp;

namespace LossDsl.Cli.Demo;

/// <summary>The demo's pictures: learning curves (ScottPlot) and prediction overlays (SkiaSharp, which ScottPlot draws with).</summary>
internal static class DemoPlots
{
    private static readonly ScottPlot.Color GdlColor = ScottPlot.Color.FromHex("#1f77b4");
    private static readonly ScottPlot.Color BoundaryColor = ScottPlot.Color.FromHex("#d62728");

    /// <summary>
    /// Four panels side by side: validation Dice, HD95, false alarms and training loss per epoch; for each loss a thin
    /// line per seed and a thick line for the mean over the seeds.
    /// </summary>
    public static void LearningCurves(string path, IReadOnlyList<DemoRun> gdl, IReadOnlyList<DemoRun> combined)
    {
        const int panelWidth = 440, height = 340;
        // The legend goes where the curves end up not being: low for Dice (which rises), high for the others.
        var panels = new (string Title, string YLabel, Func<EpochMetrics, double> Value, Alignment Legend)[]
        {
            ("Validation Dice (images with objects)", "Dice", m => m.Dice, Alignment.LowerRight),
            ("Validation HD95 (images with objects)", "HD95 (pixels)", m => m.Hd95, Alignment.UpperRight),
            ("False alarms (images without objects)", "images", m => m.FalseAlarms, Alignment.UpperRight),
            ("Training loss", "loss", m => m.TrainLoss, Alignment.UpperRight),
        };
        using var surface = SKSurface.Create(new SKImageInfo(panelWidth * panels.Length, height));
        surface.Canvas.Clear(SKColors.White);
        for (int i = 0; i < panels.Length; i++)
        {
            var plot = new Plot();
            foreach (IReadOnlyList<DemoRun> runs in new[] { gdl, combined })
            {
                ScottPlot.Color color = runs[0].Loss == DemoLoss.GeneralizedDice ? GdlColor : BoundaryColor;
                double[] xs = runs[0].Epochs.Select(m => (double)m.Epoch).ToArray();
                if (runs.Count > 1)
                {
                    foreach (DemoRun run in runs)
                    {
                        var seedLine = plot.Add.Scatter(xs, run.Epochs.Select(panels[i].Value).ToArray());
                        seedLine.Color = color.WithAlpha(0.3);
                        seedLine.LineWidth = 1;
                        seedLine.MarkerSize = 0;
                    }
                }
                double[] ys = xs.Select((_, e) => runs.Average(run => panels[i].Value(run.Epochs[e]))).ToArray();
                var line = plot.Add.Scatter(xs, ys);
                line.LegendText = runs.Count > 1 ? $"{runs[0].Label} (mean of {runs.Count} seeds)" : runs[0].Label;
                line.Color = color;
                line.LineWidth = 2;
                line.MarkerSize = 4;
            }
            plot.Title(panels[i].Title);
            plot.XLabel("epoch");
            plot.YLabel(panels[i].YLabel);
            plot.ShowLegend(panels[i].Legend);
            // A plot clears the canvas it renders to: render each panel on its own surface, then place it.
            using var panel = SKSurface.Create(new SKImageInfo(panelWidth, height));
            plot.Render(panel);
            using SKImage snapshot = panel.Snapshot();
            surface.Canvas.DrawImage(snapshot, i * panelWidth, 0);
        }
        Save(surface, path);
    }

    /// <summary>
    /// One row per chosen validation image: the input; the ground truth (green); the GDL and the GDL + boundary
    /// predictions, coloured by outcome: hits (true positives) yellow, false positives red, misses (false negatives)
    /// cyan. Each over the input in gray.
    /// </summary>
    public static void Overlays(string path, DemoSplit validation, IReadOnlyList<int> indices, DemoRun gdl, DemoRun combined)
    {
        int size = validation.Size, pixels = size * size;
        int zoom = Math.Max(1, 192 / size);
        int cell = size * zoom, gap = 6, header = 28, footer = 26;
        string[] titles = [$"input (seed {gdl.Seed})", "ground truth", gdl.Label, combined.Label];
        int width = (titles.Length * cell) + ((titles.Length + 1) * gap);
        int height = header + (indices.Count * (cell + gap)) + footer;

        using var surface = SKSurface.Create(new SKImageInfo(width, height));
        SKCanvas canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var font = new SKFont(SKTypeface.Default, 15);
        using var small = new SKFont(SKTypeface.Default, 13);
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        for (int c = 0; c < titles.Length; c++)
            canvas.DrawText(titles[c], gap + (c * (cell + gap)) + (cell / 2f), header - 9, SKTextAlign.Center, font, ink);
        canvas.DrawText("ground truth: green.  predictions: yellow = hit, red = false positive, cyan = missed.",
            width / 2f, height - 9, SKTextAlign.Center, small, ink);

        for (int row = 0; row < indices.Count; row++)
        {
            int image = indices[row];
            ReadOnlySpan<float> intensities = validation.Images.AsSpan(image * pixels, pixels);
            byte[] truth = validation.Masks[(image * pixels)..((image + 1) * pixels)];
            byte[]?[] predictions = [null, null, gdl.ValidationPredictions[(image * pixels)..((image + 1) * pixels)], combined.ValidationPredictions[(image * pixels)..((image + 1) * pixels)]];
            for (int c = 0; c < titles.Length; c++)
            {
                using SKBitmap bitmap = Panel(intensities, c == 0 ? null : truth, predictions[c], size, zoom);
                canvas.DrawBitmap(bitmap, gap + (c * (cell + gap)), header + (row * (cell + gap)));
            }
        }
        Save(surface, path);
    }

    private static readonly SKColor TruthColor = new(40, 200, 60), HitColor = new(255, 215, 0), FalsePositiveColor = new(235, 35, 35), MissColor = new(0, 210, 230);

    /// <summary>A panel: the input in gray; with only <paramref name="truth"/>, the truth in green; with a prediction too, hits, false positives and misses.</summary>
    private static SKBitmap Panel(ReadOnlySpan<float> intensities, byte[]? truth, byte[]? prediction, int size, int zoom)
    {
        var bitmap = new SKBitmap(size * zoom, size * zoom, SKColorType.Rgba8888, SKAlphaType.Premul);
        for (int y = 0; y < size; y++)
        {
            for (int x = 0; x < size; x++)
            {
                int at = (y * size) + x;
                // Images are normalised to zero mean, unit variance: show ±3σ.
                byte gray = (byte)Math.Clamp((intensities[at] + 3f) / 6f * 255f, 0f, 255f);
                var color = new SKColor(gray, gray, gray);
                bool inTruth = truth is not null && truth[at] != 0;
                if (prediction is null)
                {
                    if (inTruth)
                        color = Blend(color, TruthColor, 0.7);
                }
                else if (prediction[at] != 0)
                {
                    color = Blend(color, inTruth ? HitColor : FalsePositiveColor, 0.75);
                }
                else if (inTruth)
                {
                    color = Blend(color, MissColor, 0.75);
                }
                for (int dy = 0; dy < zoom; dy++)
                {
                    for (int dx = 0; dx < zoom; dx++)
                        bitmap.SetPixel((x * zoom) + dx, (y * zoom) + dy, color);
                }
            }
        }
        return bitmap;
    }

    private static SKColor Blend(SKColor under, SKColor over, double weight)
        => new(
            (byte)((under.Red * (1 - weight)) + (over.Red * weight)),
            (byte)((under.Green * (1 - weight)) + (over.Green * weight)),
            (byte)((under.Blue * (1 - weight)) + (over.Blue * weight)));

    private static void Save(SKSurface surface, string path)
    {
        using SKImage snapshot = surface.Snapshot();
        using SKData data = snapshot.Encode(SKEncodedImageFormat.Png, 100);
        using FileStream file = File.Create(path);
        data.SaveTo(file);
    }
}
