using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AllocAnalyzers.Tests.Catalog;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;
using Xunit.Abstractions;

namespace AllocAnalyzers.Tests.Reliability;

/// <summary>
/// The analyzers observe cancellation: the IDE cancels analysis on every keystroke, so an analyzer that swallows the
/// cancellation, turns it into another exception (reported as AD0001) or runs on long after it was asked to stop
/// wastes the user's CPU or shows them a crash.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class CancellationTests
{
    private readonly ITestOutputHelper _output;

    public CancellationTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task CancelledAnalysis_Stops_WithoutAnyAnalyzerException()
    {
        var document = AllRules.CreateDocument(new RuleInput("large method (2,000 statements)", FuzzCorpus.HugeMethod(2_000), AnalyzerProfile.Everywhere));
        var compilation = (await document.Project.GetCompilationAsync())!;
        _ = compilation.GetDiagnostics(); // bind first, so that the delays below fall inside the analyzers' work

        var full = Stopwatch.StartNew();
        var (diagnostics, crashes, _) = await AllRules.AnalyzeAsync(compilation, document.Project.AnalyzerOptions, RuleCatalog.Analyzers, concurrent: true, CancellationToken.None);
        full.Stop();
        Assert.Empty(crashes);
        Assert.NotEmpty(diagnostics);

        var cancelled = 0;
        var slowestStop = TimeSpan.Zero;
        foreach (var delay in new[] { 0, 1, 5, 20, 50, 100, 200, 400 })
        {
            var exceptions = new ConcurrentQueue<string>();
            var withAnalyzers = compilation.WithAnalyzers(RuleCatalog.Analyzers, new CompilationWithAnalyzersOptions(
                document.Project.AnalyzerOptions,
                onAnalyzerException: (exception, analyzer, _) => exceptions.Enqueue($"{analyzer.GetType().Name} threw {exception}"),
                concurrentAnalysis: true,
                logAnalyzerExecutionTime: false,
                reportSuppressedDiagnostics: false));
            using var source = new CancellationTokenSource();
            var stop = new Stopwatch();
            var analysis = withAnalyzers.GetAnalyzerDiagnosticsAsync(source.Token);
            if (delay == 0)
            {
                source.Cancel();
            }
            else
            {
                await Task.WhenAny(analysis, Task.Delay(delay));
                source.Cancel();
            }

            stop.Start();
            try
            {
                var result = await analysis;
                Assert.DoesNotContain(result, d => d.Id == "AD0001");
            }
            catch (OperationCanceledException)
            {
                cancelled++;
            }

            stop.Stop();
            slowestStop = stop.Elapsed > slowestStop ? stop.Elapsed : slowestStop;
            Assert.True(exceptions.IsEmpty, $"After cancelling at {delay} ms: {string.Join(Environment.NewLine, exceptions)}");
        }

        _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Full analysis {full.Elapsed.TotalMilliseconds:F0} ms; {cancelled} of 8 runs cancelled; slowest stop after cancelling {slowestStop.TotalMilliseconds:F0} ms"));
        Assert.True(cancelled > 0, "No run was cancelled, so this test proved nothing.");
        // Generous: CI machines are loaded; an analyzer that ignored cancellation would run to the end of the file.
        Assert.True(slowestStop < TimeSpan.FromSeconds(10), $"Analysis went on for {slowestStop.TotalMilliseconds:F0} ms after it was cancelled.");
    }

    [Fact]
    public async Task AlreadyCancelledToken_IsObserved_BeforeAnyWork()
    {
        var document = AllRules.CreateDocument(new RuleInput("large method (1,000 statements)", FuzzCorpus.HugeMethod(1_000), AnalyzerProfile.Default));
        var compilation = (await document.Project.GetCompilationAsync())!;
        using var source = new CancellationTokenSource();
        source.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            AllRules.AnalyzeAsync(compilation, document.Project.AnalyzerOptions, RuleCatalog.Analyzers, concurrent: false, source.Token));
    }
}
