using BenchmarkDotNet.Attributes;

namespace AllocAnalyzers.Benchmarks;

/// <summary>ALLOC030 "Use the typed overload": <c>object.Equals(a, b)</c> on two ints per element.</summary>
[MemoryDiagnoser]
[Config(typeof(ExactBytesConfig))]
public class MatchCountBenchmarks
{
    private int[] _left = null!;
    private int[] _right = null!;

    [GlobalSetup]
    public void Setup()
    {
        _left = Workloads.SmallValues(1);
        _right = Workloads.SmallValues(2);
        Workloads.RequireSameResult(nameof(MatchCountBenchmarks), Before(), (nameof(TypedOverload), TypedOverload()));
    }

    [Benchmark(Baseline = true)]
    public long Before() => Benchmarks.Before.MatchCount.Run(_left, _right);

    [Benchmark]
    public long TypedOverload() => AfterTypedOverload.MatchCount.Run(_left, _right);
}
