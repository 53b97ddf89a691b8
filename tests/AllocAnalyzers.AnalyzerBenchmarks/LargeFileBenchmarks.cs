using System;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AllocAnalyzers.AnalyzerBenchmarks;

/// <summary>
/// The IDE's case: one open document of about 5,000 generated lines analysed as the IDE does after an edit (a new
/// compilation, the document's semantic diagnostics), with every AllocAnalyzers analyzer, against binding the same
/// document alone and against an analyzer that registers empty operation actions (what any IOperation analyzer costs).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class LargeFileBenchmarks
{
    private Corpus _corpus = null!;
    private SyntaxTree _file = null!;
    private ImmutableArray<DiagnosticAnalyzer> _allocAnalyzers;
    private ImmutableArray<DiagnosticAnalyzer> _emptyActions;

    [Params(5_200)]
    public int Lines { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _corpus = Corpus.Generate(Lines, seed: 20_000, oneFile: true);
        _file = _corpus.Trees.Single(t => t.FilePath == "Corpus.cs");
        _allocAnalyzers = AnalyzerSet.CreateAll();
        _emptyActions = ImmutableArray.Create<DiagnosticAnalyzer>(new EmptyOperationActionsAnalyzer());

        var errors = _corpus.CreateCompilation().GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Take(3).ToList();
        var found = Analyze(_allocAnalyzers);
        if (errors.Count > 0 || !found.Any(d => d.Id.StartsWith("ALLOC", StringComparison.Ordinal)) || found.Any(d => d.Id == "AD0001"))
        {
            throw new InvalidOperationException($"The generated file does not compile or the analyzers do not work: {string.Join("; ", errors.Concat(found.Take(3)))}");
        }

        Console.WriteLine($"// {_file.GetText().Lines.Count:N0} lines in the file, {_allocAnalyzers.Length} analyzers ({string.Join(", ", _allocAnalyzers.Select(a => a.GetType().Name))}); " +
                          $"found {string.Join(", ", found.GroupBy(d => d.Id).OrderBy(g => g.Key).Select(g => $"{g.Key} ×{g.Count()}"))}; seeded {string.Join(", ", _corpus.Seeded.OrderBy(p => p.Key).Select(p => $"{p.Key} ×{p.Value}"))}");
    }

    /// <summary>What the compiler alone does for the document: bind every member and report its errors.</summary>
    [Benchmark(Baseline = true)]
    public int BindFile() => _corpus.CreateCompilation().GetSemanticModel(_file).GetDiagnostics().Length;

    [Benchmark]
    public int EmptyOperationActions() => Analyze(_emptyActions).Length;

    [Benchmark]
    public int AllocAnalyzers() => Analyze(_allocAnalyzers).Length;

    private ImmutableArray<Diagnostic> Analyze(ImmutableArray<DiagnosticAnalyzer> analyzers)
    {
        var compilation = _corpus.CreateCompilation();
        var withAnalyzers = compilation.WithAnalyzers(analyzers, new CompilationWithAnalyzersOptions(Corpus.Options, onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: false));
        return withAnalyzers.GetAnalyzerSemanticDiagnosticsAsync(compilation.GetSemanticModel(_file), filterSpan: null, CancellationToken.None).GetAwaiter().GetResult();
    }
}
