using System.IO;
using BenchmarkDotNet.Attributes;

namespace AllocAnalyzers.Benchmarks;

/// <summary>ALLOC001 on the field report's workload: <c>new byte[size]</c> per chunk against both fixes.</summary>
// BenchmarkDotNet derives from benchmark classes, so they cannot be sealed.
[MemoryDiagnoser]
public class ChunkChecksumBenchmarks
{
    private MemoryStream _input = null!;
    private int[] _chunkSizes = null!;

    [GlobalSetup]
    public void Setup()
    {
        (_input, _chunkSizes) = Workloads.Chunks();
        Workloads.RequireSameResult(nameof(ChunkChecksumBenchmarks), Before(), (nameof(Rent), Rent()), (nameof(Reuse), Reuse()));
    }

    [Benchmark(Baseline = true)]
    public ulong Before()
    {
        _input.Position = 0;
        return Benchmarks.Before.ChunkChecksum.Run(_input, _chunkSizes);
    }

    [Benchmark]
    public ulong Rent()
    {
        _input.Position = 0;
        return AfterRent.ChunkChecksum.Run(_input, _chunkSizes);
    }

    [Benchmark]
    public ulong Reuse()
    {
        _input.Position = 0;
        return AfterReuse.ChunkChecksum.Run(_input, _chunkSizes);
    }
}
