using System;

namespace LossDsl.Cli;

/// <summary>A user-facing failure (bad input file, bad option value): printed as one line, never with a stack trace.</summary>
internal sealed class CliException(string message) : Exception(message);
