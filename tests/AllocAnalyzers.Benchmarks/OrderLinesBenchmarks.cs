using BenchmarkDotNet.Attributes;

namespace AllocAnalyzers.Benchmarks;

/// <summary>ALLOC030 "Format without boxing": <c>string.Format</c> with an int, an int and a double per line.</summary>
// BenchmarkDotNet derives from benchmark classes, so they cannot be sealed.
[MemoryDiagnoser]
[Config(typeof(ExactBytesConfig))]
public class OrderLinesBenchmarks
{
    private int[] _ids = null!;
    private double[] _prices = null!;

    [GlobalSetup]
    public void Setup()
    {
        (_ids, _prices) = Workloads.Orders();
        Workloads.RequireSameResult(nameof(OrderLinesBenchmarks), Before(), (nameof(FormatWithoutBoxing), FormatWithoutBoxing()));
    }

    [Benchmark(Baseline = true)]
    public long Before() => Benchmarks.Before.OrderLines.Run(_ids, _prices);

    [Benchmark]
    public long FormatWithoutBoxing() => AfterFormatWithoutBoxing.OrderLines.Run(_ids, _prices);
}
