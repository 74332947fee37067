using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using LossDsl.Generators;
using Spectre.Console;

namespace LossDsl.Cli.Inspect;

/// <summary>
/// The <c>inspect</c> command: without a name, the loss catalogue (every <c>[Loss]</c> of the loaded assemblies: the
/// built-in <c>LossDsl.SegmentationLosses</c> and the sample's own); with a name, that loss's formula, derived
/// gradients and generated TorchSharp and CPU code. Colours only on a terminal (and not with NO_COLOR).
/// </summary>
internal static class InspectCommand
{
    private const string BuiltInType = "LossDsl.SegmentationLosses";

    public static Command Create(TextWriter output, TextWriter error)
    {
        var name = new Argument<string?>("name")
        {
            Description = "A loss, by short name (GeneralizedDice) or full name (LossDsl.SegmentationLosses.GeneralizedDice). Omit to list them all.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var command = new Command("inspect", "List the loss catalogue, or print one loss's formula, gradients and generated TorchSharp and CPU code.")
        {
            name,
        };
        command.SetAction(parseResult =>
        {
            EnsureBuiltInsRegistered();
            string? wanted = parseResult.GetValue(name);
            bool colour = UseColour(output);
            if (string.IsNullOrWhiteSpace(wanted))
            {
                List(output, colour);
                return 0;
            }
            if (!TryFind(wanted.Trim(), out LossInfo? info, out string problem))
            {
                error.WriteLine($"lossdsl inspect: error: {problem}");
                return 1;
            }
            Print(info!, output, colour);
            return 0;
        });
        return command;
    }

    /// <summary>
    /// Generated code registers each loss from a module initializer, which runs when its assembly is first used; make
    /// sure the library's has run even if nothing else touched it yet.
    /// </summary>
    internal static void EnsureBuiltInsRegistered()
        => RuntimeHelpers.RunModuleConstructor(typeof(SegmentationLosses).Module.ModuleHandle);

    /// <summary>Exact full name; else the short name if it names one loss (a built-in wins over a same-named user loss); else case-insensitive.</summary>
    internal static bool TryFind(string wanted, out LossInfo? info, out string problem)
    {
        IReadOnlyList<LossInfo> all = LossCatalog.All;
        problem = "";
        info = all.FirstOrDefault(i => i.FullName == wanted);
        if (info is not null)
            return true;
        foreach (StringComparison comparison in new[] { StringComparison.Ordinal, StringComparison.OrdinalIgnoreCase })
        {
            LossInfo[] matches = all.Where(i => string.Equals(i.Name, wanted, comparison) || string.Equals(i.FullName, wanted, comparison)).ToArray();
            if (matches.Length == 1)
            {
                info = matches[0];
                return true;
            }
            if (matches.Length > 1)
            {
                info = matches.FirstOrDefault(i => i.DeclaringType == BuiltInType);
                if (info is not null)
                    return true;
                problem = $"'{wanted}' names several losses ({string.Join(", ", matches.Select(i => i.FullName))}); give the full name.";
                return false;
            }
        }
        string[] near = all.Select(i => i.Name).Distinct()
            .Where(n => n.Contains(wanted, StringComparison.OrdinalIgnoreCase) || wanted.Contains(n, StringComparison.OrdinalIgnoreCase))
            .Take(5).ToArray();
        problem = $"no loss named '{wanted}'"
            + (near.Length > 0 ? $"; did you mean {string.Join(", ", near)}?" : "; `lossdsl inspect` lists them.");
        return false;
    }

    private static void List(TextWriter output, bool colour)
    {
        LossInfo[] all = LossCatalog.All
            .OrderBy(i => i.DeclaringType == BuiltInType ? 0 : 1)
            .ThenBy(i => i.DeclaringType, StringComparer.Ordinal)
            .ThenBy(i => i.Name, StringComparer.Ordinal)
            .ToArray();
        if (colour)
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
            var table = new Table { Border = TableBorder.Rounded };
            table.AddColumn("loss");
            table.AddColumn("declared in");
            table.AddColumn("parameters");
            foreach (LossInfo info in all)
                table.AddRow("[bold]" + Markup.Escape(info.Name) + "[/]", Markup.Escape(info.DeclaringType), "[grey]" + Markup.Escape(string.Join(", ", info.Parameters)) + "[/]");
            console.Write(table);
        }
        else
        {
            // Redirected: plain aligned columns, no borders, no trailing spaces, no wrapping.
            int nameWidth = Math.Max("loss".Length, all.Max(i => i.Name.Length)) + 2;
            int typeWidth = Math.Max("declared in".Length, all.Max(i => i.DeclaringType.Length)) + 2;
            output.WriteLine("loss".PadRight(nameWidth) + "declared in".PadRight(typeWidth) + "parameters");
            foreach (LossInfo info in all)
                output.WriteLine(info.Name.PadRight(nameWidth) + info.DeclaringType.PadRight(typeWidth) + string.Join(", ", info.Parameters));
        }
        output.WriteLine($"{all.Length} losses. `lossdsl inspect <name>` prints one with its gradients and generated code.");
    }

    private static void Print(LossInfo info, TextWriter output, bool colour)
    {
        var text = new AnsiText(output, colour);
        text.Heading(info.FullName);
        text.Line($"({string.Join(", ", info.Parameters)})");
        text.Blank();
        text.Heading("Formula");
        text.Formula(info.Formula);
        text.Blank();
        text.Heading("Gradients");
        foreach (var (field, gradient) in info.Gradients)
            text.Formula($"∂L/∂{field} = {gradient}");
        text.Blank();
        // The generated file keeps no copy of its code; the generator regenerates it from the stored graph, through
        // the path it compiled it by, so this is the compiled code.
        GeneratedLossSource code = LossSources.Generate(
            info.Graph, info.Name, info.DeclaringType, info.Parameters, info.Accessibility, info.Summary, info.ReservedNames);
        text.Heading("Generated TorchSharp code");
        text.Code(code.TorchSharp);
        text.Blank();
        text.Heading("Generated CPU code");
        text.Code(code.Cpu);
    }

    /// <summary>Colour only for the real console on a terminal, and never with NO_COLOR set or TERM=dumb.</summary>
    private static bool UseColour(TextWriter output)
        => ReferenceEquals(output, System.Console.Out)
            && !System.Console.IsOutputRedirected
            && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"))
            && Environment.GetEnvironmentVariable("TERM") != "dumb";
}
