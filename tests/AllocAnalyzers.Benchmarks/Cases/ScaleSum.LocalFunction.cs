// Benchmark case for ALLOC022. ScaleSum.Before.cs is the code as written; every other ScaleSum.*.cs file is
// exactly what one code fix makes of it (checked by BenchmarkCasesTests, which says how to regenerate them).
using System;

namespace AllocAnalyzers.Benchmarks.AfterLocalFunction;

public static class ScaleSum
{
    /// <summary>Scales two constants by each value through a helper lambda and folds the results into a checksum.</summary>
    public static long Run(int[] values)
    {
        long checksum = 0;
        foreach (var value in values)
        {
            long scale(int x) => (long)x * value + 1;
            checksum = checksum * 31 + (scale(3) ^ scale(7));
        }

        return checksum;
    }
}
