using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.RegularExpressions;

namespace AllocAnalyzers.AnalyzerOverhead;

/// <summary>One analyzer type of the compiler's ReportAnalyzer listing: its assembly, its time, its diagnostic IDs.</summary>
internal sealed record AnalyzerTime(string Assembly, string Type, double Seconds, IReadOnlyList<string> Ids);

/// <summary>
/// What one `dotnet build -p:ReportAnalyzer=true -v:detailed -clp:PerformanceSummary` log says: the Csc task's time,
/// the analyzer times of every compilation in it (summed when the build compiles several projects), and the
/// ALLOC warnings it printed.
/// </summary>
internal sealed partial class BuildLog
{
    public double CscSeconds { get; private set; }

    public int Compilations { get; private set; }

    public double TotalAnalyzerSeconds { get; private set; }

    /// <summary>Analyzer time per assembly simple name.</summary>
    public Dictionary<string, double> Assemblies { get; } = new(StringComparer.Ordinal);

    /// <summary>Per analyzer type ("Assembly|Type").</summary>
    public Dictionary<string, AnalyzerTime> Analyzers { get; } = new(StringComparer.Ordinal);

    /// <summary>Distinct "file(line,col) ID" of the ALLOC warnings.</summary>
    public HashSet<string> AllocDiagnostics { get; } = new(StringComparer.Ordinal);

    public static BuildLog Read(string path)
    {
        var log = new BuildLog();
        var inAnalyzerListing = false;
        string? assembly = null;
        foreach (var line in File.ReadLines(path))
        {
            if (CscTaskTime().Match(line) is { Success: true } csc)
            {
                log.CscSeconds += double.Parse(csc.Groups["ms"].Value, CultureInfo.InvariantCulture) / 1000;
                continue;
            }

            if (AllocWarning().Match(line) is { Success: true } warning)
            {
                log.AllocDiagnostics.Add(warning.Groups["at"].Value + " " + warning.Groups["id"].Value);
                continue;
            }

            if (TotalAnalyzerTime().Match(line) is { Success: true } total)
            {
                log.TotalAnalyzerSeconds += double.Parse(total.Groups["s"].Value, CultureInfo.InvariantCulture);
                log.Compilations++;
                inAnalyzerListing = true;
                assembly = null;
                continue;
            }

            if (!inAnalyzerListing)
            {
                continue;
            }

            // The generators' listing that follows has the same shape; it is not analyzer time.
            if (line.Contains("Total generator execution time", StringComparison.Ordinal) ||
                line.Contains("Done executing task", StringComparison.Ordinal))
            {
                inAnalyzerListing = false;
                continue;
            }

            if (ListingEntry().Match(line) is not { Success: true } entry)
            {
                continue;
            }

            var seconds = ParseSeconds(entry.Groups["s"].Value);
            var name = entry.Groups["name"].Value.Trim();
            if (name.Contains(", Version=", StringComparison.Ordinal))
            {
                assembly = name[..name.IndexOf(',', StringComparison.Ordinal)];
                log.Assemblies[assembly] = log.Assemblies.GetValueOrDefault(assembly) + seconds;
            }
            else if (assembly is not null)
            {
                var ids = Array.Empty<string>();
                var open = name.LastIndexOf(" (", StringComparison.Ordinal);
                if (open > 0 && name.EndsWith(')'))
                {
                    ids = name[(open + 2)..^1].Split(", ", StringSplitOptions.RemoveEmptyEntries);
                    name = name[..open];
                }

                var key = assembly + "|" + name;
                var seen = log.Analyzers.GetValueOrDefault(key);
                log.Analyzers[key] = new AnalyzerTime(assembly, name, (seen?.Seconds ?? 0) + seconds, ids);
            }
        }

        return log;
    }

    // "<0.001" is below the listing's resolution: counted as half of it.
    private static double ParseSeconds(string text) =>
        text.StartsWith('<') ? 0.0005 : double.Parse(text, CultureInfo.InvariantCulture);

    // "     3194 ms  Csc                                        1 calls" in the task performance summary.
    [GeneratedRegex(@"^\s*(?<ms>\d+) ms\s+Csc\s+\d+ calls\s*$")]
    private static partial Regex CscTaskTime();

    [GeneratedRegex(@"Total analyzer execution time: (?<s>[\d.]+) seconds")]
    private static partial Regex TotalAnalyzerTime();

    // "   0.554   55   Assembly, Version=…" or "   0.149   14      Namespace.Type (CA1062)".
    [GeneratedRegex(@"^\s*(?<s><?\d+\.\d+)\s+<?\d+\s+(?<name>\S.*)$")]
    private static partial Regex ListingEntry();

    [GeneratedRegex(@"(?<at>[^\s:]+\.cs\(\d+,\d+\)): warning (?<id>ALLOC\d+)")]
    private static partial Regex AllocWarning();
}
