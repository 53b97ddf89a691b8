using System;
using System.Diagnostics;
using System.Globalization;

namespace CacheRetention;

/// <summary>
/// Fills each cache of Cases/ with a million entries, empties it (Reset, or one eviction per entry) and reports the heap
/// it still holds, with GC.GetTotalMemory(true) after a full collection; the code before each fix against the code the
/// fixer produces from it.
/// </summary>
public static class Program
{
    private const string Value = "cached";

    public static void Main(string[] args)
    {
        var entries = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
        Console.WriteLine($"{entries:N0} entries, .NET {Environment.Version}, {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC");
        Console.WriteLine();
        Console.WriteLine("| Case | Code | Filled (MB) | After emptying (MB) | Emptying took (ms) |");
        Console.WriteLine("|---|---|--:|--:|--:|");

        Measure("Dictionary, Clear()", "Before", entries,
            () => new Before.UserCache(), (c, i) => c.Add(i, Value), (c, n) => c.Reset(), c => c.Count);
        Measure("", "Trim after clearing", entries,
            () => new AfterTrimAfterClear.UserCache(), (c, i) => c.Add(i, Value), (c, n) => c.Reset(), c => c.Count);
        Measure("", "Rebuild the collection", entries,
            () => new AfterRebuildCollection.UserCache(), (c, i) => c.Add(i, Value), (c, n) => c.Reset(), c => c.Count);

        Measure("Dictionary, Remove() per entry", "Before", entries,
            () => new Before.SessionCache(), (c, i) => c.Open(i, Value), EvictAll<Before.SessionCache>((c, i) => c.Close(i)), c => c.Count);
        Measure("", "Shrink periodically after removals", entries,
            () => new AfterShrinkAfterRemovals.SessionCache(), (c, i) => c.Open(i, Value), EvictAll<AfterShrinkAfterRemovals.SessionCache>((c, i) => c.Close(i)), c => c.Count);

        Measure("ConcurrentDictionary, TryRemove() per entry, under one lock", "Before", entries,
            () => new Before.BlobCache(), (c, i) => c.Put(i, Value), EvictAll<Before.BlobCache>((c, i) => c.Evict(i)), c => c.Count);
        Measure("", "Shrink periodically after removals", entries,
            () => new AfterShrinkAfterRemovals.BlobCache(), (c, i) => c.Put(i, Value), EvictAll<AfterShrinkAfterRemovals.BlobCache>((c, i) => c.Evict(i)), c => c.Count);
    }

    private static Action<T, int> EvictAll<T>(Action<T, int> evict) => (cache, entries) =>
    {
        // Evicted in an order unrelated to insertion, as expirations come.
        for (var i = 0; i < entries; i++)
        {
            evict(cache, (int)((i * 7919L) % entries));
        }
    };

    private static void Measure<T>(string caseName, string code, int entries, Func<T> create, Action<T, int> fill, Action<T, int> empty, Func<T, int> count)
    {
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var cache = create();
        for (var i = 0; i < entries; i++)
        {
            fill(cache, i);
        }

        var filled = GC.GetTotalMemory(forceFullCollection: true) - baseline;
        var clock = Stopwatch.StartNew();
        empty(cache, entries);
        clock.Stop();
        var after = GC.GetTotalMemory(forceFullCollection: true) - baseline;
        if (count(cache) != 0)
        {
            throw new InvalidOperationException($"{code}: {count(cache)} entries left.");
        }

        GC.KeepAlive(cache);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {caseName} | {code} | {Megabytes(filled)} | {Megabytes(after)} | {clock.Elapsed.TotalMilliseconds:F0} |"));
    }

    // A few KB either side of the baseline is the runtime's own noise: shown as 0.00, not -0.00.
    private static string Megabytes(long bytes) => Math.Max(0, bytes / 1048576.0).ToString("F2", CultureInfo.InvariantCulture);
}
