using System.CommandLine;
using System.CommandLine.Help;
using System.IO;
using LossDsl.Cli.Demo;
using LossDsl.Cli.DistMap;
using LossDsl.Cli.Inspect;
using LossDsl.Cli.Sample;

namespace LossDsl.Cli;

/// <summary>The command tree of <c>lossdsl</c>; <see cref="Run"/> is what <c>Main</c> calls, and what tests call in-process.</summary>
internal static class CliApp
{
    /// <summary>Parses and runs a command line, writing to the given streams; returns the process exit code.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        // A RootCommand takes its name from the entry assembly (LossDsl.Cli); help and usage should say `lossdsl`.
        var root = new Command("lossdsl", "LossDsl: segmentation losses, signed distance maps and metrics.")
        {
            new HelpOption(),
            new VersionOption(),
        };
        root.Subcommands.Add(DemoCommand.Create(output, error));
        root.Subcommands.Add(DistMapCommand.Create(output, error));
        root.Subcommands.Add(InspectCommand.Create(output, error));
        root.Subcommands.Add(SampleCommand.Create(output));
        // Until the tool has a default action, `lossdsl` alone prints help rather than failing.
        root.SetAction(parseResult =>
        {
            new HelpAction().Invoke(parseResult);
            return 0;
        });
        var configuration = new InvocationConfiguration { Output = output, Error = error };
        return root.Parse(args).Invoke(configuration);
    }
}
