using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;

namespace AllocAnalyzers.Benchmarks;

/// <summary>ALLOC020 with a capturing <c>GetOrAdd</c> factory per key (cache hits) against "Use the overload that passes state".</summary>
[MemoryDiagnoser]
public class KeyCacheBenchmarks
{
    private ConcurrentDictionary<string, string> _cache = null!;
    private string[] _keys = null!;

    [GlobalSetup]
    public void Setup()
    {
        _keys = Workloads.Keys();
        _cache = new ConcurrentDictionary<string, string>();
        Workloads.RequireSameResult(nameof(KeyCacheBenchmarks), Before(), (nameof(PassState), PassState()));
    }

    [Benchmark(Baseline = true)]
    public long Before() => Benchmarks.Before.KeyCache.Run(_cache, _keys);

    [Benchmark]
    public long PassState() => AfterPassState.KeyCache.Run(_cache, _keys);
}
