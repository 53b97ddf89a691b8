using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using AllocAnalyzers.AnalyzerOverhead;

// Usage: OverheadReport RESULTS_DIR — the folder measure.sh fills: machine.txt, and one folder per target with
// corpus.manifest, wall.tsv and <Mode>-<run>.log. Prints Markdown; exits 1 when a target is missed.
if (args.Length != 1 || !Directory.Exists(args[0]))
{
    Console.Error.WriteLine("usage: OverheadReport RESULTS_DIR");
    return 2;
}

var results = args[0];
var machine = ReadKeyValues(Path.Combine(results, "machine.txt"));
var targets = Directory.GetDirectories(results)
    .Where(d => File.Exists(Path.Combine(d, "wall.tsv")))
    .Select(Target.Read)
    .OrderBy(t => t.IsCorpus ? 0 : 1)
    .ThenBy(t => t.Lines)
    .ToList();

var text = new StringBuilder();
var missed = 0;
void Line(string line = "") => text.Append(line).Append('\n');
// A mode that was not built leaves NaN, printed as a dash.
string Ms(double seconds) => double.IsNaN(seconds) ? "–" : (seconds * 1000).ToString("N0", CultureInfo.InvariantCulture);
string Pct(double ratio) => double.IsNaN(ratio) ? "–" : (ratio * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%";
string Num(double value, string format) => double.IsNaN(value) ? "–" : value.ToString(format, CultureInfo.InvariantCulture);
string Verdict(bool pass)
{
    if (!pass)
    {
        missed++;
    }

    return pass ? "PASS" : "FAIL";
}

Line($"Machine: {machine.GetValueOrDefault("cores")} cores ({machine.GetValueOrDefault("cpu")}), {machine.GetValueOrDefault("os")}, " +
     $".NET SDK {machine.GetValueOrDefault("sdk")}, runtime {machine.GetValueOrDefault("runtime")}. " +
     $"Measured: {machine.GetValueOrDefault("source")}; {machine.GetValueOrDefault("runs")} runs per mode, medians; " +
     $"seed {machine.GetValueOrDefault("seed")}; {machine.GetValueOrDefault("date")}" +
     (machine.TryGetValue("wall", out var wall) ? $"; whole script {int.Parse(wall, CultureInfo.InvariantCulture) / 60} min {int.Parse(wall, CultureInfo.InvariantCulture) % 60} s." : "."));
Line();

// Table 1: AllocAnalyzers against the compiler.
Line("| Target | Lines | Compiler alone (Csc, ms) | AllocAnalyzers with peers (ms) | % of compiler | AllocAnalyzers alone (ms) | % of compiler | Csc added by AllocAnalyzers: alone / beside peers (ms) | Rules | ms per rule (with peers / alone) | Build wall, Baseline / Ours / All (s) |");
Line("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
foreach (var t in targets)
{
    var compiler = t.Median("Baseline", l => l.CscSeconds);
    var withPeers = t.Median("All", l => l.Group(Groups.Ours));
    var alone = t.Median("Ours", l => l.Group(Groups.Ours));
    var addedAlone = t.Median("Ours", l => l.CscSeconds) - compiler;
    var addedBesidePeers = t.Median("All", l => l.CscSeconds) - t.Median("Peers", l => l.CscSeconds);
    var rules = t.Rules(null, Groups.Ours);
    Line($"| {t.Name} | {t.Lines:N0} | {Ms(compiler)} | {Ms(withPeers)} | {Pct(withPeers / compiler)} | {Ms(alone)} | {Pct(alone / compiler)} | " +
         $"{Ms(addedAlone)} / {Ms(addedBesidePeers)} | {rules} | {Num(withPeers * 1000 / rules, "0.0")} / {Num(alone * 1000 / rules, "0.0")} | " +
         $"{Num(t.MedianWall("Baseline"), "0.0")} / {Num(t.MedianWall("Ours"), "0.0")} / {Num(t.MedianWall("All"), "0.0")} |");
}

Line();
Line("Per analyzer (median ms; % of the compiler alone):");
Line();
var ourTypes = targets.SelectMany(t => t.AnalyzerTypes(Groups.Ours)).Distinct()
    .OrderBy(n => targets.Select(t => t.IdsOf(Groups.Ours, n)).Max(), StringComparer.Ordinal).ToList();
Line("| Analyzer | " + string.Join(" | ", targets.Select(t => $"{t.Name}: with peers | alone")) + " |");
Line("|---|" + string.Concat(targets.Select(_ => "--:|--:|")));
foreach (var n in ourTypes)
{
    var cells = targets.Select(t =>
    {
        var compiler = t.Median("Baseline", l => l.CscSeconds);
        var withPeers = t.Median("All", l => l.AnalyzerSeconds(Groups.Ours, n));
        var alone = t.Median("Ours", l => l.AnalyzerSeconds(Groups.Ours, n));
        return $"{Ms(withPeers)} ({Pct(withPeers / compiler)}) | {Ms(alone)} ({Pct(alone / compiler)})";
    });
    Line($"| {targets.Select(t => t.IdsOf(Groups.Ours, n)).FirstOrDefault(i => i.Length > 0)} {Groups.ShortType(n)} | {string.Join(" | ", cells)} |");
}

Line();
foreach (var t in targets)
{
    Line($"Load average (1 min) when each measured build of {t.Name} ended: {t.LoadRange()}.");
}

// The spread behind the medians: one stalled build (a garbage collection, a thread waiting for a core) can charge a
// callback hundreds of milliseconds, and the fastest build is the closest to the analyzers' own work.
Line();
foreach (var t in targets)
{
    var spreads = new[] { "Ours", "DefaultsOurs", "All" }
        .Where(mode => t.Modes.Contains(mode))
        .Select(mode => $"{mode} {string.Join(", ", t.Each(mode, l => l.Group(Groups.Ours)).Order().Select(Ms))}");
    Line($"AllocAnalyzers' time in each measured build of {t.Name}, fastest first (ms): {string.Join("; ", spreads)}.");
}

// Table 2: the peers, in the All build.
Line();
Line("Beside the peers, in the same builds (All mode; rules = distinct diagnostic IDs of the analyzers the compiler ran, suppressors and Roslynator's FadeOut IDs left out):");
Line();
Line("| Target | Analyzers | Rules | Time (ms) | ms per rule |");
Line("|---|---|--:|--:|--:|");
foreach (var t in targets.Where(t => t.Logs("All").Count > 0))
{
    foreach (var group in Groups.Measured)
    {
        var time = t.Median("All", l => l.Group(group));
        var rules = t.Rules("All", group);
        Line($"| {t.Name} | {group} | {rules} | {Ms(time)} | {Num(time * 1000 / Math.Max(rules, 1), "0.00")} |");
    }

    var peerTime = Groups.Peers.Sum(g => t.Median("All", l => l.Group(g)));
    var peerRules = Groups.Peers.Sum(g => t.Rules("All", g));
    Line($"| {t.Name} | all three peers | {peerRules} | {Ms(peerTime)} | {Num(peerTime * 1000 / peerRules, "0.00")} |");
    Line($"| {t.Name} | (every analyzer, total) | | {Ms(t.Median("All", l => l.TotalAnalyzerSeconds))} | |");
}

// CPU time of the compiler server: what each build cost the machine, whatever else ran beside it.
if (targets.Any(t => !double.IsNaN(t.MedianCpu("Baseline"))))
{
    Line();
    Line("Compiler CPU time per build (the compiler server's user + system time, median s), and what AllocAnalyzers add to it:");
    Line();
    Line("| Target | Baseline | Ours | Defaults | DefaultsOurs | Peers | All | Added alone (Ours − Baseline) | Added beside the default analyzers (DefaultsOurs − Defaults) | Added beside the peers (All − Peers) |");
    Line("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
    foreach (var t in targets)
    {
        var b = t.MedianCpu("Baseline");
        string Added(string with, string without) => $"{Num(t.MedianCpu(with) - t.MedianCpu(without), "0.0")} s ({Pct((t.MedianCpu(with) - t.MedianCpu(without)) / b)})";
        Line($"| {t.Name} | {Num(b, "0.0")} | {Num(t.MedianCpu("Ours"), "0.0")} | {Num(t.MedianCpu("Defaults"), "0.0")} | {Num(t.MedianCpu("DefaultsOurs"), "0.0")} | " +
             $"{Num(t.MedianCpu("Peers"), "0.0")} | {Num(t.MedianCpu("All"), "0.0")} | {Added("Ours", "Baseline")} | {Added("DefaultsOurs", "Defaults")} | {Added("All", "Peers")} |");
    }
}

if (targets.Any(t => t.Logs("Defaults").Count > 0 && t.Logs("DefaultsOurs").Count > 0))
{
    Line();
    Line("Added to a project with the SDK's default analyzers (Defaults and DefaultsOurs modes):");
    Line();
    Line("| Target | Compiler alone (Csc, ms) | Csc with the default analyzers (ms) | Csc with them and AllocAnalyzers (ms) | Csc added by AllocAnalyzers (ms) | % of compiler | AllocAnalyzers' own time there (ms) | % of compiler |");
    Line("|---|--:|--:|--:|--:|--:|--:|--:|");
    foreach (var t in targets.Where(t => t.Logs("Defaults").Count > 0 && t.Logs("DefaultsOurs").Count > 0))
    {
        var compiler = t.Median("Baseline", l => l.CscSeconds);
        var defaults = t.Median("Defaults", l => l.CscSeconds);
        var withOurs = t.Median("DefaultsOurs", l => l.CscSeconds);
        var own = t.Median("DefaultsOurs", l => l.Group(Groups.Ours));
        Line($"| {t.Name} | {Ms(compiler)} | {Ms(defaults)} | {Ms(withOurs)} | {Ms(withOurs - defaults)} | {Pct((withOurs - defaults) / compiler)} | {Ms(own)} | {Pct(own / compiler)} |");
    }
}

var onlyModes = targets.SelectMany(t => t.Modes).Where(m => m.StartsWith("Only", StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal).ToList();
if (onlyModes.Count > 0)
{
    Line();
    Line("Each rule alone (OnlyNNN mode: AllocAnalyzers with its other rules set to none, which the compiler then does not run; no other analyzer):");
    Line();
    Line("| Target | Rule | Its analyzer's time (ms) | % of compiler | Csc added over Baseline (ms) | % | Compiler CPU added over Baseline (s) | % |");
    Line("|---|---|--:|--:|--:|--:|--:|--:|");
    foreach (var t in targets)
    {
        var compiler = t.Median("Baseline", l => l.CscSeconds);
        var cpu = t.MedianCpu("Baseline");
        foreach (var mode in onlyModes.Where(m => t.Logs(m).Count > 0))
        {
            var rule = "ALLOC" + mode[4..];
            var own = t.Median(mode, l => l.Analyzers.Values.Where(a => Groups.Of(a.Assembly) == Groups.Ours && a.Ids.Contains(rule)).Sum(a => a.Seconds));
            var csc = t.Median(mode, l => l.CscSeconds) - compiler;
            var addedCpu = t.MedianCpu(mode) - cpu;
            Line($"| {t.Name} | {rule} | {Ms(own)} | {Pct(own / compiler)} | {Ms(csc)} | {Pct(csc / compiler)} | {Num(addedCpu, "0.0")} | {Pct(addedCpu / cpu)} |");
        }
    }
}

// The seeded diagnostics: the analyzers ran and found what the corpus holds.
Line();
foreach (var t in targets.Where(t => t.Expected.Count > 0))
{
    var withOurs = new[] { "Ours", "All", "DefaultsOurs" }.Select(t.Logs).FirstOrDefault(l => l.Count > 0);
    if (withOurs is null)
    {
        continue;
    }

    var found = withOurs[0].AllocDiagnostics.GroupBy(d => d[(d.LastIndexOf(' ') + 1)..]).ToDictionary(g => g.Key, g => g.Count());
    Line($"Seeded diagnostics in {t.Name}: " + string.Join(", ", t.Expected.Select(e => $"{e.Key} {found.GetValueOrDefault(e.Key)} reported of {e.Value} seeded")) + ".");
}

// The targets.
Line();
Line("Targets (\"with peers\": the times of the All build, as the targets define them; \"alone\": the Ours build, where AllocAnalyzers pays alone for what the compiler computes for the first analyzer that asks):");
Line();
foreach (var t in targets)
{
    var compiler = t.Median("Baseline", l => l.CscSeconds);
    foreach (var (mode, label) in new[] { ("All", "with peers"), ("Ours", "alone"), ("DefaultsOurs", "beside the SDK's default analyzers") })
    {
        if (t.Logs(mode).Count == 0)
        {
            continue;
        }

        var total = t.Median(mode, l => l.Group(Groups.Ours));
        Line($"- {Verdict(total / compiler <= 0.03)} {t.Name}, {label}: AllocAnalyzers {Pct(total / compiler)} of the compiler's time (target ≤ 3%).");
        var worst = t.AnalyzerTypes(Groups.Ours)
            .Select(n => (Name: n, Seconds: t.Median(mode, l => l.AnalyzerSeconds(Groups.Ours, n))))
            .OrderByDescending(a => a.Seconds)
            .First();
        Line($"- {Verdict(worst.Seconds / compiler <= 0.01)} {t.Name}, {label}: slowest analyzer {Groups.ShortType(worst.Name)} {Pct(worst.Seconds / compiler)} (target ≤ 1% each).");
    }

    if (t.Logs("All").Count == 0)
    {
        continue;
    }

    var ours = t.Median("All", l => l.Group(Groups.Ours)) / t.Rules("All", Groups.Ours);
    var peers = Groups.Peers.Sum(g => t.Median("All", l => l.Group(g))) / Groups.Peers.Sum(g => t.Rules("All", g));
    Line($"- {Verdict(ours < peers)} {t.Name}: {Num(ours * 1000, "0.00")} ms per AllocAnalyzers rule against {Num(peers * 1000, "0.00")} ms per peer rule (target: below).");
}

var corpora = targets.Where(t => t.IsCorpus).ToList();
for (var i = 0; i < corpora.Count; i++)
{
    for (var j = i + 1; j < corpora.Count; j++)
    {
        var (small, large) = (corpora[i], corpora[j]);
        var lineRatio = (double)large.Lines / small.Lines;
        if (lineRatio < 2)
        {
            continue;
        }

        foreach (var (mode, label) in new[] { ("All", "with peers"), ("Ours", "alone"), ("DefaultsOurs", "beside the SDK's default analyzers") })
        {
            if (small.Logs(mode).Count == 0 || large.Logs(mode).Count == 0)
            {
                continue;
            }

            var timeRatio = large.Median(mode, l => l.Group(Groups.Ours)) / small.Median(mode, l => l.Group(Groups.Ours));
            var compilerRatio = large.Median("Baseline", l => l.CscSeconds) / small.Median("Baseline", l => l.CscSeconds);
            Line($"- {Verdict(timeRatio <= 1.1 * lineRatio)} linear, {label}: {Num(lineRatio, "0.00")}× the lines ({small.Name} → {large.Name}) took {Num(timeRatio, "0.00")}× the AllocAnalyzers time " +
                 $"(target ≤ {Num(1.1 * lineRatio, "0.00")}×); the compiler alone took {Num(compilerRatio, "0.00")}×, so AllocAnalyzers' share of the compiler's time went {Num(timeRatio / compilerRatio, "0.00")}×.");
        }
    }
}

Console.Write(text.ToString());
return missed == 0 ? 0 : 1;

static Dictionary<string, string> ReadKeyValues(string path) =>
    File.Exists(path)
        ? File.ReadAllLines(path).Where(l => l.Contains('=')).ToDictionary(l => l[..l.IndexOf('=')], l => l[(l.IndexOf('=') + 1)..])
        : new Dictionary<string, string>();

/// <summary>Which analyzer assemblies make up each measured set.</summary>
internal static class Groups
{
    public const string Ours = "AllocAnalyzers";
    public const string NetAnalyzers = "NetAnalyzers (SDK)";
    public const string Meziantou = "Meziantou.Analyzer";
    public const string Roslynator = "Roslynator";

    public static readonly string[] Peers = [NetAnalyzers, Meziantou, Roslynator];

    public static readonly string[] Measured = [Ours, NetAnalyzers, Meziantou, Roslynator];

    public static string? Of(string assembly) => assembly switch
    {
        "AllocAnalyzers" => Ours,
        "Microsoft.CodeAnalysis.NetAnalyzers" or "Microsoft.CodeAnalysis.CSharp.NetAnalyzers" => NetAnalyzers,
        "Meziantou.Analyzer" => Meziantou,
        _ when assembly.StartsWith("Roslynator", StringComparison.Ordinal) => Roslynator,
        _ => null,
    };

    public static string ShortType(string type) => type[(type.LastIndexOf('.') + 1)..];

    /// <summary>The IDs that count as rules: not a suppressor's, not Roslynator's fade-out companions.</summary>
    public static IEnumerable<string> RuleIds(AnalyzerTime analyzer) =>
        analyzer.Type.Contains("Suppressor", StringComparison.Ordinal)
            ? []
            : analyzer.Ids.Where(id => !id.EndsWith("FadeOut", StringComparison.Ordinal));

    public static double Group(this BuildLog log, string group) =>
        log.Assemblies.Where(a => Of(a.Key) == group).Sum(a => a.Value);

    public static double AnalyzerSeconds(this BuildLog log, string group, string type) =>
        log.Analyzers.Values.Where(a => Of(a.Assembly) == group && a.Type == type).Sum(a => a.Seconds);
}

/// <summary>One measured target: a corpus size or the repository's sources, with its logs per mode.</summary>
internal sealed class Target
{
    private readonly Dictionary<string, List<BuildLog>> _logs = new(StringComparer.Ordinal);
    private readonly List<(string Mode, double Seconds, double Load, double CpuSeconds)> _walls = new();

    private Target(string name) => Name = name;

    public string Name { get; }

    public bool IsCorpus => Name.StartsWith("corpus-", StringComparison.Ordinal);

    public int Lines { get; private set; }

    public Dictionary<string, int> Expected { get; } = new(StringComparer.Ordinal);

    public static Target Read(string directory)
    {
        var target = new Target(Path.GetFileName(directory));
        var manifest = Path.Combine(directory, "corpus.manifest");
        if (File.Exists(manifest))
        {
            foreach (var line in File.ReadAllLines(manifest))
            {
                var parts = line.Split('=', 2);
                if (parts[0] == "lines")
                {
                    target.Lines = int.Parse(parts[1], CultureInfo.InvariantCulture);
                }
                else if (parts[0].StartsWith("expected.", StringComparison.Ordinal))
                {
                    target.Expected[parts[0]["expected.".Length..]] = int.Parse(parts[1], CultureInfo.InvariantCulture);
                }
            }
        }

        foreach (var file in Directory.GetFiles(directory, "*-*.log").Order(StringComparer.Ordinal))
        {
            var mode = Path.GetFileNameWithoutExtension(file).Split('-')[0];
            if (mode is "Baseline" or "Ours" or "Peers" or "All" or "Defaults" or "DefaultsOurs" || (mode.Length == 7 && mode.StartsWith("Only", StringComparison.Ordinal) && mode[4..].All(char.IsAsciiDigit)))
            {
                (target._logs.TryGetValue(mode, out var list) ? list : target._logs[mode] = new List<BuildLog>()).Add(BuildLog.Read(file));
            }
        }

        foreach (var line in File.ReadAllLines(Path.Combine(directory, "wall.tsv")).Skip(1))
        {
            var parts = line.Split('\t');
            // Warm-up builds are runs 0 (one build, before --warmup) and -1, -2, …: not measured.
            if (parts.Length >= 4 && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var run) && run > 0)
            {
                var cpu = parts.Length >= 5 && double.TryParse(parts[4], CultureInfo.InvariantCulture, out var ms) ? ms / 1000 : double.NaN;
                target._walls.Add((parts[0], double.Parse(parts[2], CultureInfo.InvariantCulture) / 1000, double.Parse(parts[3], CultureInfo.InvariantCulture), cpu));
            }
        }

        return target;
    }

    public IEnumerable<string> Modes => _logs.Keys;

    public IReadOnlyList<BuildLog> Logs(string mode) => _logs.TryGetValue(mode, out var logs) ? logs : [];

    public double Median(string mode, Func<BuildLog, double> measure) => MedianOf(Logs(mode).Select(measure));

    /// <summary>The measure of every measured build of <paramref name="mode"/>.</summary>
    public IEnumerable<double> Each(string mode, Func<BuildLog, double> measure) => Logs(mode).Select(measure);

    public double MedianWall(string mode) => MedianOf(_walls.Where(w => w.Mode == mode).Select(w => w.Seconds));

    /// <summary>Median CPU time of the compiler server over the builds of <paramref name="mode"/>.</summary>
    public double MedianCpu(string mode) => MedianOf(_walls.Where(w => w.Mode == mode && !double.IsNaN(w.CpuSeconds)).Select(w => w.CpuSeconds));

    public string LoadRange() =>
        _walls.Count == 0
            ? "not recorded"
            : string.Create(CultureInfo.InvariantCulture, $"{_walls.Min(w => w.Load):0.0} to {_walls.Max(w => w.Load):0.0}, median {MedianOf(_walls.Select(w => w.Load)):0.0}");

    /// <summary>The diagnostic IDs of one analyzer type, as the listing gives them.</summary>
    public string IdsOf(string group, string type) =>
        string.Join("/", _logs.Values.SelectMany(l => l).SelectMany(l => l.Analyzers.Values)
            .Where(a => Groups.Of(a.Assembly) == group && a.Type == type).SelectMany(a => a.Ids).Distinct().Order(StringComparer.Ordinal));

    /// <summary>Rules of <paramref name="group"/> in the builds of <paramref name="mode"/>, or of every mode when null.</summary>
    public int Rules(string? mode, string group) =>
        (mode is null ? _logs.Values.SelectMany(l => l) : Logs(mode)).SelectMany(l => l.Analyzers.Values).Where(a => Groups.Of(a.Assembly) == group).SelectMany(Groups.RuleIds).Distinct().Count();

    public IEnumerable<string> AnalyzerTypes(string group) =>
        _logs.Values.SelectMany(l => l).SelectMany(l => l.Analyzers.Values).Where(a => Groups.Of(a.Assembly) == group).Select(a => a.Type).Distinct();

    private static double MedianOf(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
