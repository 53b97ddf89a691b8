using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using Perfolizer.Metrology;

namespace AllocAnalyzers.Benchmarks;

/// <summary>
/// Prints allocated memory in bytes: the allocation counts are exact, and BenchmarkDotNet would otherwise round them to
/// KB or MB whenever no method of the table allocates less than a kilobyte.
/// </summary>
internal sealed class ExactBytesConfig : ManualConfig
{
    public ExactBytesConfig() => SummaryStyle = SummaryStyle.Default.WithSizeUnit(SizeUnit.B);
}
