using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using LossDsl.Generators.Model;
using LossDsl.Generators.Passes;
using LossDsl.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LossDsl.Generators.Tests.Harness;

/// <summary>The outcome of running the generator on one compilation.</summary>
internal sealed record GeneratorRun(
    CSharpCompilation Input,
    Compilation Output,
    ImmutableArray<Diagnostic> Diagnostics,
    GeneratorDriver Driver,
    GeneratorRunResult Result)
{
    public IReadOnlyList<GeneratedSourceResult> Sources => Result.GeneratedSources;

    /// <summary>The models the source pipeline saw (the outputs of its differentiate step that did not fail).</summary>
    public IReadOnlyList<LossModel> Models => ModelsOf(Result);

    /// <summary>The models of one generator run's differentiate step that did not fail (one per generated loss).</summary>
    public static IReadOnlyList<LossModel> ModelsOf(GeneratorRunResult result) =>
        result.TrackedSteps.TryGetValue(LossGenerator.TrackingNames.Differentiate, out var steps)
            ? steps.SelectMany(s => s.Outputs).Select(o => ((Step<DifferentiatedLoss>)o.Value).Value?.Model).OfType<LossModel>().ToList()
            : Array.Empty<LossModel>();

    public LossModel Model(string name) => Models.Single(m => m.Name == name);

    /// <summary>The source text a diagnostic points at (the harness compiles one file, so its span is in it).</summary>
    public string SpanText(Diagnostic diagnostic) =>
        Input.SyntaxTrees[0].GetText().ToString(diagnostic.Location.SourceSpan);
}

/// <summary>
/// Compiles C# source against the LossDsl runtime and runs <see cref="LossGenerator"/> on it with step tracking, the
/// way the compiler does in a build.
/// </summary>
internal static class GeneratorHarness
{
    public const string FilePath = "Losses.cs";

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, DocumentationMode.Parse);

    private static readonly Lazy<ImmutableArray<MetadataReference>> LazyReferences = new(LoadReferences);

    public static ImmutableArray<MetadataReference> References => LazyReferences.Value;

    public static CSharpCompilation Compile(string source, IEnumerable<MetadataReference>? extraReferences = null, string assemblyName = "UserLosses") =>
        CSharpCompilation.Create(
            assemblyName,
            new[] { Parse(source) },
            References.AddRange(extraReferences ?? Array.Empty<MetadataReference>()),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static SyntaxTree Parse(string source) => CSharpSyntaxTree.ParseText(source, ParseOptions, FilePath);

    public static GeneratorDriver CreateDriver() => CSharpGeneratorDriver.Create(
        new[] { new LossGenerator().AsSourceGenerator() },
        parseOptions: ParseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static GeneratorRun Run(string source, IEnumerable<MetadataReference>? extraReferences = null) =>
        Run(CreateDriver(), Compile(source, extraReferences));

    public static GeneratorRun Run(GeneratorDriver driver, CSharpCompilation compilation)
    {
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        var result = driver.GetRunResult().Results.Single();
        return new GeneratorRun(compilation, output, diagnostics, driver, result);
    }

    /// <summary>The compiler's own errors in the user's source (tests of valid losses assert there are none).</summary>
    public static IReadOnlyList<Diagnostic> CompilerErrors(Compilation compilation) =>
        compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();

    /// <summary>Runs the front end alone on method <paramref name="methodName"/>: its forward graph, before differentiation.</summary>
    public static ParsedLoss ParseLoss(string source, string methodName)
    {
        var compilation = Compile(source);
        var tree = compilation.SyntaxTrees[0];
        var model = compilation.GetSemanticModel(tree);
        var syntax = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Single(m => m.Identifier.Text == methodName);
        var method = model.GetDeclaredSymbol(syntax)!;
        var attribute = compilation.GetTypeByMetadataName("LossDsl.LossAttribute")!;
        var types = KnownTypes.From(attribute)!;
        return LossParser.Parse(method, syntax, model, types, CancellationToken.None);
    }

    /// <summary>
    /// The framework's reference assemblies as the test host sees them, the runtime library, and the back ends'
    /// dependencies (TorchSharp, System.Numerics.Tensors) for compiling generated code.
    /// </summary>
    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal)
                || Path.GetFileName(p) is "netstandard.dll" or "mscorlib.dll" or "Microsoft.CSharp.dll")
            .ToList();
        paths.Add(typeof(global::LossDsl.Field).Assembly.Location);
        foreach (var name in new[] { "TorchSharp.dll", "System.Numerics.Tensors.dll" })
        {
            var path = Path.Combine(AppContext.BaseDirectory, name);
            if (File.Exists(path) && !paths.Any(p => Path.GetFileName(p) == name))
            {
                paths.Add(path);
            }
        }

        return paths.Distinct().Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
    }
}
