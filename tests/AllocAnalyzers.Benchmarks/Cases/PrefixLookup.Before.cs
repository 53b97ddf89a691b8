// Benchmark case for ALLOC021. PrefixLookup.Before.cs is the code as written; every other PrefixLookup.*.cs file is
// exactly what one code fix makes of it (checked by BenchmarkCasesTests, which says how to regenerate them).
using System;
using System.Collections.Concurrent;

namespace AllocAnalyzers.Benchmarks.Before;

internal sealed class HotPathAttribute : Attribute
{
}

public static class PrefixLookup
{
    /// <summary>Returns most names as they are; the cached ones go through a cache filled from a prefix.</summary>
    [HotPath]
    public static string Resolve(ConcurrentDictionary<string, string> cache, string name, string prefix, bool cached)
    {
        if (cached)
        {
            return cache.GetOrAdd(name, n => prefix + n);
        }

        return name;
    }

    /// <summary>Resolves every name, one in 16 through the cache, and sums the lengths.</summary>
    public static long Run(ConcurrentDictionary<string, string> cache, string[] names, string prefix)
    {
        long total = 0;
        for (var i = 0; i < names.Length; i++)
        {
            total += Resolve(cache, names[i], prefix, (i & 15) == 0).Length;
        }

        return total;
    }
}
