using System;
using System.IO;

namespace LossDsl.Cli.IO;

/// <summary>Writes a file so that a failure never leaves a partial file under the final name.</summary>
internal static class AtomicFile
{
    /// <summary>
    /// Writes into a hidden temporary file in the target's folder (same file system, so the rename is atomic),
    /// then renames it over <paramref name="path"/>; on any failure the temporary file is deleted.
    /// </summary>
    public static void Write(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full) ?? ".";
        if (!Directory.Exists(folder))
            throw new CliException($"{path}: the output folder {folder} does not exist.");
        string temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                write(stream);
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static void TryDelete(string temp)
    {
        try
        {
            File.Delete(temp);
        }
        catch (IOException)
        {
            // Nothing more can be done; the original error is what the user needs to see.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
