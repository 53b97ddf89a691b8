using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using AllocAnalyzers.Tests.Harness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit.Abstractions;

namespace AllocAnalyzers.Tests.Reliability;

/// <summary>
/// No analyzer and no fixer throws, whatever the file: every analyzer runs over each input (exceptions caught through
/// <c>onAnalyzerException</c> and AD0001), every fixer is asked for its code actions on each diagnostic, and every
/// action and Fix All is computed. Each file is analysed within <see cref="ReliabilitySettings.PerFileAnalysisBound"/>.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class CrashFreedomTests
{
    private readonly ITestOutputHelper _output;

    public CrashFreedomTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task NoRuleThrows_OnRuleTestSources_AsWrittenAndMidTyping()
    {
        var harvested = FuzzCorpus.HarvestRuleTestSources();
        Assert.True(harvested.Count > 100, $"Expected the rule tests' sources, found {harvested.Count}.");

        // Fixes cost far more than analysis (each binds the rewritten file again): a few per input, Fix All on every third.
        var inputs = new List<RuleInput> { new("empty file", "", AnalyzerProfile.Default) };
        inputs.AddRange(harvested.Concat(FuzzCorpus.Mutations(harvested, ReliabilitySettings.FuzzSeed, ReliabilitySettings.FuzzCount))
            .Select((s, i) => new RuleInput(s.Name, s.Text, AnalyzerProfile.All[i % AnalyzerProfile.All.Length]) { MaxFixedDiagnostics = 5, FixAll = i % 3 == 0 }));

        await RunAndAssertAsync($"rule-test sources (seed {ReliabilitySettings.FuzzSeed}, {ReliabilitySettings.FuzzCount} mutations)", inputs);
    }

    [Fact]
    public async Task NoRuleThrows_OnHugeAndDeepFiles()
    {
        // Each fix binds the whole rewritten file again, so on the largest files one fix takes tens of seconds (see
        // docs/reliability.md): CI analyses them and computes fixes on smaller versions; ALLOC_FUZZ_BIG_FIXES=1 fixes them too.
        var big = ReliabilitySettings.FixBigFiles ? 1 : 0;
        var inputs = new List<RuleInput>
        {
            new("huge method (10,000 statements)", FuzzCorpus.HugeMethod(10_000), AnalyzerProfile.Default) { MaxFixedDiagnostics = big, FixAll = false },
            new("large method (1,000 statements)", FuzzCorpus.HugeMethod(1_000), AnalyzerProfile.Default) { MaxFixedDiagnostics = 1, FixAll = false },
            new("60 nested loops", FuzzCorpus.NestedLoops(60), AnalyzerProfile.Default) { MaxFixedDiagnostics = 3, FixAll = false },
            new("60 nested loops", FuzzCorpus.NestedLoops(60), AnalyzerProfile.Everywhere) { MaxFixedDiagnostics = 1, FixAll = false },
            new("60 nested lambdas and local functions", FuzzCorpus.NestedFunctions(60), AnalyzerProfile.Default) { MaxFixedDiagnostics = big, FixAll = false },
            new("60 nested lambdas and local functions", FuzzCorpus.NestedFunctions(60), AnalyzerProfile.HotFiles) { MaxFixedDiagnostics = big, FixAll = false },
            new("15 nested lambdas and local functions", FuzzCorpus.NestedFunctions(15), AnalyzerProfile.Default) { MaxFixedDiagnostics = 1, FixAll = false },
            new("expressions 100 deep", FuzzCorpus.DeepExpressions(100), AnalyzerProfile.Everywhere),
        };

        await RunAndAssertAsync("huge and deep files", inputs);
    }

    [Fact]
    public async Task NoRuleThrows_OnUnusualSyntax()
    {
        var inputs = UnusualSyntaxCorpus.All
            .SelectMany(s => AnalyzerProfile.All.Select(p => new RuleInput(s.Name, s.Text, p, s.OutputKind, s.PreprocessorSymbols) { MaxFixedDiagnostics = 10, FixAll = p == AnalyzerProfile.Default }))
            .ToList();

        await RunAndAssertAsync("unusual syntax", inputs);
    }

    [Fact]
    public async Task UnusualSyntaxCorpus_IsValidCSharp_AndTheRulesReportInIt()
    {
        // Valid code reaches the semantic paths of the rules; broken code mostly does not. So this corpus must compile.
        foreach (var source in UnusualSyntaxCorpus.All)
        {
            var document = AllRules.CreateDocument(new RuleInput(source.Name, source.Text, AnalyzerProfile.Default, source.OutputKind, source.PreprocessorSymbols));
            var compilation = (await document.Project.GetCompilationAsync())!;
            var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            Assert.True(errors.Count == 0, $"'{source.Name}' does not compile:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}");

            var (diagnostics, _, _) = await AllRules.AnalyzeAsync(compilation, document.Project.AnalyzerOptions, Catalog.RuleCatalog.Analyzers, concurrent: false, CancellationToken.None);
            Assert.True(diagnostics.Any(d => d.Id.StartsWith("ALLOC", StringComparison.Ordinal)), $"'{source.Name}' gets no ALLOC diagnostic, so it tests little.");
        }
    }

    private async Task RunAndAssertAsync(string what, IReadOnlyList<RuleInput> inputs)
    {
        var clock = Stopwatch.StartNew();
        var runs = new ConcurrentBag<RuleRun>();
        var failures = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(inputs, new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (input, _) =>
        {
            // A hung rule fails this input instead of the whole run.
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            try
            {
                runs.Add(await AllRules.RunAsync(input, timeout.Token));
            }
            catch (Exception e)
            {
                failures.Add($"{input}: the run itself failed: {e}");
            }
        });

        var ordered = runs.OrderBy(r => r.Input.Name, StringComparer.Ordinal).ToList();
        var slowest = ordered.OrderByDescending(r => r.AnalysisWallTime).First();
        var slowestAnalyzers = ordered.OrderByDescending(r => r.AnalyzerExecutionTime).First();
        var slowestFixes = ordered.OrderByDescending(r => r.FixTime).First();
        var summary = new StringBuilder();
        summary.AppendLine(CultureInfo.InvariantCulture, $"{what}: {inputs.Count} inputs, {ordered.Sum(r => r.Diagnostics.Count)} diagnostics " +
            $"({string.Join(", ", ordered.SelectMany(r => r.Diagnostics).GroupBy(d => d.Id).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}: {g.Count()}"))}), " +
            $"{ordered.Sum(r => r.CodeActions)} code actions and {ordered.Sum(r => r.FixAllActions)} Fix All actions computed, " +
            $"{ordered.Sum(r => r.Crashes.Count) + failures.Count} exceptions, in {clock.Elapsed.TotalSeconds:F1} s");
        summary.AppendLine(CultureInfo.InvariantCulture, $"  slowest analysis (wall, with binding): {slowest.AnalysisWallTime.TotalMilliseconds:F0} ms, {slowest.Input}");
        summary.AppendLine(CultureInfo.InvariantCulture, $"  slowest in the analyzers' own callbacks: {slowestAnalyzers.AnalyzerExecutionTime.TotalMilliseconds:F0} ms, {slowestAnalyzers.Input}");
        summary.AppendLine(CultureInfo.InvariantCulture, $"  slowest fix computation: {slowestFixes.FixTime.TotalMilliseconds:F0} ms, {slowestFixes.Input}");
        _output.WriteLine(summary.ToString());

        var crashes = ordered.SelectMany(r => r.Crashes.Select(c => (r.Input, Crash: c))).ToList();
        if (crashes.Count > 0 || !failures.IsEmpty)
        {
            var first = crashes.Count > 0 ? crashes[0].Input : null;
            Assert.Fail($"{summary}{string.Join(Environment.NewLine, failures.Take(5))}{Environment.NewLine}" +
                string.Join(Environment.NewLine, crashes.Take(10).Select(c => $"{c.Input}: {c.Crash}")) +
                (first is null ? "" : $"{Environment.NewLine}First failing input ({first}):{Environment.NewLine}{first.Text}"));
        }

        // The bound is on the analyzers' own time: the wall time also holds the compiler's binding, which is not ours to bound.
        var tooSlow = ordered.Where(r => r.AnalyzerExecutionTime > ReliabilitySettings.PerFileAnalysisBound).ToList();
        Assert.True(tooSlow.Count == 0, $"{summary}Analysed in more than {ReliabilitySettings.PerFileAnalysisBound.TotalSeconds} s: " +
            string.Join(", ", tooSlow.Select(r => $"{r.Input} ({r.AnalyzerExecutionTime.TotalMilliseconds:F0} ms)")));
    }
}
