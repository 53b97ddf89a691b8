using BenchmarkDotNet.Attributes;

namespace AllocAnalyzers.Benchmarks;

/// <summary>ALLOC002 with <c>new int[10]</c> per value against both fixes.</summary>
// BenchmarkDotNet derives from benchmark classes, so they cannot be sealed.
[MemoryDiagnoser]
public class DigitHistogramBenchmarks
{
    private int[] _values = null!;

    [GlobalSetup]
    public void Setup()
    {
        _values = Workloads.Values(nonNegative: true);
        Workloads.RequireSameResult(nameof(DigitHistogramBenchmarks), Before(), (nameof(Hoist), Hoist()), (nameof(Stackalloc), Stackalloc()));
    }

    [Benchmark(Baseline = true)]
    public long Before() => Benchmarks.Before.DigitHistogram.Run(_values);

    [Benchmark]
    public long Hoist() => AfterHoist.DigitHistogram.Run(_values);

    [Benchmark]
    public long Stackalloc() => AfterStackalloc.DigitHistogram.Run(_values);
}
