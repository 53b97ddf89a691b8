using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;

namespace AllocAnalyzers.Benchmarks;

/// <summary>ALLOC021 with a closure allocated on every call for a lambda created on one call in 16, against "Move the capturing code into a local function".</summary>
[MemoryDiagnoser]
public class PrefixLookupBenchmarks
{
    private ConcurrentDictionary<string, string> _cache = null!;
    private string[] _names = null!;

    [GlobalSetup]
    public void Setup()
    {
        _names = Workloads.Keys();
        _cache = new ConcurrentDictionary<string, string>();
        Workloads.RequireSameResult(nameof(PrefixLookupBenchmarks), Before(), (nameof(MoveToLocalFunction), MoveToLocalFunction()));
    }

    [Benchmark(Baseline = true)]
    public long Before() => Benchmarks.Before.PrefixLookup.Run(_cache, _names, "p:");

    [Benchmark]
    public long MoveToLocalFunction() => AfterMoveToLocalFunction.PrefixLookup.Run(_cache, _names, "p:");
}
