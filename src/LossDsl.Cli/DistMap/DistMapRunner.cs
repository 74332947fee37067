using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using LossDsl.Cli.IO;
using Spectre.Console;

namespace LossDsl.Cli.DistMap;

/// <summary>Runs distmap over one file or every supported file of a folder.</summary>
internal sealed class DistMapRunner(DistMapSettings settings, TextWriter output, TextWriter error)
{
    /// <summary>Lists the files of the input folder; tests replace it to fail the way a broken disk does, which root cannot provoke.</summary>
    internal Func<string, IEnumerable<string>> ListFiles { get; init; } = Directory.EnumerateFiles;

    /// <summary>Converts, reports errors one line each on <c>error</c>, and returns the exit code (0, or 1 if anything failed).</summary>
    public int Run()
    {
        if (Directory.Exists(settings.Input))
            return RunFolder();
        if (!File.Exists(settings.Input))
            return Fail(settings.Input, "no such file or folder.");
        ILabelFormat? format = LabelFormats.For(settings.Input);
        if (format is null)
            return Fail(settings.Input, $"unsupported file type; distmap reads {LabelFormats.Extensions}.");
        if (Directory.Exists(settings.Output))
            return Fail(settings.Output, "is a folder; for a single input file, -o names the output file.");
        if (OverwriteGuard.CheckFile(settings.Input, settings.Output) is { } refusal)
            return Fail(refusal.Path, refusal.Message);
        return TryConvert(settings.Input, settings.Output, format, checkOutput: true) ? 0 : 1;
    }

    private int RunFolder()
    {
        if (File.Exists(settings.Output))
            return Fail(settings.Output, "is a file; for an input folder, -o names the output folder.");
        List<string> inputs;
        try
        {
            // Enumeration is lazy: an unreadable folder fails while listing, so ToList stays inside the try.
            inputs = ListFiles(settings.Input)
                .Where(path => LabelFormats.For(path) is not null)
                .Order(StringComparer.Ordinal)
                .ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(settings.Input, "cannot list the input folder: " + e.Message);
        }
        if (inputs.Count == 0)
            return Fail(settings.Input, $"contains no {LabelFormats.Extensions} files.");
        List<(string Input, string Target)> jobs = inputs
            .Select(input => (input, Path.Combine(settings.Output, LabelFormats.For(input)!.OutputName(Path.GetFileName(input)))))
            .ToList();
        // Before the output folder is even created: a refused run leaves no trace.
        if (OverwriteGuard.CheckFolder(settings.Input, settings.Output, jobs) is { } refusal)
            return Fail(refusal.Path, refusal.Message);
        try
        {
            Directory.CreateDirectory(settings.Output);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(settings.Output, "cannot create the output folder: " + e.Message);
        }

        // Errors are collected and printed after the progress bar, so that they do not tear its live display.
        var failures = new List<(string Path, string Message)>();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        console.Progress().Start(context =>
        {
            ProgressTask task = context.AddTask("distmap", maxValue: inputs.Count);
            foreach ((string input, string target) in jobs)
            {
                string? message = Convert(input, target, LabelFormats.For(input)!, checkOutput: false);
                if (message is not null)
                    failures.Add((input, message));
                task.Increment(1);
            }
        });
        foreach ((string path, string message) in failures)
            Report(path, message);
        output.WriteLine($"{inputs.Count - failures.Count} of {inputs.Count} files written to {settings.Output}.");
        return failures.Count == 0 ? 0 : 1;
    }

    private bool TryConvert(string input, string target, ILabelFormat format, bool checkOutput)
    {
        string? message = Convert(input, target, format, checkOutput);
        if (message is null)
            return true;
        Report(input, message);
        return false;
    }

    /// <summary>Converts one file; returns null on success or the one-line error message.</summary>
    private string? Convert(string input, string target, ILabelFormat format, bool checkOutput)
    {
        try
        {
            if (checkOutput)
                format.CheckOutputPath(target);
            // Before reading: a class count the output format cannot record fails fast, whatever the file holds.
            format.CheckClasses(settings.Classes);
            LabelImage image = format.Read(input);
            double[] spacing = Spacing(image);
            float[] maps = SignedMaps.Compute(image, settings.Classes, spacing, settings.Variant);
            // Compute everything first: the output file is only created once there is something complete to put in it.
            AtomicFile.Write(target, stream => format.Write(stream, target, image, settings.Classes, maps));
            return null;
        }
        catch (Exception e) when (e is CliException or InvalidDataException or IOException or UnauthorizedAccessException or OutOfMemoryException)
        {
            return e.Message;
        }
    }

    /// <summary>The spacing in C order: --spacing (given in the file's axis order) or the file's own, else 1 per axis.</summary>
    private double[] Spacing(LabelImage image)
    {
        if (settings.Spacing is { } given)
        {
            double[] spacing = (double[])given.Clone();
            // NIfTI axes are listed (i, j, k) in the header and by nibabel; the C-order view reverses them.
            if (image.Nifti is not null)
                Array.Reverse(spacing);
            return spacing;
        }
        if (image.Spacing is { } fromFile)
            return fromFile;
        var ones = new double[image.Shape.Length];
        Array.Fill(ones, 1.0);
        return ones;
    }

    private int Fail(string path, string message)
    {
        Report(path, message);
        return 1;
    }

    private void Report(string path, string message)
    {
        // One line per failure, whatever the exception text looks like.
        string line = message.ReplaceLineEndings(" ").Trim();
        string prefix = path + ": ";
        if (line.StartsWith(prefix, StringComparison.Ordinal))
            line = line[prefix.Length..];
        error.WriteLine($"lossdsl distmap: error: {path}: {line}");
    }
}
