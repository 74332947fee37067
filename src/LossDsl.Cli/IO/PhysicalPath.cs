using System;
using System.Collections.Generic;
using System.IO;

namespace LossDsl.Cli.IO;

/// <summary>
/// Resolves a path the way the operating system does when it opens it: component by component, following symbolic
/// links and taking <c>..</c> after a link to the link target's parent. <see cref="Path.GetFullPath(string)"/> alone
/// is not enough to tell whether two spellings name the same file: it removes <c>..</c> lexically, so
/// <c>link/../x</c> becomes <c>x</c> although the system opens <c>x</c> beside the link's target.
/// </summary>
internal static class PhysicalPath
{
    // Linux gives up after 40 links (ELOOP); a loop here must not hang the tool.
    private const int MaxLinks = 40;

    /// <summary>
    /// How resolved paths compare: exact on Linux; case-insensitive where the usual file systems are (Windows, macOS),
    /// so that a different spelling of an existing name is still recognised there. A false match only refuses a run.
    /// </summary>
    public static StringComparer Comparer { get; } =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

    /// <summary>
    /// The absolute path <paramref name="path"/> names after every symbolic link in it is followed, the last component
    /// included. Components that do not exist (yet) are appended as written.
    /// </summary>
    public static string Resolve(string path)
    {
        // The working directory is physical already (getcwd), so a relative path can be joined to it as is.
        string absolute = Path.IsPathFullyQualified(path) ? path : Path.Join(Environment.CurrentDirectory, path);
        string root = Path.GetPathRoot(absolute) ?? "";
        var pending = new Stack<string>();
        PushComponents(pending, absolute[root.Length..]);
        string current = root;
        int links = 0;
        while (pending.Count > 0)
        {
            string name = pending.Pop();
            if (name is "" or ".")
                continue;
            if (name == "..")
            {
                // `current` is physical here, so its lexical parent is its real parent.
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }
            string next = Path.Join(current, name);
            string? target = LinkTarget(next);
            if (target is null || ++links > MaxLinks)
            {
                current = next;
                continue;
            }
            // Resolve the link's target in place of the link: relative to the link's folder, or from its own root.
            string targetRoot = Path.GetPathRoot(target) ?? "";
            if (targetRoot.Length > 0)
                current = targetRoot;
            PushComponents(pending, target[targetRoot.Length..]);
        }
        return current;
    }

    /// <summary>Pushes the components of <paramref name="relative"/> so that the first is popped first.</summary>
    private static void PushComponents(Stack<string> pending, string relative)
    {
        string[] parts = relative.Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar]);
        for (int i = parts.Length - 1; i >= 0; i--)
            pending.Push(parts[i]);
    }

    private static string? LinkTarget(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A component we may not look at cannot be written through either; take it as written.
            return null;
        }
    }
}
