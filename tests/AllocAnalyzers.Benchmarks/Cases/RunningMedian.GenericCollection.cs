// Benchmark case for ALLOC030. RunningMedian.Before.cs is the code as written; every other RunningMedian.*.cs file is
// exactly what one code fix makes of it (checked by BenchmarkCasesTests, which says how to regenerate them).
#nullable disable // ArrayList code as written before nullable annotations
using System.Collections;
using System.Collections.Generic;

namespace AllocAnalyzers.Benchmarks.AfterGenericCollection;

public static class RunningMedian
{
    /// <summary>Collects the values in a list, then folds every tenth one into a checksum.</summary>
    public static long Run(int[] values)
    {
        var window = new List<int>();
        foreach (var value in values)
        {
            window.Add(value);
        }

        long checksum = 0;
        for (var i = 0; i < window.Count; i += 10)
        {
            checksum = checksum * 31 + (int)window[i];
        }

        return checksum;
    }
}
