// Benchmark case for ALLOC002. DigitHistogram.Before.cs is the code as written; every other DigitHistogram.*.cs file is
// exactly what one code fix makes of it (checked by BenchmarkCasesTests, which says how to regenerate them).
using System;

namespace AllocAnalyzers.Benchmarks.AfterStackalloc;

public static class DigitHistogram
{
    /// <summary>Counts the decimal digits of each (non-negative) value and folds its most frequent digit and that digit's count into a checksum.</summary>
    public static long Run(int[] values)
    {
        long checksum = 0;
        Span<int> counts = stackalloc int[10];
        foreach (var value in values)
        {
            counts.Clear();
            for (var rest = value; rest > 0; rest /= 10)
            {
                counts[rest % 10]++;
            }

            var mostFrequent = 0;
            for (var digit = 1; digit < counts.Length; digit++)
            {
                if (counts[digit] > counts[mostFrequent])
                {
                    mostFrequent = digit;
                }
            }

            checksum = checksum * 31 + mostFrequent * 100 + counts[mostFrequent];
        }

        return checksum;
    }
}
