using System;
using Xunit;

namespace LossDsl.Cli.Tests;

/// <summary>
/// A fact that is reported as skipped, not passed, when the tests run as root: permission bits do not stop root from
/// reading, so a test of an unreadable file could not fail there.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class UnlessPrivilegedFactAttribute : FactAttribute
{
    public UnlessPrivilegedFactAttribute()
    {
        if (Environment.IsPrivilegedProcess)
            Skip = "running as root (or elevated): permission bits do not stop reads";
        else if (OperatingSystem.IsWindows())
            Skip = "Unix permission bits";
    }
}
