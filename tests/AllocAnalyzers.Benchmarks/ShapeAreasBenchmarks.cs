using BenchmarkDotNet.Attributes;

namespace AllocAnalyzers.Benchmarks;

/// <summary>ALLOC030 "Make the parameter generic": a struct passed to a private helper taking an interface.</summary>
[MemoryDiagnoser]
[Config(typeof(ExactBytesConfig))]
public class ShapeAreasBenchmarks
{
    private int[] _values = null!;

    [GlobalSetup]
    public void Setup()
    {
        _values = Workloads.SmallValues(4);
        Workloads.RequireSameResult(nameof(ShapeAreasBenchmarks), Before(), (nameof(GenericParameter), GenericParameter()));
    }

    [Benchmark(Baseline = true)]
    public long Before() => Benchmarks.Before.ShapeAreas.Run(_values);

    [Benchmark]
    public long GenericParameter() => AfterGenericParameter.ShapeAreas.Run(_values);
}
