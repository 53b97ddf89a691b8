using BenchmarkDotNet.Attributes;

namespace AllocAnalyzers.Benchmarks;

/// <summary>ALLOC022 with a capturing <c>Func&lt;int, long&gt;</c> local per value against "Convert to a local function".</summary>
[MemoryDiagnoser]
public class ScaleSumBenchmarks
{
    private int[] _values = null!;

    [GlobalSetup]
    public void Setup()
    {
        _values = Workloads.Values(nonNegative: false);
        Workloads.RequireSameResult(nameof(ScaleSumBenchmarks), Before(), (nameof(LocalFunction), LocalFunction()));
    }

    [Benchmark(Baseline = true)]
    public long Before() => Benchmarks.Before.ScaleSum.Run(_values);

    [Benchmark]
    public long LocalFunction() => AfterLocalFunction.ScaleSum.Run(_values);
}
