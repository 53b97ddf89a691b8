using System;
using System.IO;

namespace AllocAnalyzers.Benchmarks;

/// <summary>The benchmark inputs, from fixed seeds so every run measures the same work.</summary>
internal static class Workloads
{
    /// <summary>
    /// The ALLOC001 field report, scaled down to keep a run short: it read 20,000 chunks of 1–16 MiB; here 2,000 chunks
    /// of 1 KiB–1 MiB, so one operation still reads about 1 GiB through arrays of many different sizes.
    /// </summary>
    public static (MemoryStream Input, int[] ChunkSizes) Chunks()
    {
        var random = new Random(20_000);
        var data = new byte[2 << 20];
        random.NextBytes(data);
        var sizes = new int[2_000];
        for (var i = 0; i < sizes.Length; i++)
        {
            sizes[i] = random.Next(1 << 10, (1 << 20) + 1);
        }

        return (new MemoryStream(data, writable: false), sizes);
    }

    /// <summary>10,000 values of the whole range (or of the non-negative half), for the ALLOC002 cases.</summary>
    public static int[] Values(bool nonNegative)
    {
        var random = new Random(10_000);
        var values = new int[10_000];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = nonNegative ? random.Next() : random.Next(int.MinValue, int.MaxValue);
        }

        return values;
    }

    /// <summary>10,000 keys of 4 to 16 characters drawn from 1,000 distinct ones, for the ALLOC020 cache case.</summary>
    public static string[] Keys()
    {
        var random = new Random(30_000);
        var distinct = new string[1_000];
        for (var i = 0; i < distinct.Length; i++)
        {
            distinct[i] = new string('k', random.Next(1, 13)) + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var keys = new string[10_000];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = distinct[random.Next(distinct.Length)];
        }

        return keys;
    }

    /// <summary>10,000 order ids and prices, for the ALLOC030 formatting case.</summary>
    public static (int[] Ids, double[] Prices) Orders()
    {
        var random = new Random(30_000);
        var ids = new int[10_000];
        var prices = new double[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = random.Next(1, 10_000_000);
            prices[i] = random.Next(1, 1_000_000) / 100.0;
        }

        return (ids, prices);
    }

    /// <summary>10,000 values from 0 to 3 (seeded), for the equality and grid-walk cases.</summary>
    public static int[] SmallValues(int seed)
    {
        var random = new Random(seed);
        var values = new int[10_000];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = random.Next(0, 4);
        }

        return values;
    }

    /// <summary>Fails the run when a fixed version computes something else than the original on the benchmark's own input.</summary>
    public static void RequireSameResult<T>(string caseName, T before, params (string Fix, T Result)[] afters)
        where T : IEquatable<T>
    {
        foreach (var (fix, result) in afters)
        {
            if (!before.Equals(result))
            {
                throw new InvalidOperationException($"{caseName}: the '{fix}' version returns {result}, the original {before}.");
            }
        }

        // The checks allocated as much as the measured code does: start the measurements from a collected heap.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
