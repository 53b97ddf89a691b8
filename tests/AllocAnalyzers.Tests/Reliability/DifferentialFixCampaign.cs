using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using AllocAnalyzers.CodeFixes.Rules;
using AllocAnalyzers.Tests.Catalog;
using AllocAnalyzers.Tests.Harness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AllocAnalyzers.Tests.Reliability;

/// <summary>One fix kind: the analyzer that reports, the fixer, and the equivalence key of the action to apply.</summary>
internal sealed record FixKind(Type Analyzer, Type Fixer, string Key)
{
    /// <summary>
    /// Fixes that change what the program does on purpose, checked only to compile: "Use the requested length" stops
    /// reading the elements past the requested length, which was the bug it fixes.
    /// </summary>
    public static readonly ImmutableHashSet<string> BehaviourChanging = ImmutableHashSet.Create(StringComparer.Ordinal, ArrayPoolMisuseFixer.UseRequestedLengthEquivalenceKey);

    public bool KeepsBehaviour => !BehaviourChanging.Contains(Key);

    public string RuleId => ((CodeFixProvider)Activator.CreateInstance(Fixer)!).FixableDiagnosticIds[0];

    /// <summary>
    /// The rules whose code the program generator writes (arrays and pools); the boxing fixes (ALLOC030 and later) are
    /// checked before and after by their own behaviour tests.
    /// </summary>
    public static readonly ImmutableHashSet<string> GeneratedRules = ImmutableHashSet.Create(StringComparer.Ordinal, "ALLOC001", "ALLOC002", "ALLOC003");

    /// <summary>
    /// Every fix kind of the generated rules: fixers found by reflection, each paired with the analyzer that reports its
    /// ids, with the keys of its public <c>…EquivalenceKey</c> constants, in declaration order.
    /// </summary>
    public static ImmutableArray<FixKind> All { get; } = RuleCatalog.FixerTypes
        .Where(fixer => ((CodeFixProvider)Activator.CreateInstance(fixer)!).FixableDiagnosticIds.All(GeneratedRules.Contains))
        .SelectMany(fixer =>
        {
            var ids = ((CodeFixProvider)Activator.CreateInstance(fixer)!).FixableDiagnosticIds;
            var analyzer = RuleCatalog.Analyzers.First(a => a.SupportedDiagnostics.Any(d => ids.Contains(d.Id))).GetType();
            return fixer.GetFields(BindingFlags.Public | BindingFlags.Static)
                .Where(f => f.IsLiteral && f.FieldType == typeof(string) && f.Name.EndsWith("EquivalenceKey", StringComparison.Ordinal))
                .OrderBy(f => f.MetadataToken)
                .Select(f => new FixKind(analyzer, fixer, (string)f.GetRawConstantValue()!));
        })
        .ToImmutableArray();

    /// <summary>The harness's one-at-a-time application of every offered fix of this kind (<see cref="CodeFixTest{TAnalyzer, TFixer}.ApplyFixesAsync"/>).</summary>
    public async Task<string> ApplyAsync(string source, CancellationToken cancellationToken)
    {
        var test = Activator.CreateInstance(typeof(CodeFixTest<,>).MakeGenericType(Analyzer, Fixer))!;
        var type = test.GetType();
        type.GetProperty("TestCode")!.SetValue(test, source);
        type.GetProperty("CodeActionEquivalenceKey")!.SetValue(test, Key);
        try
        {
            return await (Task<string>)type.GetMethod("ApplyFixesAsync")!.Invoke(test, new object[] { cancellationToken })!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }

    /// <summary>
    /// The fixer's own Fix All in document scope, started from the first diagnostic it offers this key for and repeated
    /// until nothing changes (bounded), as the harness and roslyn-sdk do.
    /// </summary>
    public async Task<string> ApplyFixAllAsync(string source, CancellationToken cancellationToken)
    {
        var document = AllRules.CreateDocument(new RuleInput("Fix All", source, AnalyzerProfile.Default) { Nullable = NullableContextOptions.Disable });
        var analyzer = RuleCatalog.Analyzers.Single(a => a.GetType() == Analyzer);
        var fixer = RuleCatalog.Fixers.Single(f => f.GetType() == Fixer);
        var provider = fixer.GetFixAllProvider() ?? throw new InvalidOperationException($"{Fixer.Name} has no Fix All provider.");
        var ids = fixer.FixableDiagnosticIds.ToImmutableHashSet();
        for (var iteration = 0; iteration < 20; iteration++)
        {
            var compilation = (await document.Project.GetCompilationAsync(cancellationToken))!;
            var (diagnostics, crashes, _) = await AllRules.AnalyzeAsync(compilation, document.Project.AnalyzerOptions, ImmutableArray.Create(analyzer), concurrent: false, cancellationToken);
            if (crashes.Count > 0)
            {
                throw new VerificationException("An analyzer threw:" + Environment.NewLine + string.Join(Environment.NewLine, crashes));
            }

            CodeAction? fixAll = null;
            foreach (var diagnostic in diagnostics.Where(d => ids.Contains(d.Id)).OrderBy(d => d.Location.SourceSpan.Start))
            {
                var actions = new List<CodeAction>();
                await fixer.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (a, _) => actions.Add(a), cancellationToken));
                if (actions.Any(a => a.EquivalenceKey == Key))
                {
                    fixAll = await provider.GetFixAsync(new FixAllContext(document, fixer, FixAllScope.Document, Key, ids, new DocumentDiagnostics(diagnostics), cancellationToken));
                    break;
                }
            }

            if (fixAll is null)
            {
                return (await document.GetTextAsync(cancellationToken)).ToString();
            }

            var operations = await fixAll.GetOperationsAsync(cancellationToken);
            var next = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution.GetDocument(document.Id)!;
            if ((await next.GetTextAsync(cancellationToken)).ToString() == (await document.GetTextAsync(cancellationToken)).ToString())
            {
                return (await document.GetTextAsync(cancellationToken)).ToString();
            }

            document = next;
        }

        throw new VerificationException($"Fix All '{Key}' did not converge in 20 passes.");
    }

    public override string ToString() => Key;

    private sealed class DocumentDiagnostics : FixAllContext.DiagnosticProvider
    {
        private readonly ImmutableArray<Diagnostic> _diagnostics;

        public DocumentDiagnostics(ImmutableArray<Diagnostic> diagnostics) => _diagnostics = diagnostics;

        public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<Diagnostic>>(_diagnostics);

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult(Enumerable.Empty<Diagnostic>());

        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<Diagnostic>>(_diagnostics);
    }
}

/// <summary>
/// A way to fix a program: one fix kind alone (one diagnostic at a time, as the harness applies it, or by the fixer's
/// Fix All), or several applied in sequence, each to the previous result.
/// </summary>
internal sealed record FixPlan(string Name, ImmutableArray<FixKind> Steps, bool UsesFixAll = false)
{
    public bool KeepsBehaviour => Steps.All(s => s.KeepsBehaviour);

    /// <summary>
    /// Each fix kind alone, one at a time and by Fix All, then every behaviour-keeping kind in sequence, first fixes
    /// first and second fixes first.
    /// </summary>
    public static ImmutableArray<FixPlan> All { get; } = FixKind.All.Select(k => new FixPlan(k.Key, ImmutableArray.Create(k)))
        .Concat(FixKind.All.Select(k => new FixPlan("Fix All " + k.Key, ImmutableArray.Create(k), UsesFixAll: true)))
        .Append(new FixPlan("all keys in sequence, first fix of each rule first", FixKind.All.Where(k => k.KeepsBehaviour).ToImmutableArray()))
        .Append(new FixPlan("all keys in sequence, second fix of each rule first", FixKind.All.Where(k => k.KeepsBehaviour)
            .GroupBy(k => k.Fixer).SelectMany(g => g.Reverse()).ToImmutableArray()))
        .ToImmutableArray();

    /// <summary>
    /// The plans tried on program <paramref name="index"/>: every kind alone, one at a time, on every program; Fix All
    /// and the first-fixes-first sequence on even programs, the second-fixes-first sequence on odd ones (a third less
    /// time per program; over a sample every plan still runs on half the programs).
    /// </summary>
    public static IEnumerable<FixPlan> For(int index) =>
        All.Where(p => p.Steps.Length == 1 && !p.UsesFixAll)
            .Concat(All.Where(p => index % 2 == 0 ? p.UsesFixAll || p.Name.Contains("first fix of each rule first", StringComparison.Ordinal)
                                                  : p.Name.Contains("second fix of each rule first", StringComparison.Ordinal)));

    public Task<string> ApplyAsync(FixKind step, string source, CancellationToken cancellationToken) =>
        UsesFixAll ? step.ApplyFixAllAsync(source, cancellationToken) : step.ApplyAsync(source, cancellationToken);

    public override string ToString() => Name;
}

/// <summary>Something a fix did that it must not: crash, produce code that does not compile or warns anew, or change behaviour.</summary>
internal sealed record Finding(string Kind, GeneratedProgram Program, string Plan, string Detail, string? FixedSource)
{
    public override string ToString() =>
        $"{Kind}: {Program}, fix '{Plan}'{Environment.NewLine}{Detail}{Environment.NewLine}--- original ---{Environment.NewLine}{Program.Source}" +
        (FixedSource is null ? "" : $"--- fixed ---{Environment.NewLine}{FixedSource}");
}

/// <summary>The numbers of a differential run.</summary>
internal sealed class CampaignStatistics
{
    private int _programs;
    private int _diagnostics;
    private int _fixRuns;
    private int _fixedDiagnostics;
    private int _behaviourComparisons;

    public int Programs => _programs;
    public int Diagnostics => _diagnostics;
    /// <summary>(Program, plan) pairs where the plan changed the code.</summary>
    public int FixRuns => _fixRuns;
    /// <summary>Diagnostics that fixes removed, summed over all plans.</summary>
    public int FixedDiagnostics => _fixedDiagnostics;
    public int BehaviourComparisons => _behaviourComparisons;
    public ConcurrentDictionary<string, int> DiagnosticsById { get; } = new(StringComparer.Ordinal);
    public ConcurrentDictionary<string, int> FixRunsByPlan { get; } = new(StringComparer.Ordinal);
    public ConcurrentDictionary<string, int> Outcomes { get; } = new(StringComparer.Ordinal);
    /// <summary>Fixes after which another of our rules reports something the original did not have (not a failure; worth knowing).</summary>
    public ConcurrentDictionary<string, int> NewDiagnosticsAfterFix { get; } = new(StringComparer.Ordinal);
    public ConcurrentBag<Finding> Findings { get; } = new();
    public TimeSpan Elapsed { get; set; }

    public bool IncludesKnownBugs { get; set; }

    public void AddProgram(IReadOnlyCollection<Diagnostic> diagnostics)
    {
        Interlocked.Increment(ref _programs);
        Interlocked.Add(ref _diagnostics, diagnostics.Count);
        foreach (var d in diagnostics)
        {
            DiagnosticsById.AddOrUpdate(d.Id, 1, (_, n) => n + 1);
        }
    }

    public void AddFixRun(FixPlan plan, int fixedDiagnostics)
    {
        Interlocked.Increment(ref _fixRuns);
        Interlocked.Add(ref _fixedDiagnostics, fixedDiagnostics);
        FixRunsByPlan.AddOrUpdate(plan.Name, 1, (_, n) => n + 1);
    }

    public void AddComparison() => Interlocked.Increment(ref _behaviourComparisons);

    public void Count(string outcome) => Outcomes.AddOrUpdate(outcome, 1, (_, n) => n + 1);

    public int FindingsOf(string kind) => Findings.Count(f => f.Kind == kind);

    public string Summary(int seed)
    {
        var builder = new StringBuilder();
        builder.AppendLine(CultureInfo.InvariantCulture, $"Differential fix testing, seed {seed}{(IncludesKnownBugs ? ", known bugs' patterns included" : "")}: {Programs} programs, {Diagnostics} diagnostics ({Join(DiagnosticsById)}), " +
            $"{FixRuns} fix runs that changed code, {FixedDiagnostics} diagnostics fixed, {BehaviourComparisons} behaviour comparisons, in {Elapsed.TotalSeconds:F0} s");
        builder.AppendLine(CultureInfo.InvariantCulture, $"  fix runs by plan: {Join(FixRunsByPlan)}");
        builder.AppendLine(CultureInfo.InvariantCulture, $"  fixer failures: {FindingsOf(DifferentialFixCampaign.FixerFailure)}, compile failures: {FindingsOf(DifferentialFixCampaign.CompileFailure)}, " +
            $"new warnings: {FindingsOf(DifferentialFixCampaign.NewWarning)}, behaviour mismatches: {FindingsOf(DifferentialFixCampaign.Mismatch)}, " +
            $"generator problems: {FindingsOf(DifferentialFixCampaign.GeneratorProblem)}");
        builder.AppendLine(CultureInfo.InvariantCulture, $"  original outcomes: {Join(Outcomes)}");
        builder.AppendLine(CultureInfo.InvariantCulture, $"  another rule reports after a fix: {(NewDiagnosticsAfterFix.IsEmpty ? "never" : Join(NewDiagnosticsAfterFix))}");
        return builder.ToString();
    }

    private static string Join(ConcurrentDictionary<string, int> counts) =>
        string.Join(", ", counts.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}: {p.Value}"));
}

/// <summary>
/// Differential testing of the fixes: each generated program is compiled and run, every fix plan is applied, and the
/// result must compile without new errors or warnings and (for behaviour-keeping fixes) return the same text or throw
/// the same exception type under the same culture.
/// </summary>
internal static class DifferentialFixCampaign
{
    public const string FixerFailure = "fixer failure";
    public const string CompileFailure = "compile failure";
    public const string NewWarning = "new compiler warning";
    public const string Mismatch = "behaviour mismatch";
    public const string GeneratorProblem = "generator problem";

    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(30);

    public static async Task<CampaignStatistics> RunAsync(int seed, int count, bool includeKnownBugs, int parallelism, Action<string>? progress, CancellationToken cancellationToken)
    {
        var statistics = new CampaignStatistics { IncludesKnownBugs = includeKnownBugs };
        var clock = Stopwatch.StartNew();
        var done = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken }, async (index, token) =>
        {
            await CheckAsync(ProgramGenerator.Generate(seed, index, includeKnownBugs), statistics, token);
            var finished = Interlocked.Increment(ref done);
            if (progress is not null && finished % 250 == 0)
            {
                progress(string.Create(CultureInfo.InvariantCulture, $"{finished}/{count} programs, {statistics.Findings.Count} findings, {clock.Elapsed.TotalSeconds:F0} s"));
            }
        });
        statistics.Elapsed = clock.Elapsed;
        return statistics;
    }

    public static async Task CheckAsync(GeneratedProgram program, CampaignStatistics statistics, CancellationToken cancellationToken)
    {
        var (errors, warnings) = Compile(program.Source);
        if (errors.Count > 0)
        {
            statistics.Findings.Add(new Finding(GeneratorProblem, program, "(none)", "The generated program does not compile:" + Environment.NewLine + string.Join(Environment.NewLine, errors), null));
            return;
        }

        var before = await RunAsync(program.Source);
        var again = await RunAsync(program.Source);
        if (before != again)
        {
            statistics.Findings.Add(new Finding(GeneratorProblem, program, "(none)", $"The generated program is not deterministic: '{Excerpt(before)}' then '{Excerpt(again)}'", null));
            return;
        }

        statistics.Count(before.StartsWith("threw: ", StringComparison.Ordinal) ? "threw " + before.Substring(7).Split('.').Last() :
            before.Contains(" caught ", StringComparison.Ordinal) ? "returned after catching an exception" : "returned normally");
        var diagnostics = await DiagnosticsAsync(program.Source, cancellationToken);
        statistics.AddProgram(diagnostics);
        var reportedIds = diagnostics.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);

        foreach (var plan in FixPlan.For(program.Index))
        {
            if (!plan.Steps.Any(s => reportedIds.Contains(s.RuleId)))
            {
                continue;
            }

            var fixedSource = program.Source;
            try
            {
                foreach (var step in plan.Steps)
                {
                    if (reportedIds.Contains(step.RuleId))
                    {
                        fixedSource = await plan.ApplyAsync(step, fixedSource, cancellationToken);
                    }
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                statistics.Findings.Add(new Finding(FixerFailure, program, plan.Name, e.ToString(), null));
                continue;
            }

            if (fixedSource == program.Source)
            {
                continue;
            }

            var after = await DiagnosticsAsync(fixedSource, cancellationToken);
            var planIds = plan.Steps.Select(s => s.RuleId).ToHashSet(StringComparer.Ordinal);
            statistics.AddFixRun(plan, Math.Max(0, diagnostics.Count(d => planIds.Contains(d.Id)) - after.Count(d => planIds.Contains(d.Id))));
            foreach (var id in after.Select(d => d.Id).Distinct().Where(id => after.Count(d => d.Id == id) > diagnostics.Count(d => d.Id == id)))
            {
                statistics.NewDiagnosticsAfterFix.AddOrUpdate($"{id} after {plan.Name}", 1, (_, n) => n + 1);
            }

            var (fixedErrors, fixedWarnings) = Compile(fixedSource);
            if (fixedErrors.Count > 0)
            {
                statistics.Findings.Add(new Finding(CompileFailure, program, plan.Name, string.Join(Environment.NewLine, fixedErrors), fixedSource));
                continue;
            }

            var added = NewItems(warnings, fixedWarnings);
            if (added.Count > 0)
            {
                statistics.Findings.Add(new Finding(NewWarning, program, plan.Name, string.Join(Environment.NewLine, added), fixedSource));
            }

            if (!plan.KeepsBehaviour)
            {
                continue;
            }

            statistics.AddComparison();
            var result = await RunAsync(fixedSource);
            if (!SameBehaviour(before, result, plan, out var why))
            {
                statistics.Findings.Add(new Finding(Mismatch, program, plan.Name, $"{why}{Environment.NewLine}before: {Excerpt(before)}{Environment.NewLine}after:  {Excerpt(result)}", fixedSource));
            }
        }
    }

    /// <summary>
    /// The same text, or the same exception type. The counting pool's trailer may change only as returning in a
    /// <c>finally</c> changes it: fewer arrays outstanding, and never one returned twice more.
    /// </summary>
    private static bool SameBehaviour(string before, string after, FixPlan plan, out string why)
    {
        why = "";
        const string Trailer = "|pool outstanding=";
        var b = before.LastIndexOf(Trailer, StringComparison.Ordinal);
        var a = after.LastIndexOf(Trailer, StringComparison.Ordinal);
        if (b < 0 || a < 0 || !plan.Steps.Any(s => s.Key == ArrayPoolMisuseFixer.ReturnInFinallyEquivalenceKey))
        {
            why = "The output differs.";
            return before == after;
        }

        if (before.Substring(0, b) != after.Substring(0, a))
        {
            why = "The output before the pool's counts differs.";
            return false;
        }

        var (outstandingBefore, twiceBefore) = Counts(before.Substring(b + Trailer.Length));
        var (outstandingAfter, twiceAfter) = Counts(after.Substring(a + Trailer.Length));
        why = "The pool's counts got worse.";
        return outstandingAfter <= outstandingBefore && twiceAfter <= twiceBefore;

        static (int, int) Counts(string text)
        {
            var parts = text.Split(" twice=");
            return (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
        }
    }

    /// <summary><see cref="ProgramRunner.Run"/>, bounded in time: a fix that makes a loop endless is a finding, not a hung build.</summary>
    private static async Task<string> RunAsync(string source)
    {
        var run = Task.Run(() => ProgramRunner.Run(source));
        if (await Task.WhenAny(run, Task.Delay(RunTimeout)) != run)
        {
            return $"timed out after {RunTimeout.TotalSeconds} s";
        }

        return await run;
    }

    /// <summary>Errors and warnings of the program compiled as <see cref="ProgramRunner"/> compiles it.</summary>
    public static (List<string> Errors, List<string> Warnings) Compile(string source)
    {
        var compilation = CSharpCompilation.Create(
            "Differential",
            new[] { CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest)) },
            References.For(ReferenceSet.Net80),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release, allowUnsafe: true));
        var diagnostics = compilation.GetDiagnostics();
        return (diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList(),
                diagnostics.Where(d => d.Severity == DiagnosticSeverity.Warning).Select(d => d.ToString()).ToList());
    }

    /// <summary>Every rule's diagnostics on the program, as the harness's compilation sees it.</summary>
    private static async Task<List<Diagnostic>> DiagnosticsAsync(string source, CancellationToken cancellationToken)
    {
        var compilation = CSharpCompilation.Create(
            "Differential",
            new[] { CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest), path: "/0/Test0.cs") },
            References.For(ReferenceSet.Net80),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true)
                .WithSpecificDiagnosticOptions(RuleCatalog.AllDescriptors.Where(d => !d.IsEnabledByDefault).Select(d => new KeyValuePair<string, ReportDiagnostic>(d.Id, ReportDiagnostic.Warn))));
        var (diagnostics, crashes, _) = await AllRules.AnalyzeAsync(compilation, new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), RuleCatalog.Analyzers, concurrent: false, cancellationToken);
        if (crashes.Count > 0)
        {
            throw new VerificationException("An analyzer threw:" + Environment.NewLine + string.Join(Environment.NewLine, crashes));
        }

        return diagnostics.ToList();
    }

    /// <summary>Warnings after the fix that were not there before, compared by id and message (lines move).</summary>
    private static List<string> NewItems(List<string> before, List<string> after)
    {
        static string Key(string diagnostic) => diagnostic.Substring(diagnostic.IndexOf(": ", StringComparison.Ordinal) + 2);
        var remaining = before.Select(Key).ToList();
        var added = new List<string>();
        foreach (var warning in after)
        {
            if (!remaining.Remove(Key(warning)))
            {
                added.Add(warning);
            }
        }

        return added;
    }

    private static string Excerpt(string text) => text.Length <= 400 ? text : text.Substring(0, 400) + "…";

    /// <summary>Writes the summary and every finding to <paramref name="path"/>.</summary>
    public static void WriteReport(string path, int seed, CampaignStatistics statistics)
    {
        var builder = new StringBuilder(statistics.Summary(seed));
        foreach (var finding in statistics.Findings.OrderBy(f => f.Program.Index))
        {
            builder.AppendLine().AppendLine(new string('=', 100)).AppendLine(finding.ToString());
        }

        File.WriteAllText(path, builder.ToString());
    }
}
