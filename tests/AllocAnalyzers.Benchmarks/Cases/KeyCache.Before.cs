// Benchmark case for ALLOC020. KeyCache.Before.cs is the code as written; every other KeyCache.*.cs file is
// exactly what one code fix makes of it (checked by BenchmarkCasesTests, which says how to regenerate them).
using System.Collections.Concurrent;

namespace AllocAnalyzers.Benchmarks.Before;

public static class KeyCache
{
    /// <summary>Looks every key up in a cache that builds a missing entry from a prefix chosen per key; sums the entries' lengths.</summary>
    public static long Run(ConcurrentDictionary<string, string> cache, string[] keys)
    {
        long total = 0;
        foreach (var key in keys)
        {
            var prefix = key.Length > 8 ? "long:" : "short:";
            total += cache.GetOrAdd(key, k => prefix + k).Length;
        }

        return total;
    }
}
