using System.Collections.Generic;
using BenchmarkDotNet.Attributes;

namespace AllocAnalyzers.Benchmarks;

/// <summary>ALLOC020 with <c>readings.Count(x => x > limit)</c> per probe (a delegate over an outer closure) against "Hoist the delegate out of the loop".</summary>
[MemoryDiagnoser]
public class ThresholdCountBenchmarks
{
    private List<int> _readings = null!;
    private int[] _probes = null!;

    [GlobalSetup]
    public void Setup()
    {
        _readings = new List<int>(Workloads.Values(nonNegative: true)[..16]);
        _probes = Workloads.Values(nonNegative: false);
        Workloads.RequireSameResult(nameof(ThresholdCountBenchmarks), Before(), (nameof(Hoist), Hoist()));
    }

    [Benchmark(Baseline = true)]
    public long Before() => Benchmarks.Before.ThresholdCount.Run(_readings, _probes, int.MaxValue / 2);

    [Benchmark]
    public long Hoist() => AfterHoist.ThresholdCount.Run(_readings, _probes, int.MaxValue / 2);
}
