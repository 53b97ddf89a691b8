using BenchmarkDotNet.Attributes;

namespace AllocAnalyzers.Benchmarks;

/// <summary>ALLOC031 "Implement IEquatable&lt;T&gt;": a HashSet keyed by a two-int struct without its own equality.</summary>
[MemoryDiagnoser]
[Config(typeof(ExactBytesConfig))]
public class GridVisitsBenchmarks
{
    private int[] _steps = null!;

    [GlobalSetup]
    public void Setup()
    {
        _steps = Workloads.SmallValues(3);
        Workloads.RequireSameResult(nameof(GridVisitsBenchmarks), Before(), (nameof(ImplementIEquatable), ImplementIEquatable()));
    }

    [Benchmark(Baseline = true)]
    public long Before() => Benchmarks.Before.GridVisits.Run(_steps);

    [Benchmark]
    public long ImplementIEquatable() => AfterImplementIEquatable.GridVisits.Run(_steps);
}
