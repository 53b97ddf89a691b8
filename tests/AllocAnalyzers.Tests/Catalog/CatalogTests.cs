using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using AllocAnalyzers.Tests.Harness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AllocAnalyzers.Tests.Catalog;

/// <summary>
/// Every rule of the package, found by reflection, is well described (id, category, texts, help link), documented
/// (its page, the README and docs index tables, release tracking), fixable in every Fix All scope if it has a fix, and
/// never crashes, whatever code it is given.
/// </summary>
public sealed class CatalogTests
{
    /// <summary>The categories a rule may have; a new one must be added here and explained in the docs.</summary>
    private static readonly string[] Categories = { "Performance" };

    public static TheoryData<string> Ids => RuleCatalog.Ids();

    public static TheoryData<string> FixerNames => RuleCatalog.FixerNames();

    // ---- discovery -------------------------------------------------------------------------------------------------

    [Fact]
    public void FindsTheAnalyzersFixersAndDescriptors()
    {
        Assert.NotEmpty(RuleCatalog.AnalyzerTypes);
        Assert.NotEmpty(RuleCatalog.FixerTypes);
        Assert.NotEmpty(RuleCatalog.AllDescriptors);
    }

    [Fact]
    public void EveryAnalyzer_IsExportedForCSharp()
    {
        var unexported = RuleCatalog.AnalyzerTypes
            .Where(t => t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not { } attribute || !attribute.Languages.Contains(LanguageNames.CSharp))
            .Select(t => t.FullName);

        Assert.Empty(unexported);
    }

    [Fact]
    public void EveryFixer_IsExportedForCSharp()
    {
        var unexported = RuleCatalog.FixerTypes
            .Where(t => t.GetCustomAttribute<ExportCodeFixProviderAttribute>() is not { } attribute || !attribute.Languages.Contains(LanguageNames.CSharp))
            .Select(t => t.FullName);

        Assert.Empty(unexported);
    }

    // ---- descriptors -----------------------------------------------------------------------------------------------

    [Fact]
    public void DescriptorIds_AreUnique()
    {
        var duplicates = RuleCatalog.AllDescriptors.GroupBy(d => d.Id).Where(g => g.Count() > 1).Select(g => g.Key);

        Assert.Empty(duplicates);
    }

    [Fact]
    public void EveryDeclaredDescriptor_IsSupportedByAnAnalyzer()
    {
        var orphans = RuleCatalog.DeclaredDescriptors.Except(RuleCatalog.SupportedDescriptors).Select(d => d.Id);

        Assert.Empty(orphans);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Id_IsALLOCAndThreeDigits(string id)
    {
        Assert.Matches(@"^ALLOC\d{3}$", id);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Category_IsAKnownOne(string id)
    {
        Assert.Contains(RuleCatalog.Descriptor(id).Category, Categories);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void TitleMessageAndDescription_AreNotEmpty(string id)
    {
        var descriptor = RuleCatalog.Descriptor(id);

        Assert.False(string.IsNullOrWhiteSpace(descriptor.Title.ToString(CultureInfo.InvariantCulture)), $"{id} has no title");
        Assert.False(string.IsNullOrWhiteSpace(descriptor.MessageFormat.ToString(CultureInfo.InvariantCulture)), $"{id} has no message");
        Assert.False(string.IsNullOrWhiteSpace(descriptor.Description.ToString(CultureInfo.InvariantCulture)), $"{id} has no description");
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void HelpLink_IsTheRulePageUnderDocsBaseUrl(string id)
    {
        Assert.Equal(RuleIds.DocsBaseUrl + id + ".md", RuleCatalog.Descriptor(id).HelpLinkUri);
    }

    [Fact]
    public void DocsBaseUrl_PointsToTheRulesFolder()
    {
        Assert.EndsWith("/docs/rules/", RuleIds.DocsBaseUrl, StringComparison.Ordinal);
        Assert.StartsWith("https://", RuleIds.DocsBaseUrl, StringComparison.Ordinal);
    }

    // ---- documentation ---------------------------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(Ids))]
    public void RulePage_Exists_AndItsHeadingNamesIdAndTitle(string id)
    {
        var page = RuleCatalog.RepositoryFile("docs", "rules", id + ".md");
        Assert.True(File.Exists(page), $"{id} has no page: {page} is missing.");

        var heading = File.ReadLines(page).FirstOrDefault(line => line.StartsWith("# ", StringComparison.Ordinal));
        Assert.True(heading is not null, $"{page} has no '# ' heading.");
        Assert.Contains(id, heading, StringComparison.Ordinal);
        Assert.Contains(RuleCatalog.Descriptor(id).Title.ToString(CultureInfo.InvariantCulture), heading, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void ReadmeRuleTable_ListsRule_WithTitleSeverityAndCodeFix(string id)
    {
        AssertRuleRow(RuleTable("README.md"), id, "README.md", $"docs/rules/{id}.md");
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void DocsIndexRuleTable_ListsRule_WithTitleSeverityAndCodeFix(string id)
    {
        AssertRuleRow(RuleTable("docs", "README.md"), id, "docs/README.md", $"rules/{id}.md");
    }

    [Fact]
    public void ReadmeAndDocsIndex_ListNoRuleThatDoesNotExist()
    {
        var known = RuleCatalog.AllDescriptors.Select(d => d.Id).ToHashSet();

        Assert.All(RuleTable("README.md"), row => Assert.Contains(row.Id, known));
        Assert.All(RuleTable("docs", "README.md"), row => Assert.Contains(row.Id, known));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void ReleaseTracking_ListsRule_WithCategoryAndSeverity(string id)
    {
        var descriptor = RuleCatalog.Descriptor(id);
        var rows = ReleaseRows("AnalyzerReleases.Shipped.md").Concat(ReleaseRows("AnalyzerReleases.Unshipped.md")).Where(r => r[0] == id).ToList();

        Assert.True(rows.Count > 0, $"{id} is in neither AnalyzerReleases.Shipped.md nor AnalyzerReleases.Unshipped.md.");
        var latest = rows[^1];
        Assert.Equal(descriptor.Category, latest[1]);
        Assert.Equal(ListedSeverity(descriptor), latest[2]);
    }

    // ---- code fixes ------------------------------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(FixerNames))]
    public void Fixer_HasFixAllInSolutionScope(string fixerName)
    {
        var fixer = RuleCatalog.Fixers.Single(f => f.GetType().FullName == fixerName);

        var fixAll = fixer.GetFixAllProvider();

        Assert.True(fixAll is not null, $"{fixerName} has no Fix All provider.");
        Assert.Contains(FixAllScope.Solution, fixAll.GetSupportedFixAllScopes());
    }

    [Theory]
    [MemberData(nameof(FixerNames))]
    public void Fixer_FixesOnlyKnownRules(string fixerName)
    {
        var fixer = RuleCatalog.Fixers.Single(f => f.GetType().FullName == fixerName);
        var known = RuleCatalog.SupportedDescriptors.Select(d => d.Id).ToHashSet();

        Assert.NotEmpty(fixer.FixableDiagnosticIds);
        Assert.All(fixer.FixableDiagnosticIds, id => Assert.Contains(id, known));
    }

    // ---- robustness: no analyzer throws (AD0001) -------------------------------------------------------------------

    [Fact]
    public async Task NoAnalyzerThrows_OnAnEmptyFile()
    {
        await AssertNoAnalyzerThrowsAsync(Compile(new[] { CSharpSyntaxTree.ParseText("", Parse, path: "Empty.cs") }, References.For(ReferenceSet.Net80)));
    }

    public static TheoryData<string> BrokenSources => new()
    {
        """
        for (int i = 0; i < n; i++) { var b = new byte[
        """,
        """
        class C { void M(int n) { for (int i = 0; i < n; i++) { var b = new byte[n];
        """,
        """
        class C { void M(int[] sizes) { foreach (var s in sizes) { var b = new byte[s]; b[0] = ; } } }
        """,
        """
        class C { void M(int n) { while ( { var a = System.GC.AllocateArray<int>( } } }
        """,
        """
        class C { void M(int n) { do { var b = new int[n] } while } }
        """,
        """
        class C { void M(int[] sizes) { foreach (var size in ) { byte[] buffer = new byte[size]; System.Buffers.ArrayPool<byte>.Shared.Return(buffer
        """,
        """
        class C { async void M(int n) { await foreach (var x in ) { var c = new byte[n] { 1, 2, ; } } } }
        """,
        """
        class C { void M(int n) { System.Action a = () => { for (;;) { var b = new byte[n][; } }; } }
        """,
        """
        class C { void M(int n) { for (var i = 0; i < n; i++) { var b = new byte[]; var c = new byte[n, ]; var d = new[] { n, ; } } }
        """,
        """
        class C { void M(int n) { for (int i = 0; i < n; i++) { var b = new Undefined[n]; Use(b); var c = new byte[undefined]; } } }
        """,
        """
        class C { object M(int n) { for (int i = 0; i < n; i++) { int[] b = stackalloc int[n]; var c = new byte[n]; c = null; return c.; } } }
        """,
        """
        class C { void M(int n) { foreach (var x in n) { var b = new byte[x]; b. } } }
        """,
        """
        class C { void M(int n) { for (int i = 0; i < n; i++) { var b = System.GC.AllocateUninitializedArray<>(n); var c = new byte[n]; foreach (var x in c) { } goto; } } }
        """,
        """
        unsafe class C { void M(int n) { for (int i = 0; i < n; i++) { var (a, b) = (new byte[n], new byte[n]); lock (a) { } fixed (byte* p = new byte[n]) { } } } }
        """,
        """
        class C { void M(int n) { for (int i = 0; i < n; i++) { var b = new byte[n] switch { }; var c = b is { Length: } ; } } }
        """,
        """
        class C { System.Collections.Generic.IEnumerable<byte[]> M(int n) { for (int i = 0; i < n; i++) { var buffer = new byte[n]; M(buffer); await System.Threading.Tasks.Task.Yield(); yield return buffer; } } }
        """,
        """
        class C
        {
            void M(int n)
            {
                for (int i = 0; i < n; i++)
                {
                    var buffer = new byte[n];
                    try { Use(buffer); } finally { System.Buffers.ArrayPool<byte>.Shared.Return(buffer, clearArray: ); }
        """,
        """
        class C { void M(int n) { for (int i = 0; i < n; i++) { byte[] b; b = new byte[n]; ref byte r = ref b[; var s = new System.Span<byte>(b, 0, ); } } }
        """,
    };

    [Theory]
    [MemberData(nameof(BrokenSources))]
    public async Task NoAnalyzerThrows_OnCodeWithErrors(string source)
    {
        var tree = CSharpSyntaxTree.ParseText(source, Parse, path: "Broken.cs");

        await AssertNoAnalyzerThrowsAsync(Compile(new[] { tree }, References.For(ReferenceSet.Net80)));
    }

    [Fact]
    public async Task NoAnalyzerThrows_OnTheProjectsOwnSources()
    {
        var sources = Directory.EnumerateFiles(RuleCatalog.RepositoryFile("src"), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .OrderBy(path => path, StringComparer.Ordinal)
            .Select(path => CSharpSyntaxTree.ParseText(File.ReadAllText(path), Parse, path))
            .ToList();
        Assert.True(sources.Count > 3, $"Expected the sources under src/, found {sources.Count} files.");

        await AssertNoAnalyzerThrowsAsync(Compile(sources, References.For(ReferenceSet.Net80).AddRange(LoadedRoslynAssemblies())));
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    private static readonly CSharpParseOptions Parse = new(LanguageVersion.Latest);

    /// <summary>A library compilation with every rule enabled, so analyzers run even for rules disabled by default.</summary>
    private static CSharpCompilation Compile(IEnumerable<SyntaxTree> trees, IEnumerable<MetadataReference> references) =>
        CSharpCompilation.Create(
            "CatalogProbe",
            trees,
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true)
                .WithSpecificDiagnosticOptions(RuleCatalog.AllDescriptors.Select(d => new KeyValuePair<string, ReportDiagnostic>(d.Id, ReportDiagnostic.Warn))));

    /// <summary>The Roslyn (and MEF) assemblies of the test process, which the analyzer and fixer sources compile against.</summary>
    private static IEnumerable<MetadataReference> LoadedRoslynAssemblies()
    {
        // Touch one type of each so they are loaded even when this test runs alone.
        _ = new[] { typeof(Compilation), typeof(CSharpCompilation), typeof(Workspace), typeof(Microsoft.CodeAnalysis.CSharp.Formatting.CSharpFormattingOptions), typeof(System.Composition.SharedAttribute) };
        return AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => !a.IsDynamic && !string.IsNullOrEmpty(a.Location))
            .Where(a => a.GetName().Name is { } name && (name.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal) || name.StartsWith("System.Composition", StringComparison.Ordinal)))
            .Select(a => (MetadataReference)MetadataReference.CreateFromFile(a.Location));
    }

    private static async Task AssertNoAnalyzerThrowsAsync(Compilation compilation)
    {
        foreach (var analyzer in RuleCatalog.Analyzers)
        {
            var exceptions = new ConcurrentQueue<Exception>();
            var options = new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
                onAnalyzerException: (exception, _, _) => exceptions.Enqueue(exception),
                concurrentAnalysis: false,
                logAnalyzerExecutionTime: false);
            var diagnostics = await compilation.WithAnalyzers(ImmutableArray.Create(analyzer), options).GetAnalyzerDiagnosticsAsync();

            var crashes = exceptions.Select(e => e.ToString()).Concat(diagnostics.Where(d => d.Id == "AD0001").Select(d => d.ToString())).ToList();
            Assert.True(crashes.Count == 0, $"{analyzer.GetType().Name} threw on {string.Join(", ", compilation.SyntaxTrees.Select(t => Path.GetFileName(t.FilePath)).Take(5))}:{Environment.NewLine}{string.Join(Environment.NewLine, crashes)}");
        }
    }

    /// <summary>A row of a rule table: <c>| [ALLOC001](link) | title | severity | Yes/No |</c>.</summary>
    private sealed record RuleRow(string Id, string Link, string Title, string Severity, string CodeFix);

    private static readonly Regex RuleRowPattern = new(
        @"^\|\s*\[(?<id>[A-Z]+\d+)\]\((?<link>[^)]*)\)\s*\|\s*(?<title>[^|]*?)\s*\|\s*(?<severity>[^|]*?)\s*\|\s*(?<fix>[^|]*?)\s*\|\s*$",
        RegexOptions.CultureInvariant);

    private static List<RuleRow> RuleTable(params string[] path)
    {
        var file = RuleCatalog.RepositoryFile(path);
        Assert.True(File.Exists(file), $"{file} is missing.");
        return File.ReadLines(file)
            .Select(line => RuleRowPattern.Match(line))
            .Where(m => m.Success)
            .Select(m => new RuleRow(m.Groups["id"].Value, m.Groups["link"].Value, m.Groups["title"].Value, m.Groups["severity"].Value, m.Groups["fix"].Value))
            .ToList();
    }

    private static void AssertRuleRow(List<RuleRow> table, string id, string file, string expectedLink)
    {
        var descriptor = RuleCatalog.Descriptor(id);
        var rows = table.Where(r => r.Id == id).ToList();
        Assert.True(rows.Count == 1, $"{file} should list {id} once in its rule table, but lists it {rows.Count} times.");

        var row = rows[0];
        Assert.Equal(expectedLink, row.Link);
        Assert.Equal(descriptor.Title.ToString(CultureInfo.InvariantCulture), row.Title);
        Assert.Equal(ListedSeverity(descriptor), row.Severity);
        Assert.Equal(RuleCatalog.HasCodeFix(id) ? "Yes" : "No", row.CodeFix);
    }

    // A rule off by default is listed as "Disabled", as Roslyn's release tracking spells it, in the tables too.
    private static string ListedSeverity(DiagnosticDescriptor descriptor) =>
        descriptor.IsEnabledByDefault ? descriptor.DefaultSeverity.ToString() : "Disabled";

    /// <summary>The table rows of a release tracking file, in order, each split into trimmed cells.</summary>
    private static IEnumerable<string[]> ReleaseRows(string fileName)
    {
        var file = RuleCatalog.RepositoryFile("src", "AllocAnalyzers", fileName);
        if (!File.Exists(file))
        {
            return Enumerable.Empty<string[]>();
        }

        return File.ReadLines(file)
            .Where(line => line.Contains('|', StringComparison.Ordinal) && !line.TrimStart().StartsWith(';'))
            .Select(line => line.Split('|').Select(cell => cell.Trim()).ToArray())
            .Where(cells => cells.Length >= 3);
    }
}
