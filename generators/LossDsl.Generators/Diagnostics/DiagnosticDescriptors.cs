using Microsoft.CodeAnalysis;

namespace LossDsl.Generators.Diagnostics;

/// <summary>
/// Every diagnostic the LossDsl generator reports, in one place (listed in <c>docs/diagnostics.md</c> and
/// <c>AnalyzerReleases.Unshipped.md</c>). All are errors: a loss the generator cannot compile has no generated members,
/// so continuing would only move the failure to the call sites.
/// </summary>
internal static class DiagnosticDescriptors
{
    public const string Category = "LossDsl";

    /// <summary><c>LD0001</c>: "{0} is not supported in a [Loss] body; {1}".</summary>
    public static readonly DiagnosticDescriptor UnsupportedSyntax = Create(
        "LD0001",
        "Unsupported construct in a loss",
        "{0} is not supported in a [Loss] body; {1}");

    /// <summary><c>LD0002</c>: "Shape mismatch: {0}".</summary>
    public static readonly DiagnosticDescriptor ShapeMismatch = Create(
        "LD0002",
        "Shape mismatch",
        "Shape mismatch: {0}");

    /// <summary><c>LD0003</c>: "The [Loss] method '{0}' must be static".</summary>
    public static readonly DiagnosticDescriptor MethodNotStatic = Create(
        "LD0003",
        "A loss must be a static method",
        "The [Loss] method '{0}' must be static");

    /// <summary><c>LD0004</c>: "The type '{0}' must be declared {1}, because it contains the [Loss] method '{2}'".</summary>
    public static readonly DiagnosticDescriptor TypeNotStaticPartial = Create(
        "LD0004",
        "A loss must be declared in a static partial class",
        "The type '{0}' must be declared {1}, because it contains the [Loss] method '{2}'");

    /// <summary><c>LD0005</c>: "The [Loss] method '{0}' returns '{1}', but a loss must return LossDsl.Scalar".</summary>
    public static readonly DiagnosticDescriptor WrongReturnType = Create(
        "LD0005",
        "A loss must return Scalar",
        "The [Loss] method '{0}' returns '{1}', but a loss must return LossDsl.Scalar");

    /// <summary><c>LD0006</c>: "The parameter '{0}' of the loss '{1}' is declared as '{2}'; a loss parameter must be a Field, float, double, int or int[] passed by value".</summary>
    public static readonly DiagnosticDescriptor UnsupportedParameterType = Create(
        "LD0006",
        "Unsupported parameter type",
        "The parameter '{0}' of the loss '{1}' is declared as '{2}'; a loss parameter must be a Field, float, double, int or int[] passed by value");

    /// <summary><c>LD0007</c>: "The loss '{0}' calls itself ({1}); losses are inlined into their callers, so they cannot be recursive".</summary>
    public static readonly DiagnosticDescriptor RecursiveLoss = Create(
        "LD0007",
        "Recursive loss",
        "The loss '{0}' calls itself ({1}); losses are inlined into their callers, so they cannot be recursive");

    /// <summary><c>LD0008</c>: "The class list '{0}' must be an int[] parameter of the loss; add an int[] parameter and pass it here".</summary>
    public static readonly DiagnosticDescriptor ClassListNotParameter = Create(
        "LD0008",
        "A class list must be an int[] parameter",
        "The class list '{0}' must be an int[] parameter of the loss; add an int[] parameter and pass it here");

    /// <summary><c>LD0009</c>: "The exponent '{0}' of Pow depends on a Field; use constants and hyper-parameters as the exponent, or write Exp(e * Log(x))".</summary>
    public static readonly DiagnosticDescriptor PowExponentDependsOnField = Create(
        "LD0009",
        "Pow exponent depends on a field",
        "The exponent '{0}' of Pow depends on a Field; use constants and hyper-parameters as the exponent, or write Exp(e * Log(x))");

    /// <summary><c>LD0010</c>: "The loss '{0}' of the assembly '{1}' carries no LossDsl graph (it was compiled without the LossDsl generator), so it cannot be inlined; rebuild that assembly with LossDsl, or declare the loss in this project".</summary>
    public static readonly DiagnosticDescriptor LossFromOtherAssembly = Create(
        "LD0010",
        "A composed loss from another assembly must carry its graph",
        "The loss '{0}' of the assembly '{1}' carries no LossDsl graph (it was compiled without the LossDsl generator), so it cannot be inlined; rebuild that assembly with LossDsl, or declare the loss in this project");

    /// <summary><c>LD0011</c>: "The LossDsl generator failed on '{0}': {1}: {2}. Please report this with the loss's source.".</summary>
    public static readonly DiagnosticDescriptor InternalError = Create(
        "LD0011",
        "Internal generator error",
        "The LossDsl generator failed on '{0}': {1}: {2}. Please report this with the loss's source.");

    /// <summary><c>LD0012</c>: "The loss '{0}' has no Field parameter; a loss takes at least one Field (the tensors it is computed from)".</summary>
    public static readonly DiagnosticDescriptor NoFieldParameter = Create(
        "LD0012",
        "A loss needs a Field parameter",
        "The loss '{0}' has no Field parameter; a loss takes at least one Field (the tensors it is computed from)");

    /// <summary><c>LD0013</c>: "The [Loss] method '{0}' must not be generic; use double hyper-parameters instead of type parameters".</summary>
    public static readonly DiagnosticDescriptor GenericLoss = Create(
        "LD0013",
        "A loss cannot be generic",
        "The [Loss] method '{0}' must not be generic; use double hyper-parameters instead of type parameters");

    /// <summary><c>LD0014</c>: "Another [Loss] method named '{0}' is declared in '{1}'; give each loss its own name, since the generated members are named after it".</summary>
    public static readonly DiagnosticDescriptor DuplicateLossName = Create(
        "LD0014",
        "Overloaded loss",
        "Another [Loss] method named '{0}' is declared in '{1}'; give each loss its own name, since the generated members are named after it");

    /// <summary><c>LD0015</c>: "The loss '{0}' takes {1} Field parameters; a loss takes at most {2}: combine several losses of fewer fields, or stack maps along the class axis".</summary>
    public static readonly DiagnosticDescriptor TooManyFields = Create(
        "LD0015",
        "Too many Field parameters",
        "The loss '{0}' takes {1} Field parameters; a loss takes at most {2}: combine several losses of fewer fields, or stack maps along the class axis");

    /// <summary><c>LD0016</c>: "The [Loss] method '{0}' is in '{1}', which is {2}; a loss must be in a type the whole assembly can see (public or internal, and so must every enclosing type), because it registers itself in LossCatalog when the assembly loads".</summary>
    public static readonly DiagnosticDescriptor InaccessibleContainingType = Create(
        "LD0016",
        "A loss must be in a type the whole assembly can see",
        "The [Loss] method '{0}' is in '{1}', which is {2}; a loss must be in a type the whole assembly can see (public or internal, and so must every enclosing type), because it registers itself in LossCatalog when the assembly loads");

    /// <summary><c>LD0017</c>: "The [Loss] method '{0}' is in the generic type '{1}'; declare losses in a non-generic static partial class (a generic type cannot register them in LossCatalog when the assembly loads)".</summary>
    public static readonly DiagnosticDescriptor GenericContainingType = Create(
        "LD0017",
        "A loss cannot be in a generic type",
        "The [Loss] method '{0}' is in the generic type '{1}'; declare losses in a non-generic static partial class (a generic type cannot register them in LossCatalog when the assembly loads)");

    /// <summary><c>LD0018</c>: "The type '{0}' already has a member named '{1}', which the generator adds for the [Loss] method '{2}'; rename one of them".</summary>
    public static readonly DiagnosticDescriptor GeneratedMemberNameTaken = Create(
        "LD0018",
        "A generated member's name is taken",
        "The type '{0}' already has a member named '{1}', which the generator adds for the [Loss] method '{2}'; rename one of them");

    /// <summary><c>LD0019</c>: "The [Loss] method '{0}' is a partial method; declare a loss as an ordinary static method with its body".</summary>
    public static readonly DiagnosticDescriptor PartialLoss = Create(
        "LD0019",
        "A loss cannot be a partial method",
        "The [Loss] method '{0}' is a partial method; declare a loss as an ordinary static method with its body");

    /// <summary><c>LD0020</c>: "The type '{0}' hides the C# keyword '{1}' where the [Loss] method '{2}' is declared, and the generated code uses that keyword; rename the type".</summary>
    public static readonly DiagnosticDescriptor TypeHidesKeyword = Create(
        "LD0020",
        "A type hides a keyword the generated code uses",
        "The type '{0}' hides the C# keyword '{1}' where the [Loss] method '{2}' is declared, and the generated code uses that keyword; rename the type");

    /// <summary>The most Field parameters a loss may take (the CPU runtime pins at most this many spans per call).</summary>
    public const int MaxFields = 8;

    private static DiagnosticDescriptor Create(string id, string title, string message) => new(
        id,
        title,
        message,
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "See docs/diagnostics.md (" + id + ") for an example and the fix.");
}
