using BenchmarkDotNet.Attributes;

namespace AllocAnalyzers.Benchmarks;

/// <summary>ALLOC002 with a <c>new byte[16]</c> scratch buffer per value against both fixes.</summary>
// BenchmarkDotNet derives from benchmark classes, so they cannot be sealed.
[MemoryDiagnoser]
public class Utf8ScratchBenchmarks
{
    private int[] _values = null!;

    [GlobalSetup]
    public void Setup()
    {
        _values = Workloads.Values(nonNegative: false);
        Workloads.RequireSameResult(nameof(Utf8ScratchBenchmarks), Before(), (nameof(Hoist), Hoist()), (nameof(Stackalloc), Stackalloc()));
    }

    [Benchmark(Baseline = true)]
    public ulong Before() => Benchmarks.Before.Utf8Scratch.Run(_values);

    [Benchmark]
    public ulong Hoist() => AfterHoist.Utf8Scratch.Run(_values);

    [Benchmark]
    public ulong Stackalloc() => AfterStackalloc.Utf8Scratch.Run(_values);
}
