using System;
using System.Collections.Generic;
using System.Globalization;
using FieldReports;

namespace FieldReports.PromotionDay;

/// <summary>
/// The promotion-day cache of the field report: a service caches user data in dictionaries held by fields; a promotion
/// day fills them with a million entries; afterwards one cache is cleared and the other loses its entries one by one
/// as they are evicted, but memory stays high for days, because a hash table keeps its buckets and entries when it is
/// emptied. The program prints the managed heap each cache still holds once it is empty (after a full, compacting
/// collection), next to the usual measurements.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        var users = 1_000_000;
        string? samplesPath = null;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--size":
                    users = args[i + 1] == "full" ? 4_000_000 : 1_000_000;
                    break;
                case "--samples":
                    samplesPath = args[i + 1];
                    break;
                default:
                    Console.Error.WriteLine("usage: PromotionDay [--size small|full] [--samples FILE.csv]");
                    return 2;
            }
        }

        var monitor = new MemoryMonitor();
        var baseline = Heap();

        // Cleared at the end of the day.
        var sessions = new SessionCache();
        for (var user = 0; user < users; user++)
        {
            sessions.Store(user, "session-" + user.ToString(CultureInfo.InvariantCulture));
        }

        var servedBySessions = sessions.Count;
        sessions.EndOfDay();
        var afterClear = Heap();
        var retainedAfterClear = afterClear - baseline;

        // Evicted entry by entry as the users leave.
        var profiles = new ProfileCache();
        for (var user = 0; user < users; user++)
        {
            profiles.Store(user, user * 7L);
        }

        var servedByProfiles = profiles.Count;
        long checksum = 0;
        for (var user = 0; user < users; user++)
        {
            checksum += profiles.Evict(user);
        }

        var retainedAfterEviction = Heap() - afterClear;

        GC.KeepAlive(sessions);
        GC.KeepAlive(profiles);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"retained_after_clear_bytes: {Math.Max(0, retainedAfterClear)}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"retained_after_eviction_bytes: {Math.Max(0, retainedAfterEviction)}"));
        monitor.Report(Console.Out, string.Create(CultureInfo.InvariantCulture,
            $"{servedBySessions} sessions and {servedByProfiles} profiles cached, {sessions.Count + profiles.Count} left, checksum {checksum}"), samplesPath);
        return 0;
    }

    /// <summary>The managed heap in use after a full, compacting collection.</summary>
    private static long Heap()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}

/// <summary>Sessions of the day, dropped all at once at its end.</summary>
internal sealed class SessionCache
{
    private readonly Dictionary<int, string> _sessions = new();

    public int Count => _sessions.Count;

    public void Store(int user, string session) => _sessions[user] = session;

    public void EndOfDay()
    {
        _sessions.Clear();
    }
}

/// <summary>User profiles, evicted one by one as users leave.</summary>
internal sealed class ProfileCache
{
    private readonly Dictionary<int, long> _profiles = new();

    public int Count => _profiles.Count;

    public void Store(int user, long profile) => _profiles[user] = profile;

    public long Evict(int user)
    {
        _profiles.TryGetValue(user, out var profile);
        _profiles.Remove(user);
        return profile;
    }
}
