using System.Collections.Generic;
using System.Linq;
using LossDsl.Generators.Diagnostics;
using Microsoft.CodeAnalysis;

namespace LossDsl.Generators.Parsing;

/// <summary>
/// Collects the diagnostics of one loss. While another loss is being inlined, a diagnostic inside its body would
/// point into a different method (which reports its own problems when it is compiled itself), so only the problems
/// that depend on the caller's arguments — shape mismatches and recursion — are kept, moved to the caller's call.
/// </summary>
internal sealed class DiagnosticSink
{
    private readonly List<DiagnosticInfo> diagnostics = new();
    private readonly Stack<(LocationInfo CallSite, string Callee)> inlined = new();

    /// <summary>Whether anything went wrong, including problems that were not reported here.</summary>
    public bool Failed { get; private set; }

    public IReadOnlyList<DiagnosticInfo> Diagnostics => diagnostics;

    /// <summary>Records a failure that the compiler itself already reports (e.g. an invalid operation).</summary>
    public void FailSilently() => Failed = true;

    public void Report(DiagnosticDescriptor descriptor, SyntaxNode at, params string[] arguments) =>
        Report(descriptor, LocationInfo.From(at), arguments);

    public void Report(DiagnosticDescriptor descriptor, LocationInfo at, params string[] arguments)
    {
        Failed = true;
        if (inlined.Count == 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(descriptor, at, arguments));
            return;
        }

        // The outermost call (the bottom of the stack) is the one in the loss being compiled; the innermost names
        // the loss that failed.
        var callSite = inlined.Last().CallSite;
        var callee = inlined.Peek().Callee;
        if (descriptor == DiagnosticDescriptors.ShapeMismatch)
        {
            diagnostics.Add(DiagnosticInfo.Create(descriptor, callSite, $"in the inlined loss '{callee}', {arguments[0]}"));
        }
        else if (descriptor == DiagnosticDescriptors.RecursiveLoss)
        {
            diagnostics.Add(DiagnosticInfo.Create(descriptor, callSite, arguments));
        }
    }

    public void EnterInlined(LocationInfo callSite, string callee) => inlined.Push((callSite, callee));

    public void ExitInlined() => inlined.Pop();
}
