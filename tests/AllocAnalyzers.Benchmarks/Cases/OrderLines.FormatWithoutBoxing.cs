// Benchmark case for ALLOC030. OrderLines.Before.cs is the code as written; every other OrderLines.*.cs file is
// exactly what one code fix makes of it (checked by BenchmarkCasesTests, which says how to regenerate them).
namespace AllocAnalyzers.Benchmarks.AfterFormatWithoutBoxing;

public static class OrderLines
{
    /// <summary>Formats one line per order (id, quantity, price) and folds the lines' characters into a checksum.</summary>
    public static long Run(int[] ids, double[] prices)
    {
        long checksum = 0;
        for (var i = 0; i < ids.Length; i++)
        {
            var line = $"#{ids[i],-8} x{(i % 7)} at {prices[i]:F2}";
            foreach (var c in line)
            {
                checksum = checksum * 31 + c;
            }
        }

        return checksum;
    }
}
