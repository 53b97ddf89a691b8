using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;

namespace FieldReports;

/// <summary>
/// What a field report measures while its workload runs: working set, managed heap and fragmentation sampled every
/// few milliseconds on a thread of its own, then peak working set, GC counts per generation, GC pause time and
/// elapsed time. Compiled into every report (linked from tests/FieldReports/Shared), so the "before" and "after"
/// programs are measured the same way.
/// </summary>
public sealed class MemoryMonitor : IDisposable
{
    private readonly List<Sample> _samples = new(capacity: 4096);
    private readonly Stopwatch _elapsed = Stopwatch.StartNew();
    private readonly Thread _sampler;
    private readonly int _intervalMilliseconds;
    private readonly int[] _collectionsAtStart = { GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2) };
    private readonly TimeSpan _pauseAtStart = GC.GetTotalPauseDuration();
    private volatile bool _stopping;
    private TimeSpan _stoppedAt;

    public MemoryMonitor(int intervalMilliseconds = 10)
    {
        _intervalMilliseconds = intervalMilliseconds;
        _sampler = new Thread(SampleUntilStopped) { IsBackground = true, Name = "MemoryMonitor", Priority = ThreadPriority.AboveNormal };
        _sampler.Start();
    }

    private readonly record struct Sample(double Seconds, long WorkingSet, long HeapSize, long FragmentedBytes);

    /// <summary>Stops sampling; the elapsed time ends here.</summary>
    public void Dispose()
    {
        if (!_stopping)
        {
            _stoppedAt = _elapsed.Elapsed;
            _stopping = true;
            _sampler.Join();
            TakeSample();
        }
    }

    /// <summary>
    /// Prints the measurements as <c>key: value</c> lines (the field reports' compare step reads them) and the samples
    /// as CSV to <paramref name="samplesPath"/> when given.
    /// </summary>
    public void Report(TextWriter output, string result, string? samplesPath)
    {
        Dispose();
        using var process = Process.GetCurrentProcess();
        var peakWorkingSet = process.PeakWorkingSet64;
        long maxFragmented = 0;
        double sumFragmented = 0;
        foreach (var sample in _samples)
        {
            maxFragmented = Math.Max(maxFragmented, sample.FragmentedBytes);
            sumFragmented += sample.FragmentedBytes;
        }

        var gen0 = GC.CollectionCount(0) - _collectionsAtStart[0];
        var gen1 = GC.CollectionCount(1) - _collectionsAtStart[1];
        var gen2 = GC.CollectionCount(2) - _collectionsAtStart[2];
        var pause = GC.GetTotalPauseDuration() - _pauseAtStart;
        var meanFragmented = _samples.Count == 0 ? 0 : sumFragmented / _samples.Count;
        var info = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(info, $"result: {result}"));
        output.WriteLine(string.Create(info, $"elapsed_ms: {_stoppedAt.TotalMilliseconds:F0}"));
        output.WriteLine(string.Create(info, $"peak_working_set_bytes: {peakWorkingSet}"));
        output.WriteLine(string.Create(info, $"gc_gen0: {gen0}"));
        output.WriteLine(string.Create(info, $"gc_gen1: {gen1}"));
        output.WriteLine(string.Create(info, $"gc_gen2: {gen2}"));
        output.WriteLine(string.Create(info, $"gc_pause_ms: {pause.TotalMilliseconds:F1}"));
        output.WriteLine(string.Create(info, $"fragmented_max_bytes: {maxFragmented}"));
        output.WriteLine(string.Create(info, $"fragmented_mean_bytes: {meanFragmented:F0}"));
        output.WriteLine(string.Create(info, $"samples: {_samples.Count}"));
        output.WriteLine(string.Create(info,
            $"summary: {_stoppedAt.TotalSeconds:F2} s, peak working set {peakWorkingSet / 1048576.0:F0} MiB, GCs {gen0}/{gen1}/{gen2} (gen0/1/2), pause {pause.TotalMilliseconds:F0} ms, fragmented up to {maxFragmented / 1048576.0:F0} MiB, result {result}"));

        if (samplesPath is not null)
        {
            var csv = new StringBuilder("seconds,working_set_bytes,heap_size_bytes,fragmented_bytes\n");
            foreach (var sample in _samples)
            {
                csv.Append(info, $"{sample.Seconds:F3},{sample.WorkingSet},{sample.HeapSize},{sample.FragmentedBytes}\n");
            }

            File.WriteAllText(samplesPath, csv.ToString());
        }
    }

    private void SampleUntilStopped()
    {
        while (!_stopping)
        {
            TakeSample();
            Thread.Sleep(_intervalMilliseconds);
        }
    }

    private void TakeSample()
    {
        var info = GC.GetGCMemoryInfo();
        var sample = new Sample(_elapsed.Elapsed.TotalSeconds, Environment.WorkingSet, info.HeapSizeBytes, info.FragmentedBytes);
        lock (_samples)
        {
            _samples.Add(sample);
        }
    }
}
