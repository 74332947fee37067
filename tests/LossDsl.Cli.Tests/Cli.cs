using System.IO;

namespace LossDsl.Cli.Tests;

/// <summary>Runs the tool in-process and captures what it prints.</summary>
internal static class Cli
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public string[] ErrorLines => Error.Split('\n', System.StringSplitOptions.RemoveEmptyEntries);
    }

    public static Result Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CliApp.Run(args, output, error);
        return new Result(code, output.ToString(), error.ToString());
    }
}
