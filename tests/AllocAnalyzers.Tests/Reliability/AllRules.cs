using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AllocAnalyzers.Tests.Catalog;
using AllocAnalyzers.Tests.Harness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace AllocAnalyzers.Tests.Reliability;

/// <summary>The options a file is analysed under: the rules take different paths in loops only, in hot code and everywhere.</summary>
internal sealed record AnalyzerProfile(string Name, string? EditorConfig, string? GlobalConfig)
{
    public static readonly AnalyzerProfile Default = new("default", null, null);

    public static readonly AnalyzerProfile Everywhere = new(
        "everywhere, net10.0",
        "[*.cs]\nalloc_analyzers.scope = everywhere\n",
        "build_property.TargetFramework = net10.0\n");

    public static readonly AnalyzerProfile HotFiles = new(
        "hot files, small stackalloc, own borrowers",
        "[*.cs]\nalloc_analyzers.hot_path = true\nALLOC002.stackalloc_max_bytes = 64\nalloc_analyzers.non_retaining_methods = C.Use, Program.Feed, M:C.M(System.Byte[])\n",
        "build_property.TargetFramework = net8.0\n");

    public static readonly ImmutableArray<AnalyzerProfile> All = ImmutableArray.Create(Default, Everywhere, HotFiles);
}

/// <summary>
/// One file to analyse, with how to compile it, for how many of its diagnostics to compute fixes (spread over the file)
/// and whether to compute Fix All too.
/// </summary>
internal sealed record RuleInput(string Name, string Text, AnalyzerProfile Profile, OutputKind OutputKind = OutputKind.DynamicallyLinkedLibrary, ImmutableArray<string> PreprocessorSymbols = default)
{
    public int MaxFixedDiagnostics { get; init; } = 40;

    public bool FixAll { get; init; } = true;

    public NullableContextOptions Nullable { get; init; } = NullableContextOptions.Enable;

    public override string ToString() => $"{Name} [{Profile.Name}]";
}

/// <summary>What running every rule over one file did.</summary>
internal sealed class RuleRun
{
    public required RuleInput Input { get; init; }
    public List<Diagnostic> Diagnostics { get; } = new();
    /// <summary>Exceptions of analyzers (AD0001 included) and fixers, each with where it happened.</summary>
    public List<string> Crashes { get; } = new();
    public int CodeActions { get; set; }
    public int FixAllActions { get; set; }
    public TimeSpan AnalysisWallTime { get; set; }
    /// <summary>Time spent inside the analyzers' callbacks, as the compiler measures it.</summary>
    public TimeSpan AnalyzerExecutionTime { get; set; }
    public TimeSpan FixTime { get; set; }
}

/// <summary>
/// Runs every analyzer of the package (found by reflection, as the catalog tests do) over a file, then asks every fixer
/// for its code actions on each diagnostic and computes them, and Fix All for each offered equivalence key. Every
/// exception is recorded, never thrown.
/// </summary>
internal static class AllRules
{
    private static readonly ImmutableArray<DiagnosticAnalyzer> Analyzers = RuleCatalog.Analyzers;

    public static Document CreateDocument(RuleInput input)
    {
        var workspace = new AdhocWorkspace();
        var symbols = input.PreprocessorSymbols.IsDefault ? ImmutableArray<string>.Empty : input.PreprocessorSymbols;
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest, DocumentationMode.Diagnose, preprocessorSymbols: symbols);
        var compilationOptions = new CSharpCompilationOptions(input.OutputKind, allowUnsafe: true, nullableContextOptions: input.Nullable)
            .WithSpecificDiagnosticOptions(RuleCatalog.AllDescriptors.Where(d => !d.IsEnabledByDefault).Select(d => new KeyValuePair<string, ReportDiagnostic>(d.Id, ReportDiagnostic.Warn)));
        var projectId = ProjectId.CreateNewId();
        var solution = workspace.CurrentSolution.AddProject(ProjectInfo.Create(projectId, VersionStamp.Default, "Fuzz", "Fuzz", LanguageNames.CSharp,
            filePath: "/0/Fuzz.csproj", compilationOptions: compilationOptions, parseOptions: parseOptions, metadataReferences: References.For(ReferenceSet.Net80)));
        if (input.Profile.EditorConfig is { } editorConfig)
        {
            solution = solution.AddAnalyzerConfigDocument(DocumentId.CreateNewId(projectId), ".editorconfig", SourceText.From(editorConfig), filePath: "/0/.editorconfig");
        }

        if (input.Profile.GlobalConfig is { } globalConfig)
        {
            solution = solution.AddAnalyzerConfigDocument(DocumentId.CreateNewId(projectId), ".globalconfig", SourceText.From("is_global = true\n" + globalConfig), filePath: "/0/.globalconfig");
        }

        var documentId = DocumentId.CreateNewId(projectId);
        solution = solution.AddDocument(documentId, "Input.cs", SourceText.From(input.Text), filePath: "/0/Input.cs");
        return solution.GetDocument(documentId)!;
    }

    /// <summary>Analyses <paramref name="input"/> with every analyzer, then computes the fixes its budget asks for.</summary>
    public static async Task<RuleRun> RunAsync(RuleInput input, CancellationToken cancellationToken)
    {
        var maxFixedDiagnostics = input.MaxFixedDiagnostics;
        var run = new RuleRun { Input = input };
        var document = CreateDocument(input);
        var compilation = (await document.Project.GetCompilationAsync(cancellationToken))!;

        var clock = Stopwatch.StartNew();
        var (diagnostics, crashes, executionTime) = await AnalyzeAsync(compilation, document.Project.AnalyzerOptions, Analyzers, concurrent: false, cancellationToken);
        run.AnalysisWallTime = clock.Elapsed;
        run.AnalyzerExecutionTime = executionTime;
        run.Diagnostics.AddRange(diagnostics);
        run.Crashes.AddRange(crashes);

        clock.Restart();
        var fixable = diagnostics
            .Where(d => d.Location.IsInSource && RuleCatalog.Fixers.Any(f => f.FixableDiagnosticIds.Contains(d.Id)))
            .OrderBy(d => d.Location.SourceSpan.Start)
            .ThenBy(d => d.Id, StringComparer.Ordinal)
            .ToList();
        // Spread over the file when there are more than the budget, deterministically.
        var chosen = fixable.Count <= maxFixedDiagnostics
            ? fixable
            : Enumerable.Range(0, maxFixedDiagnostics).Select(i => fixable[(int)((long)i * fixable.Count / maxFixedDiagnostics)]).ToList();
        var keysByFixer = new Dictionary<CodeFixProvider, HashSet<string>>();
        foreach (var diagnostic in chosen)
        {
            foreach (var fixer in RuleCatalog.Fixers.Where(f => f.FixableDiagnosticIds.Contains(diagnostic.Id)))
            {
                var actions = new List<CodeAction>();
                var where = $"{fixer.GetType().Name} on {Describe(diagnostic)}";
                try
                {
                    await fixer.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), cancellationToken));
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    run.Crashes.Add($"{where}: RegisterCodeFixesAsync threw {e}");
                    continue;
                }

                foreach (var action in Flatten(actions))
                {
                    run.CodeActions++;
                    if (action.EquivalenceKey is { } key)
                    {
                        (keysByFixer.TryGetValue(fixer, out var keys) ? keys : keysByFixer[fixer] = new HashSet<string>(StringComparer.Ordinal)).Add(key);
                    }

                    await ComputeAsync(action, document, $"{where}: '{action.Title}'", run, cancellationToken);
                }
            }
        }

        if (input.FixAll)
        {
            foreach (var (fixer, keys) in keysByFixer.OrderBy(p => p.Key.GetType().FullName, StringComparer.Ordinal))
            {
                foreach (var key in keys.OrderBy(k => k, StringComparer.Ordinal))
                {
                    var where = $"{fixer.GetType().Name} Fix All '{key}'";
                    try
                    {
                        var provider = fixer.GetFixAllProvider();
                        if (provider is null)
                        {
                            continue;
                        }

                        var ids = fixer.FixableDiagnosticIds.ToImmutableHashSet();
                        var context = new FixAllContext(document, fixer, FixAllScope.Document, key, ids, new FixedDiagnostics(diagnostics), cancellationToken);
                        if (await provider.GetFixAsync(context) is { } action)
                        {
                            run.FixAllActions++;
                            await ComputeAsync(action, document, where, run, cancellationToken);
                        }
                    }
                    catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                    {
                        run.Crashes.Add($"{where}: GetFixAsync threw {e}");
                    }
                }
            }
        }

        run.FixTime = clock.Elapsed;
        return run;
    }

    /// <summary>Every analyzer over a compilation; exceptions are collected through <c>onAnalyzerException</c> and AD0001.</summary>
    public static async Task<(ImmutableArray<Diagnostic> Diagnostics, List<string> Crashes, TimeSpan ExecutionTime)> AnalyzeAsync(
        Compilation compilation, AnalyzerOptions options, ImmutableArray<DiagnosticAnalyzer> analyzers, bool concurrent, CancellationToken cancellationToken)
    {
        var exceptions = new ConcurrentQueue<string>();
        var withAnalyzers = compilation.WithAnalyzers(analyzers, new CompilationWithAnalyzersOptions(
            options,
            onAnalyzerException: (exception, analyzer, diagnostic) => exceptions.Enqueue($"{analyzer.GetType().Name} threw {exception}"),
            concurrentAnalysis: concurrent,
            logAnalyzerExecutionTime: true,
            reportSuppressedDiagnostics: false));
        var all = await withAnalyzers.GetAnalyzerDiagnosticsAsync(cancellationToken);
        var crashes = exceptions.ToList();
        crashes.AddRange(all.Where(d => d.Id == "AD0001").Select(d => d.ToString()));
        var time = TimeSpan.Zero;
        foreach (var analyzer in analyzers)
        {
            time += (await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, cancellationToken)).ExecutionTime;
        }

        return (all.Where(d => d.Id != "AD0001").ToImmutableArray(), crashes, time);
    }

    private static async Task ComputeAsync(CodeAction action, Document document, string where, RuleRun run, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var operation in await action.GetOperationsAsync(cancellationToken))
            {
                if (operation is ApplyChangesOperation apply)
                {
                    // Materialise the new text: a lazily built tree throws only here.
                    var changed = apply.ChangedSolution.GetDocument(document.Id);
                    if (changed is null)
                    {
                        run.Crashes.Add($"{where}: the fix removed the document");
                        continue;
                    }

                    _ = (await changed.GetSyntaxRootAsync(cancellationToken))!.ToFullString();
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            run.Crashes.Add($"{where}: GetOperationsAsync threw {e}");
        }
    }

    private static IEnumerable<CodeAction> Flatten(IEnumerable<CodeAction> actions) =>
        actions.SelectMany(a => a.NestedActions.IsDefaultOrEmpty ? new[] { a } : Flatten(a.NestedActions));

    public static string Describe(Diagnostic diagnostic)
    {
        var span = diagnostic.Location.GetLineSpan();
        return string.Create(CultureInfo.InvariantCulture, $"{diagnostic.Id} at {span.StartLinePosition.Line + 1}:{span.StartLinePosition.Character + 1}");
    }

    /// <summary>Feeds Fix All the diagnostics already computed for the one document.</summary>
    private sealed class FixedDiagnostics : FixAllContext.DiagnosticProvider
    {
        private readonly ImmutableArray<Diagnostic> _diagnostics;

        public FixedDiagnostics(ImmutableArray<Diagnostic> diagnostics) => _diagnostics = diagnostics;

        public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<Diagnostic>>(_diagnostics);

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult(Enumerable.Empty<Diagnostic>());

        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<Diagnostic>>(_diagnostics);
    }
}
