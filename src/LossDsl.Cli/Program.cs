using System;
using LossDsl.Cli;

return CliApp.Run(args, Console.Out, Console.Error);
