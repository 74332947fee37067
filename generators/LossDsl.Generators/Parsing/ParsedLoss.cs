using LossDsl.Generators.Common;
using LossDsl.Generators.Diagnostics;
using LossDsl.Generators.Ir;
using LossDsl.Generators.Model;

namespace LossDsl.Generators.Parsing;

/// <summary>
/// The front end's output for one loss, before differentiation: the declaration, the forward graph with its
/// result node, and what went wrong. <see cref="Failed"/> may be true without diagnostics when the compiler itself
/// reports the problem (a syntax error, an unresolved name).
/// </summary>
internal sealed record ParsedLoss(
    LossDeclaration Declaration,
    Graph Forward,
    int Result,
    EquatableArray<DiagnosticInfo> Diagnostics,
    bool Failed);
