using System.Collections.Generic;
using System.IO;
using LossDsl.Cli.IO;

namespace LossDsl.Cli.DistMap;

/// <summary>
/// Refuses, before anything is written, a run whose output would replace one of its inputs: distmap never destroys
/// data. Paths are compared after <see cref="PhysicalPath.Resolve"/>, so <c>./</c>, <c>..</c>, relative and absolute
/// spellings and symbolic links all count. (A hard link to an input is safe: outputs are renamed into place, which
/// replaces the output's directory entry and leaves the input's alone.)
/// </summary>
internal static class OverwriteGuard
{
    /// <summary>A refusal: the path to name in the error line and why.</summary>
    public sealed record Refusal(string Path, string Message);

    /// <summary>Why a single-file run may not write <paramref name="output"/>, or null when it may.</summary>
    public static Refusal? CheckFile(string input, string output)
    {
        if (!PhysicalPath.Comparer.Equals(PhysicalPath.Resolve(output), PhysicalPath.Resolve(input)))
            return null;
        return new Refusal(output, $"the output is the input file {input}; distmap never overwrites its input, choose another output file.");
    }

    /// <summary>
    /// Why a folder run may not write its targets, or null when it may: the output folder is the input folder, a target
    /// is an input file, or two inputs would write the same target (the second would silently replace the first's maps).
    /// </summary>
    public static Refusal? CheckFolder(string inputFolder, string outputFolder, IReadOnlyList<(string Input, string Target)> jobs)
    {
        string resolvedOutput = PhysicalPath.Resolve(outputFolder);
        if (PhysicalPath.Comparer.Equals(resolvedOutput, PhysicalPath.Resolve(inputFolder)))
            return new Refusal(outputFolder, $"the output folder is the input folder {inputFolder}; distmap never writes into its input folder, choose another output folder.");

        // Resolved input → the input to name in a refusal; of several links to one file, the file itself if it is an input.
        var inputs = new Dictionary<string, string>(PhysicalPath.Comparer);
        foreach ((string input, _) in jobs)
        {
            string resolved = PhysicalPath.Resolve(input);
            if (!inputs.TryAdd(resolved, input) && PhysicalPath.Comparer.Equals(Path.GetFileName(resolved), Path.GetFileName(input)))
                inputs[resolved] = input;
        }
        var targets = new Dictionary<string, string>(PhysicalPath.Comparer);
        foreach ((string input, string target) in jobs)
        {
            string resolved = PhysicalPath.Resolve(Path.Join(resolvedOutput, Path.GetFileName(target)));
            if (inputs.TryGetValue(resolved, out string? overwritten))
                return new Refusal(target, $"the output would replace the input file {overwritten}; distmap never overwrites its inputs, choose another output folder.");
            if (!targets.TryAdd(resolved, input))
                return new Refusal(target, $"the output would hold the maps of both {targets[resolved]} and {input}; rename one of them.");
        }
        return null;
    }
}
