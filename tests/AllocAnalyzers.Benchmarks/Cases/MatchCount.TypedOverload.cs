// Benchmark case for ALLOC030. MatchCount.Before.cs is the code as written; every other MatchCount.*.cs file is
// exactly what one code fix makes of it (checked by BenchmarkCasesTests, which says how to regenerate them).
using System.Collections.Generic;

namespace AllocAnalyzers.Benchmarks.AfterTypedOverload;

public static class MatchCount
{
    /// <summary>Counts the positions where two sequences hold equal values.</summary>
    public static long Run(int[] left, int[] right)
    {
        long matches = 0;
        for (var i = 0; i < left.Length; i++)
        {
            if (EqualityComparer<int>.Default.Equals(left[i], right[i]))
            {
                matches++;
            }
        }

        return matches;
    }
}
