using LossDsl.Generators.Common;
using LossDsl.Generators.Diagnostics;

namespace LossDsl.Generators.Parsing;

/// <summary>
/// What the front end makes of one <c>[Loss]</c>: the declaration and its forward graph (null when the loss has
/// errors) and the diagnostics to report. The generator splits the two into separate pipelines, so that a change that
/// only moves a diagnostic does not regenerate code, and a change that only touches code does not re-report.
/// </summary>
internal sealed record LossParseResult(DeclaredLoss? Loss, EquatableArray<DiagnosticInfo> Diagnostics);
