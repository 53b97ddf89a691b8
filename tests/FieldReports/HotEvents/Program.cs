using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using FieldReports;

namespace FieldReports.HotEvents;

/// <summary>
/// The hot event path of the field reports: a service turns every click it receives into a line of its activity log.
/// Per event it looks the user's display name up in a cache through a capturing lambda, formats the line with
/// <c>AppendFormat</c> (each number boxed to <c>object</c>) and scores the event through an interface-typed parameter
/// (the struct boxed again). Nothing of this outlives the event, yet every event leaves garbage behind. The program
/// prints the managed bytes allocated per event, next to the usual measurements.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        var events = 500_000;
        string? samplesPath = null;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--size":
                    events = args[i + 1] == "full" ? 10_000_000 : 500_000;
                    break;
                case "--samples":
                    samplesPath = args[i + 1];
                    break;
                default:
                    Console.Error.WriteLine("usage: HotEvents [--size small|full] [--samples FILE.csv]");
                    return 2;
            }
        }

        var clicks = Generate(events, seed: 30_000);
        var log = new ActivityLog();
        log.Process(clicks, 0, 1_000); // warm up: the JIT, the name cache, the builder's chunks

        var monitor = new MemoryMonitor();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        log.Process(clicks, 1_000, clicks.Length);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"allocated_per_event_bytes: {allocated / (double)(clicks.Length - 1_000):F1}"));
        monitor.Report(Console.Out, string.Create(CultureInfo.InvariantCulture,
            $"{clicks.Length} events, {log.Lines} lines, {log.Characters} characters, score {log.Score}, checksum {log.Checksum:x16}"), samplesPath);
        return 0;
    }

    private static Click[] Generate(int count, int seed)
    {
        var random = new Random(seed);
        var clicks = new Click[count];
        for (var i = 0; i < clicks.Length; i++)
        {
            clicks[i] = new Click(random.Next(0, 2_000), random.Next(0, 1_920), random.Next(0, 1_080));
        }

        return clicks;
    }
}

internal interface IEvent
{
    int User { get; }

    int Weight { get; }
}

internal readonly struct Click : IEvent
{
    public Click(int user, int x, int y)
    {
        User = user;
        X = x;
        Y = y;
    }

    public int User { get; }

    public int X { get; }

    public int Y { get; }

    public int Weight => (X + Y) % 17;
}

/// <summary>Turns clicks into lines of an activity log, flushed every 64 KiB of text.</summary>
internal sealed class ActivityLog
{
    private readonly ConcurrentDictionary<int, string> _names = new();
    private readonly StringBuilder _buffer = new(80 * 1024);

    public long Lines { get; private set; }

    public long Characters { get; private set; }

    public long Score { get; private set; }

    public ulong Checksum { get; private set; }

    public void Process(Click[] clicks, int start, int end)
    {
        var prefix = "user-";
        for (var i = start; i < end; i++)
        {
            var click = clicks[i];
            var name = _names.GetOrAdd(click.User, id => prefix + id.ToString(CultureInfo.InvariantCulture));
            _buffer.AppendFormat(CultureInfo.InvariantCulture, "{0} clicked at {1},{2}", name, click.X, click.Y).Append('\n');
            Score += Rate(click);
            Lines++;
            if (_buffer.Length >= 64 * 1024)
            {
                Flush();
            }
        }

        Flush();
    }

    private static int Rate(IEvent e) => e.Weight * 3 + e.User % 7;

    private void Flush()
    {
        Characters += _buffer.Length;
        foreach (var chunk in _buffer.GetChunks())
        {
            foreach (var c in chunk.Span)
            {
                Checksum = (Checksum ^ c) * 1099511628211UL;
            }
        }

        _buffer.Clear();
    }
}
