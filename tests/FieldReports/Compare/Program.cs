using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

// Compare TITLE BEFORE.txt BEFORE.csv AFTER.txt AFTER.csv OUT.svg
// The .txt files are the reports' "key: value" output (MemoryMonitor.Report), the .csv files their samples.
// Prints a Markdown table and a one-line summary; exits 1 when the two runs' results differ (a fix changed behaviour).
if (args.Length != 6)
{
    Console.Error.WriteLine("usage: Compare TITLE BEFORE.txt BEFORE.csv AFTER.txt AFTER.csv OUT.svg");
    return 2;
}

var title = args[0];
var before = Run.Read(args[1], args[2]);
var after = Run.Read(args[3], args[4]);
File.WriteAllText(args[5], Chart.Write(title, before, after));

var rows = new (string Name, Func<Run, string> Show, Func<Run, double>? Value)[]
{
    ("Elapsed", r => $"{r.Number("elapsed_ms") / 1000:F2} s", r => r.Number("elapsed_ms")),
    ("Peak working set", r => $"{r.Number("peak_working_set_bytes") / 1048576:N0} MiB", r => r.Number("peak_working_set_bytes")),
    ("GC count gen0 / gen1 / gen2", r => $"{r.Number("gc_gen0"):F0} / {r.Number("gc_gen1"):F0} / {r.Number("gc_gen2"):F0}", null),
    ("GC pause time", r => $"{r.Number("gc_pause_ms"):N0} ms", r => r.Number("gc_pause_ms")),
    ("Fragmented bytes, max sampled", r => $"{r.Number("fragmented_max_bytes") / 1048576:N1} MiB", r => r.Number("fragmented_max_bytes")),
    ("Fragmented bytes, mean sampled", r => $"{r.Number("fragmented_mean_bytes") / 1048576:N1} MiB", r => r.Number("fragmented_mean_bytes")),
};

var output = new StringBuilder();
output.AppendLine(CultureInfo.InvariantCulture, $"| {title} | Before | After | Before ÷ after |");
output.AppendLine("|---|--:|--:|--:|");
foreach (var (name, show, value) in rows)
{
    var ratio = value is null ? "" : Ratio(value(before), value(after));
    output.Append("| ").Append(name).Append(" | ").Append(show(before)).Append(" | ").Append(show(after)).Append(" | ").Append(ratio).AppendLine(" |");
}

// Reports about memory kept after the work (the promotion-day cache) or allocated per unit of work (the hot event path)
// print it as retained_<what>_bytes or allocated_<what>_bytes.
var extra = new List<string>();
foreach (var key in before.Keys.Where(k => (k.StartsWith("retained_", StringComparison.Ordinal) || k.StartsWith("allocated_", StringComparison.Ordinal)) &&
                                           k.EndsWith("_bytes", StringComparison.Ordinal)))
{
    var what = key[..^"_bytes".Length].Replace('_', ' ');
    var (b, a) = (before.Number(key), after.Number(key));
    output.AppendLine(CultureInfo.InvariantCulture, $"| Managed heap {what} | {Bytes(b)} | {Bytes(a)} | {Ratio(b, a)} |");
    extra.Add(string.Create(CultureInfo.InvariantCulture, $"{what} {Bytes(b)} → {Bytes(a)} ({(b <= 0 ? 100 : a / b * 100):F2}% of before)"));
}

var sameResult = before.Text("result") == after.Text("result");
output.AppendLine();
output.AppendLine(CultureInfo.InvariantCulture, $"result before: {before.Text("result")}");
output.AppendLine(CultureInfo.InvariantCulture, $"result after:  {after.Text("result")}");
var peakRatio = Ratio(before.Number("peak_working_set_bytes"), after.Number("peak_working_set_bytes"));
var speedRatio = Ratio(before.Number("elapsed_ms"), after.Number("elapsed_ms"));
var pauseRatio = Ratio(before.Number("gc_pause_ms"), after.Number("gc_pause_ms"));
output.AppendLine(CultureInfo.InvariantCulture,
    $"summary: {title}: {string.Concat(extra.Select(r => r + ", "))}peak working set {peakRatio} lower, {speedRatio} faster, GC pause {pauseRatio} shorter; {(sameResult ? "same result" : "RESULTS DIFFER")}");
Console.Write(output.ToString());
return sameResult ? 0 : 1;

static string Bytes(double bytes) =>
    bytes >= 1048576 ? string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576:N1} MiB") :
    bytes >= 10240 ? string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024:N1} KiB") :
    string.Create(CultureInfo.InvariantCulture, $"{bytes:N0} B");

static string Ratio(double before, double after) =>
    after <= 0 ? (before <= 0 ? "1.0×" : "∞") : string.Create(CultureInfo.InvariantCulture, $"{before / after:F1}×");

/// <summary>One run of a report: its key/value output and its samples.</summary>
internal sealed class Run
{
    private readonly Dictionary<string, string> _values;

    private Run(Dictionary<string, string> values, IReadOnlyList<(double Seconds, double WorkingSet, double Heap)> samples)
    {
        _values = values;
        Samples = samples;
    }

    public IReadOnlyList<(double Seconds, double WorkingSet, double Heap)> Samples { get; }

    public static Run Read(string reportPath, string samplesPath)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(reportPath))
        {
            var colon = line.IndexOf(": ", StringComparison.Ordinal);
            if (colon > 0)
            {
                values[line[..colon]] = line[(colon + 2)..];
            }
        }

        var samples = File.ReadLines(samplesPath).Skip(1).Where(l => l.Length > 0).Select(l =>
        {
            var parts = l.Split(',');
            return (double.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture), double.Parse(parts[2], CultureInfo.InvariantCulture));
        }).ToList();
        return new Run(values, samples);
    }

    public IEnumerable<string> Keys => _values.Keys;

    public string Text(string key) => _values.TryGetValue(key, out var value) ? value : throw new InvalidDataException($"The report has no '{key}'.");

    public double Number(string key) => double.Parse(Text(key), CultureInfo.InvariantCulture);
}

/// <summary>An SVG line chart of working set (solid) and managed heap (dashed) over time, before in red and after in blue.</summary>
internal static class Chart
{
    private const double Width = 720, Height = 340, Left = 64, Right = 16, Top = 40, Bottom = 48;
    private const string BeforeColor = "#c0392b", AfterColor = "#2e6fbd";

    public static string Write(string title, Run before, Run after)
    {
        var maxSeconds = NiceCeiling(Math.Max(Last(before), Last(after)));
        var maxMiB = NiceCeiling(Math.Max(MaxMiB(before), MaxMiB(after)));
        var plotWidth = Width - Left - Right;
        var plotHeight = Height - Top - Bottom;
        double X(double seconds) => Left + seconds / maxSeconds * plotWidth;
        double Y(double mib) => Top + plotHeight - mib / maxMiB * plotHeight;

        var svg = new StringBuilder();
        svg.AppendLine(F($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\" font-size=\"12\">"));
        svg.AppendLine(F($"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>"));
        svg.AppendLine(F($"<text x=\"{Left}\" y=\"22\" font-size=\"15\" font-weight=\"bold\">{Escape(title)}: memory over time</text>"));
        for (var i = 0; i <= 5; i++)
        {
            var mib = maxMiB * i / 5;
            var seconds = maxSeconds * i / 5;
            svg.AppendLine(F($"<line x1=\"{Left}\" y1=\"{Y(mib):F1}\" x2=\"{Width - Right}\" y2=\"{Y(mib):F1}\" stroke=\"#ddd\"/>"));
            svg.AppendLine(F($"<text x=\"{Left - 6}\" y=\"{Y(mib) + 4:F1}\" text-anchor=\"end\">{mib:N0}</text>"));
            svg.AppendLine(F($"<text x=\"{X(seconds):F1}\" y=\"{Height - Bottom + 16}\" text-anchor=\"middle\">{seconds:0.##}</text>"));
        }

        svg.AppendLine(F($"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Height - Bottom}\" stroke=\"#333\"/>"));
        svg.AppendLine(F($"<line x1=\"{Left}\" y1=\"{Height - Bottom}\" x2=\"{Width - Right}\" y2=\"{Height - Bottom}\" stroke=\"#333\"/>"));
        svg.AppendLine(F($"<text x=\"{Left + plotWidth / 2}\" y=\"{Height - 10}\" text-anchor=\"middle\">seconds</text>"));
        svg.AppendLine(F($"<text transform=\"translate(16 {Top + plotHeight / 2}) rotate(-90)\" text-anchor=\"middle\">MiB</text>"));
        Line(svg, before, s => s.WorkingSet, BeforeColor, dashed: false, X, Y);
        Line(svg, before, s => s.Heap, BeforeColor, dashed: true, X, Y);
        Line(svg, after, s => s.WorkingSet, AfterColor, dashed: false, X, Y);
        Line(svg, after, s => s.Heap, AfterColor, dashed: true, X, Y);

        var legendX = Width - Right - 300;
        Legend(svg, legendX, Top + 4, BeforeColor, false, "before: working set");
        Legend(svg, legendX + 150, Top + 4, BeforeColor, true, "before: managed heap");
        Legend(svg, legendX, Top + 22, AfterColor, false, "after: working set");
        Legend(svg, legendX + 150, Top + 22, AfterColor, true, "after: managed heap");
        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    private static void Line(StringBuilder svg, Run run, Func<(double Seconds, double WorkingSet, double Heap), double> value, string color, bool dashed, Func<double, double> x, Func<double, double> y)
    {
        var points = string.Join(" ", run.Samples.Select(s => F($"{x(s.Seconds):F1},{y(value(s) / 1048576):F1}")));
        svg.AppendLine(F($"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"{(dashed ? 1.2 : 1.8)}\"{(dashed ? " stroke-dasharray=\"4 3\"" : "")} points=\"{points}\"/>"));
    }

    private static void Legend(StringBuilder svg, double x, double y, string color, bool dashed, string text)
    {
        svg.AppendLine(F($"<line x1=\"{x}\" y1=\"{y}\" x2=\"{x + 18}\" y2=\"{y}\" stroke=\"{color}\" stroke-width=\"1.8\"{(dashed ? " stroke-dasharray=\"4 3\"" : "")}/>"));
        svg.AppendLine(F($"<text x=\"{x + 22}\" y=\"{y + 4}\">{Escape(text)}</text>"));
    }

    private static double Last(Run run) => run.Samples.Count == 0 ? 1 : run.Samples[^1].Seconds;

    private static double MaxMiB(Run run) => run.Samples.Count == 0 ? 1 : run.Samples.Max(s => Math.Max(s.WorkingSet, s.Heap)) / 1048576;

    /// <summary>The next of 1, 2, 2.5, 5 × 10^n at or above <paramref name="value"/>, for round axis ticks.</summary>
    private static double NiceCeiling(double value)
    {
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(Math.Max(value, 1e-9))));
        foreach (var step in new[] { 1, 2, 2.5, 5, 10 })
        {
            if (step * magnitude >= value)
            {
                return step * magnitude;
            }
        }

        return 10 * magnitude;
    }

    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal);

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
