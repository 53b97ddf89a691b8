// Benchmark case for ALLOC020. ThresholdCount.Before.cs is the code as written; every other ThresholdCount.*.cs file is
// exactly what one code fix makes of it (checked by BenchmarkCasesTests, which says how to regenerate them).
using System;
using System.Collections.Generic;
using System.Linq;

namespace AllocAnalyzers.Benchmarks.AfterHoist;

public static class ThresholdCount
{
    /// <summary>For every probe, counts the readings above the limit and folds the count and the probe into a checksum.</summary>
    public static long Run(List<int> readings, int[] probes, int limit)
    {
        long checksum = 0;
        Func<int, bool> predicate = x => x > limit;
        foreach (var probe in probes)
        {
            checksum = checksum * 31 + readings.Count(predicate) + probe;
        }

        return checksum;
    }
}
