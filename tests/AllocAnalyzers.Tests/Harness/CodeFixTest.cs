using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AllocAnalyzers.Tests.Harness;

/// <summary>
/// Checks a code fix: applied one diagnostic at a time (bounded, with loop detection) and as Fix All in document,
/// project and solution scope, the result equals <see cref="FixedCode"/>, compiles with no new compiler diagnostics,
/// and has no diagnostics left except those marked in the fixed markup. Setting <see cref="FixedCode"/> equal to
/// <see cref="AnalyzerTest{TAnalyzer}.TestCode"/> states that no fix is offered.
/// </summary>
public class CodeFixTest<TAnalyzer, TFixer> : AnalyzerTest<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TFixer : CodeFixProvider, new()
{
    public string? FixedCode { get; set; }
    public List<string> FixedAdditionalSources { get; } = new();
    public List<string> FixedOtherProjectSources { get; } = new();

    /// <summary>Expected Fix All output when it differs from the one-at-a-time result.</summary>
    public string? BatchFixedCode { get; set; }

    /// <summary>Which of several offered fixes to apply; null takes the first.</summary>
    public string? CodeActionEquivalenceKey { get; set; }

    /// <summary>Upper bound of one-at-a-time applications; defaults to the number of fixable diagnostics.</summary>
    public int? NumberOfIncrementalIterations { get; set; }

    public FixAllScope[] FixAllScopes { get; set; } = { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution };

    protected TFixer Fixer { get; } = new();

    public override async Task RunAsync(CancellationToken cancellationToken = default)
    {
        await base.RunAsync(cancellationToken);
        if (FixedCode is null)
        {
            throw new InvalidOperationException("Set FixedCode (equal to TestCode when no fix may be offered).");
        }

        var sources = ParseSources(TestCode, AdditionalSources, OtherProjectSources);
        var original = CreateSolution(sources.Select(s => s.Text).ToList());

        if (FixedCode == TestCode)
        {
            await VerifyNoFixOfferedAsync(original, cancellationToken);
            return;
        }

        var fixedSources = ParseSources(FixedCode, Pad(FixedAdditionalSources, AdditionalSources), Pad(FixedOtherProjectSources, OtherProjectSources));
        var incremental = await ApplyOneAtATimeAsync(original, cancellationToken);
        await VerifyFixedAsync(original, incremental, fixedSources, "one fix at a time", cancellationToken);

        var batchSources = BatchFixedCode is null
            ? fixedSources
            : ParseSources(BatchFixedCode, Pad(FixedAdditionalSources, AdditionalSources), Pad(FixedOtherProjectSources, OtherProjectSources));
        foreach (var scope in FixAllScopes)
        {
            var batch = await ApplyFixAllAsync(original, scope, cancellationToken);
            await VerifyFixedAsync(original, batch, batchSources, $"Fix All in {scope} scope", cancellationToken);
        }
    }

    /// <summary>
    /// The first document after applying every offered fix one at a time (no expectations checked): for tests that
    /// compile and run the code before and after.
    /// </summary>
    public async Task<string> ApplyFixesAsync(CancellationToken cancellationToken = default)
    {
        var sources = ParseSources(TestCode, AdditionalSources, OtherProjectSources);
        var solution = await ApplyOneAtATimeAsync(CreateSolution(sources.Select(s => s.Text).ToList()), cancellationToken);
        return (await OrderedDocuments(solution)[0].GetTextAsync(cancellationToken)).ToString();
    }

    private static List<string> Pad(List<string> fixedOnes, List<string> originals) =>
        fixedOnes.Count == originals.Count ? fixedOnes : originals.Select((o, i) => i < fixedOnes.Count ? fixedOnes[i] : o).ToList();

    private bool IsFixable(Diagnostic d) => Fixer.FixableDiagnosticIds.Contains(d.Id) && IsAnalyzerId(d.Id);

    /// <summary>The code actions the fixer registers for one diagnostic, filtered by equivalence key.</summary>
    protected async Task<List<CodeAction>> GetActionsAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var actions = new List<CodeAction>();
        var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), cancellationToken);
        await Fixer.RegisterCodeFixesAsync(context);
        return actions.Where(a => CodeActionEquivalenceKey is null || a.EquivalenceKey == CodeActionEquivalenceKey).ToList();
    }

    private async Task VerifyNoFixOfferedAsync(Solution solution, CancellationToken cancellationToken)
    {
        foreach (var diagnostic in (await GetAnalyzerDiagnosticsAsync(solution, cancellationToken)).Where(IsFixable))
        {
            var document = solution.GetDocument(diagnostic.Location.SourceTree)!;
            var actions = await GetActionsAsync(document, diagnostic, cancellationToken);
            if (actions.Count > 0)
            {
                throw new VerificationException($"Expected no fix for {diagnostic}, but the fixer offered: {string.Join(", ", actions.Select(a => a.Title))}");
            }
        }
    }

    private async Task<Solution> ApplyOneAtATimeAsync(Solution solution, CancellationToken cancellationToken)
    {
        var initial = (await GetAnalyzerDiagnosticsAsync(solution, cancellationToken)).Count(IsFixable);
        var bound = NumberOfIncrementalIterations ?? Math.Max(1, initial);
        var seen = new HashSet<string> { await SnapshotAsync(solution, cancellationToken) };
        for (var iteration = 0; ; iteration++)
        {
            var next = await ApplyFirstFixAsync(solution, cancellationToken);
            if (next is null)
            {
                return solution;
            }

            // A loop is checked first: a fix that undoes the previous one would otherwise be reported as merely slow.
            if (!seen.Add(await SnapshotAsync(next, cancellationToken)))
            {
                throw new VerificationException($"Fix loop detected: iteration {iteration + 1} produced code seen before.");
            }

            if (iteration >= bound)
            {
                throw new VerificationException($"The fixes did not converge: a fix was still offered after {bound} iterations.");
            }

            solution = next;
        }
    }

    private async Task<Solution?> ApplyFirstFixAsync(Solution solution, CancellationToken cancellationToken)
    {
        var diagnostics = (await GetAnalyzerDiagnosticsAsync(solution, cancellationToken))
            .Where(IsFixable)
            .OrderBy(d => d.Location.SourceTree!.FilePath, StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start);
        foreach (var diagnostic in diagnostics)
        {
            var document = solution.GetDocument(diagnostic.Location.SourceTree)!;
            var actions = await GetActionsAsync(document, diagnostic, cancellationToken);
            if (actions.Count > 0)
            {
                return await ApplyAsync(actions[0], cancellationToken);
            }
        }

        return null;
    }

    /// <summary>Fix All in <paramref name="scope"/>, repeated from the first remaining diagnostic (as roslyn-sdk does), bounded.</summary>
    private async Task<Solution> ApplyFixAllAsync(Solution solution, FixAllScope scope, CancellationToken cancellationToken)
    {
        var bound = Math.Max(1, (await GetAnalyzerDiagnosticsAsync(solution, cancellationToken)).Count(IsFixable));
        var seen = new HashSet<string> { await SnapshotAsync(solution, cancellationToken) };
        for (var iteration = 0; ; iteration++)
        {
            var next = await ApplyFixAllOnceAsync(solution, scope, cancellationToken);
            if (!seen.Add(await SnapshotAsync(next, cancellationToken)))
            {
                // Nothing changed (or a state came back): done, or a loop if a state recurred.
                if (await SnapshotAsync(next, cancellationToken) != await SnapshotAsync(solution, cancellationToken))
                {
                    throw new VerificationException($"Fix All loop detected in {scope} scope.");
                }

                return solution;
            }

            if (iteration >= bound)
            {
                throw new VerificationException($"Fix All in {scope} scope did not converge after {bound} iterations.");
            }

            solution = next;
        }
    }

    private async Task<Solution> ApplyFixAllOnceAsync(Solution solution, FixAllScope scope, CancellationToken cancellationToken)
    {
        var provider = Fixer.GetFixAllProvider() ?? throw new VerificationException($"{typeof(TFixer).Name} has no Fix All provider.");
        if (!provider.GetSupportedFixAllScopes().Contains(scope))
        {
            throw new VerificationException($"{typeof(TFixer).Name} does not support Fix All in {scope} scope.");
        }

        var all = await GetAnalyzerDiagnosticsAsync(solution, cancellationToken);
        foreach (var diagnostic in all.Where(IsFixable).OrderBy(d => d.Location.SourceTree!.FilePath, StringComparer.Ordinal).ThenBy(d => d.Location.SourceSpan.Start))
        {
            var document = solution.GetDocument(diagnostic.Location.SourceTree)!;
            var actions = await GetActionsAsync(document, diagnostic, cancellationToken);
            if (actions.Count == 0)
            {
                continue;
            }

            var provider2 = new DiagnosticProvider(this);
            var ids = Fixer.FixableDiagnosticIds.Where(IsAnalyzerId).ToImmutableArray();
            var context = scope == FixAllScope.Solution || scope == FixAllScope.Project
                ? new FixAllContext(document.Project, Fixer, scope, actions[0].EquivalenceKey, ids, provider2, cancellationToken)
                : new FixAllContext(document, Fixer, scope, actions[0].EquivalenceKey, ids, provider2, cancellationToken);
            var action = await provider.GetFixAsync(context);
            return action is null ? solution : await ApplyAsync(action, cancellationToken);
        }

        return solution;
    }

    private static async Task<Solution> ApplyAsync(CodeAction action, CancellationToken cancellationToken)
    {
        var operations = await action.GetOperationsAsync(cancellationToken);
        return operations.OfType<ApplyChangesOperation>().Single().ChangedSolution;
    }

    private static async Task<string> SnapshotAsync(Solution solution, CancellationToken cancellationToken)
    {
        var builder = new StringBuilder();
        foreach (var document in OrderedDocuments(solution))
        {
            builder.Append((await document.GetTextAsync(cancellationToken)).ToString()).Append('\0');
        }

        return builder.ToString();
    }

    private async Task VerifyFixedAsync(Solution original, Solution fixedSolution, IReadOnlyList<ParsedSource> expectedSources, string how, CancellationToken cancellationToken)
    {
        // Compile the fixed text, not the fixed trees: a tree built in memory can bind and still print as code that does not parse.
        foreach (var document in OrderedDocuments(fixedSolution))
        {
            fixedSolution = fixedSolution.WithDocumentText(document.Id, await document.GetTextAsync(cancellationToken));
        }

        var documents = OrderedDocuments(fixedSolution);
        for (var i = 0; i < expectedSources.Count; i++)
        {
            var actual = (await documents[i].GetTextAsync(cancellationToken)).ToString();
            if (!string.Equals(Normalize(actual), Normalize(expectedSources[i].Text), StringComparison.Ordinal))
            {
                throw new VerificationException($"Fixed code ({how}) of {documents[i].FilePath} differs.{Environment.NewLine}Expected:{Environment.NewLine}{expectedSources[i].Text}{Environment.NewLine}Actual:{Environment.NewLine}{actual}{Environment.NewLine}First difference: {FirstDifference(Normalize(expectedSources[i].Text), Normalize(actual))}");
            }
        }

        // The fixed code compiles, with no compiler diagnostic the original did not have.
        var before = await CompilerDiagnosticIdsAsync(original, cancellationToken);
        var after = await CompilerDiagnosticsAsync(fixedSolution, cancellationToken);
        var added = new List<Diagnostic>();
        foreach (var diagnostic in after)
        {
            if (!before.Remove(diagnostic.Id))
            {
                added.Add(diagnostic);
            }
        }

        if (added.Count > 0)
        {
            throw new VerificationException($"Fixed code ({how}) has new compiler diagnostics:{Environment.NewLine}{string.Join(Environment.NewLine, added)}{Environment.NewLine}{ActualAsMarkup(added.ToImmutableArray(), documents)}");
        }

        // Only the diagnostics marked in the fixed markup remain.
        var expected = ExpectedFor(expectedSources, Array.Empty<DiagnosticResult>());
        var remaining = await GetAnalyzerDiagnosticsAsync(fixedSolution, cancellationToken);
        VerifyDiagnostics(expected, remaining, fixedSolution, $"the fixed code ({how})");
    }

    private static async Task<List<Diagnostic>> CompilerDiagnosticsAsync(Solution solution, CancellationToken cancellationToken)
    {
        var result = new List<Diagnostic>();
        foreach (var project in solution.Projects)
        {
            var compilation = (await project.GetCompilationAsync(cancellationToken))!;
            result.AddRange(compilation.GetDiagnostics(cancellationToken).Where(d => d.Severity >= DiagnosticSeverity.Warning));
        }

        return result;
    }

    private static async Task<List<string>> CompilerDiagnosticIdsAsync(Solution solution, CancellationToken cancellationToken) =>
        (await CompilerDiagnosticsAsync(solution, cancellationToken)).Select(d => d.Id).ToList();

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);

    private static string FirstDifference(string expected, string actual)
    {
        var index = 0;
        while (index < expected.Length && index < actual.Length && expected[index] == actual[index])
        {
            index++;
        }

        var line = expected.Take(index).Count(c => c == '\n') + 1;
        return string.Create(CultureInfo.InvariantCulture, $"line {line}, expected \"{Excerpt(expected, index)}\", actual \"{Excerpt(actual, index)}\"");
    }

    private static string Excerpt(string text, int index) =>
        index >= text.Length ? "<end>" : text.Substring(index, Math.Min(30, text.Length - index)).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>Feeds Fix All the analyzer's diagnostics, as the IDE and <c>dotnet format</c> do.</summary>
    private sealed class DiagnosticProvider : FixAllContext.DiagnosticProvider
    {
        private readonly CodeFixTest<TAnalyzer, TFixer> _test;

        public DiagnosticProvider(CodeFixTest<TAnalyzer, TFixer> test) => _test = test;

        public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
        {
            var tree = await document.GetSyntaxTreeAsync(cancellationToken);
            return (await GetAllDiagnosticsAsync(document.Project, cancellationToken)).Where(d => d.Location.SourceTree == tree);
        }

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult(Enumerable.Empty<Diagnostic>());

        public override async Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken)
        {
            var diagnostics = await _test.GetAnalyzerDiagnosticsAsync(project.Solution, cancellationToken);
            var compilation = await project.GetCompilationAsync(cancellationToken);
            return diagnostics.Where(d => d.Location.SourceTree is { } tree && compilation!.ContainsSyntaxTree(tree));
        }
    }
}
