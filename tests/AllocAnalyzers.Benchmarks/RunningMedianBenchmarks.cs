using BenchmarkDotNet.Attributes;

namespace AllocAnalyzers.Benchmarks;

/// <summary>ALLOC030 "Use a generic collection": 10,000 ints added to a local ArrayList.</summary>
[MemoryDiagnoser]
[Config(typeof(ExactBytesConfig))]
public class RunningMedianBenchmarks
{
    private int[] _values = null!;

    [GlobalSetup]
    public void Setup()
    {
        _values = Workloads.Values(nonNegative: false);
        Workloads.RequireSameResult(nameof(RunningMedianBenchmarks), Before(), (nameof(GenericCollection), GenericCollection()));
    }

    [Benchmark(Baseline = true)]
    public long Before() => Benchmarks.Before.RunningMedian.Run(_values);

    [Benchmark]
    public long GenericCollection() => AfterGenericCollection.RunningMedian.Run(_values);
}
