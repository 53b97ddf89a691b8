using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using AllocAnalyzers.Rules;
using AllocAnalyzers.Tests.Catalog;
using AllocAnalyzers.Tests.Harness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit.Abstractions;

namespace AllocAnalyzers.Tests.IlAgreement;

/// <summary>
/// ALLOC030 against the compiler: the corpus in <c>IlAgreement/Corpus</c> is compiled in Release for several targets and
/// language versions, and in every statement the number of ALLOC030 diagnostics must equal the number of <c>box</c>
/// instructions the compiler emitted for it — except where a line says <c>// il-only: reason</c>, a documented case where
/// the IL has a box that does not allocate. docs/rules/ALLOC030.md quotes the table this test prints.
/// </summary>
public sealed class IlAgreementTests
{
    /// <summary>Why a <c>box</c> in the IL is not reported. Each reason is quoted on the ALLOC030 page.</summary>
    public static readonly IReadOnlyDictionary<string, string> Exclusions = new Dictionary<string, string>
    {
        ["reference-type-parameter"] = "`box` of a type parameter constrained to `class` is a no-op: the value already is a reference.",
        ["jit-folds-type-parameter"] = "`t == null`, `t is null` and `(int)(object)t` on a type parameter: the JIT folds the box into the test or the unbox.",
        ["jit-removes-hasflag"] = "`Enum.HasFlag`: the JIT of .NET Core 2.1 and later removes both boxes (reported when compiling against .NET Framework).",
    };

    private static readonly Regex s_marker = new(@"//\s*il-only:\s*(?<reason>[a-z\-]+)", RegexOptions.Compiled);

    private readonly ITestOutputHelper _output;

    public IlAgreementTests(ITestOutputHelper output) => _output = output;

    public sealed record Target(string Name, ReferenceSet References, LanguageVersion Language, params string[] Symbols);

    public static readonly Target[] Targets =
    {
        new("net10.0, C# 14", ReferenceSet.Net100, LanguageVersion.CSharp14, "NETCORE", "CS8"),
        new("net8.0, C# 10", ReferenceSet.Net80, LanguageVersion.CSharp10, "NETCORE", "CS8"),
        new("net8.0, C# 7.3", ReferenceSet.Net80, LanguageVersion.CSharp7_3, "NETCORE"),
        new("netstandard2.0, C# 10", ReferenceSet.NetStandard20, LanguageVersion.CSharp10, "CS8"),
        new("netstandard2.0, C# 7.3", ReferenceSet.NetStandard20, LanguageVersion.CSharp7_3),
        new("net472, C# 7.3", ReferenceSet.Net472, LanguageVersion.CSharp7_3),
    };

    public static TheoryData<string> TargetNames()
    {
        var data = new TheoryData<string>();
        foreach (var target in Targets)
        {
            data.Add(target.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(TargetNames))]
    public async Task EveryDiagnosticIsABox_AndEveryBoxIsReportedOrDocumented(string targetName)
    {
        var target = Targets.Single(t => t.Name == targetName);
        var result = await MeasureAsync(target);
        _output.WriteLine(result.Summary);
        Assert.True(result.Problems.Count == 0, $"ALLOC030 disagrees with the IL on {target.Name}:{Environment.NewLine}{string.Join(Environment.NewLine, result.Problems)}");
    }

    [Fact]
    public async Task EveryExclusionMarkerIsNeeded_OnSomeTarget_AndNamesADocumentedReason()
    {
        var used = new HashSet<(string File, int Line)>();
        foreach (var target in Targets)
        {
            used.UnionWith((await MeasureAsync(target)).UsedMarkers);
        }

        foreach (var file in CorpusFiles())
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                if (s_marker.Match(lines[i]) is { Success: true } match)
                {
                    Assert.True(Exclusions.ContainsKey(match.Groups["reason"].Value), $"{Path.GetFileName(file)}:{i + 1} names an undocumented reason '{match.Groups["reason"].Value}'.");
                    Assert.True(used.Contains((Path.GetFileName(file), i + 1)), $"{Path.GetFileName(file)}:{i + 1} is marked il-only but every box there is reported on every target.");
                }
            }
        }
    }

    [Fact]
    public void ExclusionReasons_AreQuotedOnTheRulePage()
    {
        var page = File.ReadAllText(RuleCatalog.RepositoryFile("docs", "rules", "ALLOC030.md"));
        foreach (var reason in Exclusions.Keys)
        {
            Assert.Contains("`" + reason + "`", page, StringComparison.Ordinal);
        }
    }

    internal sealed record Measurement(string Summary, List<string> Problems, List<(string File, int Line)> UsedMarkers, int Boxes, int Reported, int Matched, int Excluded);

    internal static string[] CorpusFiles() =>
        Directory.GetFiles(RuleCatalog.RepositoryFile("tests", "AllocAnalyzers.Tests", "IlAgreement", "Corpus"), "*.cs").OrderBy(f => f, StringComparer.Ordinal).ToArray();

    [SuppressMessage("Design", "CA1031", Justification = "Test utility.")]
    internal static async Task<Measurement> MeasureAsync(Target target)
    {
        var parseOptions = new CSharpParseOptions(target.Language, preprocessorSymbols: target.Symbols);
        var trees = CorpusFiles()
            .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), parseOptions, path: Path.GetFileName(f), encoding: Encoding.UTF8))
            .ToImmutableArray();
        var compilation = CSharpCompilation.Create(
            "IlAgreementCorpus",
            trees,
            References.For(target.References),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release, nullableContextOptions: NullableContextOptions.Disable));

        var sites = IlBoxSites.Read(compilation, out var unmapped);
        var analyzerOptions = new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, new EverywhereOptions());
        var diagnostics = (await compilation
            .WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new BoxingAnalyzer()), analyzerOptions)
            .GetAnalyzerDiagnosticsAsync()).Where(d => d.Id == RuleIds.BoxingInHotPath).ToList();

        var problems = new List<string>();
        var reportedPerSite = new Dictionary<SequencePointSite, int>();
        foreach (var diagnostic in diagnostics)
        {
            var span = diagnostic.Location.SourceSpan;
            var owner = sites.Where(s => s.Tree == diagnostic.Location.SourceTree && s.Span.Contains(span)).OrderBy(s => s.Span.Length).FirstOrDefault();
            if (owner is null)
            {
                problems.Add($"  {Where(diagnostic.Location)}: reported, but no statement with IL there: {diagnostic.GetMessage(CultureInfo.InvariantCulture)}");
                continue;
            }

            reportedPerSite[owner] = reportedPerSite.GetValueOrDefault(owner) + 1;
        }

        int boxes = 0, reported = diagnostics.Count, matched = 0, excluded = 0;
        var usedMarkers = new List<(string, int)>();
        foreach (var site in sites.OrderBy(s => s.Tree.FilePath, StringComparer.Ordinal).ThenBy(s => s.Span.Start))
        {
            var count = reportedPerSite.GetValueOrDefault(site);
            boxes += site.Boxes;
            matched += Math.Min(site.Boxes, count);
            var location = Location.Create(site.Tree, site.Span);
            if (count > site.Boxes)
            {
                problems.Add($"  {Where(location)}: {count} diagnostic(s) but {site.Boxes} box(es) in {site.Method}: {site.Tree.GetText().ToString(site.Span)}");
            }
            else if (count < site.Boxes)
            {
                var line = location.GetLineSpan().StartLinePosition.Line;
                var text = site.Tree.GetText().Lines[line].ToString();
                if (s_marker.IsMatch(text))
                {
                    excluded += site.Boxes - count;
                    usedMarkers.Add((site.Tree.FilePath, line + 1));
                }
                else
                {
                    problems.Add($"  {Where(location)}: {site.Boxes} box(es) but {count} diagnostic(s) in {site.Method}: {site.Tree.GetText().ToString(site.Span)}");
                }
            }
        }

        var summary = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"| {target.Name} | {boxes} | {reported} | {matched} | {excluded} | {Percent(matched, reported)} | {Percent(matched, boxes)} | {Percent(matched + excluded, boxes)} |")
            .Append(unmapped > 0 ? $" ({unmapped} boxes in compiler-generated code without sequence points)" : "")
            .ToString();
        return new Measurement(summary, problems, usedMarkers, boxes, reported, matched, excluded);
    }

    private static string Percent(int part, int whole) => whole == 0 ? "-" : (100.0 * part / whole).ToString("0.0", CultureInfo.InvariantCulture) + " %";

    private static string Where(Location location)
    {
        var span = location.GetLineSpan();
        return $"{span.Path}:{span.StartLinePosition.Line + 1}";
    }

    /// <summary>Every file analysed with <c>alloc_analyzers.scope = everywhere</c>, so every box is in scope.</summary>
    private sealed class EverywhereOptions : AnalyzerConfigOptionsProvider
    {
        private static readonly AnalyzerConfigOptions s_everywhere = new Options(("alloc_analyzers.scope", "everywhere"));
        private static readonly AnalyzerConfigOptions s_empty = new Options();

        public override AnalyzerConfigOptions GlobalOptions => s_empty;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => s_everywhere;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => s_empty;

        private sealed class Options : AnalyzerConfigOptions
        {
            private readonly Dictionary<string, string> _values;

            public Options(params (string Key, string Value)[] values) => _values = values.ToDictionary(v => v.Key, v => v.Value);

            public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => _values.TryGetValue(key, out value);
        }
    }
}
