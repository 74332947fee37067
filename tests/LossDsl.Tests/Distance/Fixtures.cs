using System.IO;
using System.Runtime.CompilerServices;

namespace LossDsl.Tests.Distance;

/// <summary>Locates checked-in fixtures next to the test sources (no copy to the output folder needed).</summary>
internal static class Fixtures
{
    public static string Directory([CallerFilePath] string source = "")
        => Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(source))!, "Fixtures", "distance");
}
