using BenchmarkDotNet.Running;

namespace AllocAnalyzers.Benchmarks;

internal static class Program
{
    // Command-line arguments are BenchmarkDotNet's (--filter, --job, ...): see docs/performance.md.
    private static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
