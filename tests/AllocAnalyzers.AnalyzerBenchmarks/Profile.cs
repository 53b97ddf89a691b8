using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AllocAnalyzers.AnalyzerBenchmarks;

/// <summary>
/// Times the analyzers over a generated corpus in process, through <see cref="CompilationWithAnalyzers"/> on a fresh
/// compilation each run (one thread, so the times add up): the compiler alone (binding and emit), an analyzer that
/// registers empty operation actions (what any IOperation analyzer's operation trees cost), each AllocAnalyzers
/// analyzer alone, and all of them together. "Callbacks" is the driver's own per-analyzer time (what
/// <c>-p:ReportAnalyzer=true</c> prints); "wall" includes binding the bodies through the semantic model; "allocated" is every byte the process allocated during the analysis (the floor row shows what the driver and its operation trees allocate without any rule);
/// "GC pauses" is the time the runtime stopped the process's threads for garbage collections during the analysis, and
/// "CPU" the processor time of the whole process during it (every thread: the driver, the analyzers, and, beside the
/// emit, the compiler).
/// With <c>besideEmit</c>, each run emits the same compilation (a concurrent build, as the compiler's) on another
/// thread while the analyzers run concurrently, as in a build, where the callbacks share the cores and the garbage
/// collections with the compiler.
/// </summary>
internal static class Profile
{
    public static int Run(int lines, ulong seed, int runs, string? only, bool concurrent, bool oneFile, bool besideEmit, string? cscArguments, TextWriter output)
    {
        concurrent |= besideEmit;
        var corpus = cscArguments is null ? Corpus.Generate(lines, seed, oneFile) : Corpus.FromCommandLine(cscArguments, Directory.GetCurrentDirectory());
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{(cscArguments is null ? "corpus" : "project of " + cscArguments)}: {corpus.Lines:N0} lines in {corpus.Trees.Length} files{(cscArguments is null ? $" (seed {seed}); seeded {string.Join(", ", corpus.Seeded.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value}"))}" : "")}; {runs} runs, medians; {(besideEmit ? "concurrent analysis beside the compiler's emit" : concurrent ? "concurrent analysis" : "one thread")}"));

        // Warm up: JIT the compiler and the analyzers before anything is timed.
        TimeCompiler(corpus);
        TimeAnalyzers(corpus, AnalyzerSet.CreateAll(), concurrent, besideEmit);
        var compiler = Median(runs, () => TimeCompiler(corpus));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"compiler (bind + emit)",-48} wall {compiler,8:N0} ms"));

        var configurations = new List<(string Name, Func<ImmutableArray<DiagnosticAnalyzer>> Create)>
        {
            ("empty operation actions (floor)", () => ImmutableArray.Create<DiagnosticAnalyzer>(new EmptyOperationActionsAnalyzer())),
            ("empty symbol-start actions (floor)", () => ImmutableArray.Create<DiagnosticAnalyzer>(new EmptySymbolStartActionsAnalyzer())),
        };
        foreach (var analyzer in AnalyzerSet.CreateAll())
        {
            var type = analyzer.GetType();
            configurations.Add(($"{AnalyzerSet.Ids(analyzer)} {type.Name} alone", () => ImmutableArray.Create((DiagnosticAnalyzer)Activator.CreateInstance(type)!)));
        }

        configurations.Add(("all AllocAnalyzers", AnalyzerSet.CreateAll));
        if (only is not null)
        {
            // Case matters: "all AllocAnalyzers" must not also pick the "ALLOC…" rows of each analyzer alone.
            configurations.RemoveAll(c => !c.Name.Contains(only, StringComparison.Ordinal));
        }

        var failed = false;
        foreach (var (name, create) in configurations)
        {
            var results = Enumerable.Range(0, runs).Select(_ => TimeAnalyzers(corpus, create(), concurrent, besideEmit)).ToList();
            var wall = MedianOf(results.Select(r => r.Wall));
            var callbacks = MedianOf(results.Select(r => r.Callbacks));
            var fastest = results.Min(r => r.Callbacks);
            var allocatedMiB = MedianOf(results.Select(r => r.AllocatedMiB));
            var pauses = MedianOf(results.Select(r => r.GCPause));
            var cpu = MedianOf(results.Select(r => r.Cpu));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-48} wall {wall,8:N0} ms  callbacks {callbacks,8:N0} ms ({callbacks / compiler:P1} of the compiler), fastest {fastest:N0} ms  allocated {allocatedMiB,7:N1} MiB  GC pauses {pauses,5:N0} ms  CPU {cpu,7:N0} ms  diagnostics {results[0].Summary}"));
            if (besideEmit)
            {
                // Each run's callbacks next to its collections' pauses: whether the slow runs are the ones the GC stopped.
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  runs (callbacks ms / GC pauses ms / gen2 collections / CPU ms): {string.Join(", ", results.Select(r => $"{r.Callbacks:N0}/{r.GCPause:N0}/{r.Gen2}/{r.Cpu:N0}"))}"));
            }
            if (results.Count > 1 && results.Skip(1).Any(r => r.Summary != results[0].Summary))
            {
                output.WriteLine("  runs reported different diagnostics");
                failed = true;
            }

            if (results[0].PerAnalyzer.Count > 1)
            {
                foreach (var analyzerName in results[0].PerAnalyzer.Keys)
                {
                    var time = MedianOf(results.Select(r => r.PerAnalyzer[analyzerName]));
                    var fastestOfAnalyzer = results.Min(r => r.PerAnalyzer[analyzerName]);
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {analyzerName,-46} callbacks {time,8:N0} ms ({time / compiler:P1}), fastest {fastestOfAnalyzer:N0} ms"));
                }
            }
        }

        return failed ? 1 : 0;
    }

    private static double TimeCompiler(Corpus corpus)
    {
        var compilation = corpus.CreateCompilation();
        var stopwatch = Stopwatch.StartNew();
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        stopwatch.Stop();
        if (!result.Success)
        {
            throw new InvalidOperationException("The corpus does not compile: " + string.Join(Environment.NewLine, result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(5)));
        }

        return stopwatch.Elapsed.TotalMilliseconds;
    }

    private static (double Wall, double Callbacks, double AllocatedMiB, double GCPause, int Gen2, double Cpu, Dictionary<string, double> PerAnalyzer, string Summary) TimeAnalyzers(Corpus corpus, ImmutableArray<DiagnosticAnalyzer> analyzers, bool concurrent, bool besideEmit)
    {
        var compilation = corpus.CreateCompilation();
        if (besideEmit)
        {
            compilation = compilation.WithOptions(compilation.Options.WithConcurrentBuild(true));
        }

        var withAnalyzers = compilation.WithAnalyzers(
            analyzers,
            new CompilationWithAnalyzersOptions(Corpus.Options, onAnalyzerException: null, concurrentAnalysis: concurrent, logAnalyzerExecutionTime: true));
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var pauseBefore = GC.GetTotalPauseDuration();
        var gen2Before = GC.CollectionCount(2);
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        var emit = besideEmit ? Task.Run(() => compilation.Emit(Stream.Null)) : null;
        var diagnostics = withAnalyzers.GetAnalyzerDiagnosticsAsync(CancellationToken.None).GetAwaiter().GetResult();
        stopwatch.Stop();
        if (emit is not null && !emit.GetAwaiter().GetResult().Success)
        {
            throw new InvalidOperationException("The corpus does not compile.");
        }

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var pause = (GC.GetTotalPauseDuration() - pauseBefore).TotalMilliseconds;
        var gen2 = GC.CollectionCount(2) - gen2Before;
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds;
        var perAnalyzer = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var analyzer in analyzers)
        {
            var telemetry = withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None).GetAwaiter().GetResult();
            perAnalyzer[analyzer.GetType().Name] = telemetry.ExecutionTime.TotalMilliseconds;
        }

        var failures = diagnostics.Where(d => d.Id == "AD0001").ToList();
        if (failures.Count > 0)
        {
            throw new InvalidOperationException("An analyzer threw: " + failures[0]);
        }

        var summary = string.Join(" ", diagnostics.GroupBy(d => d.Id).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}:{g.Count()}"));
        return (stopwatch.Elapsed.TotalMilliseconds, perAnalyzer.Values.Sum(), allocated / 1048576.0, pause, gen2, cpu, perAnalyzer, summary.Length == 0 ? "none" : summary);
    }

    private static double Median(int runs, Func<double> measure) => MedianOf(Enumerable.Range(0, runs).Select(_ => measure()));

    private static double MedianOf(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

/// <summary>An analyzer that never reports: what the analyzer driver costs for the actions it registers, and no more.</summary>
internal abstract class FloorAnalyzer : DiagnosticAnalyzer
{
    private readonly DiagnosticDescriptor _never;

    protected FloorAnalyzer(string id)
    {
        _never = new DiagnosticDescriptor(id, "Never reported", "Never reported", "Performance", DiagnosticSeverity.Warning, isEnabledByDefault: true);
    }

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(_never);

    public sealed override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        Register(context);
    }

    protected abstract void Register(AnalysisContext context);
}

/// <summary>Registers do-nothing actions for the operation kinds the rules look at: the cost every IOperation analyzer pays.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class EmptyOperationActionsAnalyzer : FloorAnalyzer
{
    public EmptyOperationActionsAnalyzer()
        : base("FLOOR001")
    {
    }

    protected override void Register(AnalysisContext context) =>
        context.RegisterOperationAction(_ => { }, OperationKind.ArrayCreation, OperationKind.Invocation);
}

/// <summary>Registers, for every named type, do-nothing member-reference operation actions and a symbol-end action: the driver's cost of that shape.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class EmptySymbolStartActionsAnalyzer : FloorAnalyzer
{
    public EmptySymbolStartActionsAnalyzer()
        : base("FLOOR002")
    {
    }

    protected override void Register(AnalysisContext context) =>
        context.RegisterSymbolStartAction(
            start =>
            {
                start.RegisterOperationAction(_ => { }, OperationKind.FieldReference, OperationKind.PropertyReference);
                start.RegisterSymbolEndAction(_ => { });
            },
            SymbolKind.NamedType);
}
