using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AllocAnalyzers.Rules;
using AllocAnalyzers.Tests.Harness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace AllocAnalyzers.Tests.Reliability;

/// <summary>
/// The IDE does not analyse a compilation at once: it asks for one document's diagnostics, or for one span's (the line
/// of a light bulb), each time from a new analysis. ALLOC010 and ALLOC011 decide at the end of a type from the uses of
/// a collection in all its members, its partial declarations in other files and its nested types included. Each of
/// those requests must report in a document exactly what the analysis of the whole compilation reports there: no
/// squiggle missing, none extra, and a light bulb on every squiggle.
/// </summary>
public sealed class DocumentAnalysisTests
{
    public static TheoryData<string> Cases() => new(CrossFileCases.Keys);

    /// <summary>Each case: its files, and how many diagnostics the analysis of the whole compilation reports (so that a case cannot pass by reporting nothing anywhere).</summary>
    private static readonly Dictionary<string, (string[] Files, int Expected)> CrossFileCases = new()
    {
        ["cleared in one file, filled by a nested type in another"] = (new[]
        {
            """
            using System.Collections.Generic;
            partial class Registry
            {
                private static readonly Dictionary<int, string> s_names = new Dictionary<int, string>();
                public static void Reset() => s_names.Clear();
            }
            """,
            """
            partial class Registry
            {
                public sealed class Loader { public void Load(int id) => Registry.s_names[id] = "name" + id; }
            }
            """,
        }, 1),
        ["cleared in one file, filled and trimmed by a nested type in another"] = (new[]
        {
            """
            using System.Collections.Generic;
            partial class Registry
            {
                private static readonly Dictionary<int, string> s_names = new Dictionary<int, string>();
                public static void Reset() => s_names.Clear();
            }
            """,
            """
            partial class Registry
            {
                public sealed class Loader
                {
                    public void Load(int id) => s_names[id] = "name" + id;
                    public void Shrink() => s_names.TrimExcess();
                }
            }
            """,
        }, 0),
        ["cleared in one file, trimmed by a type nested two levels down in a third"] = (new[]
        {
            """
            using System.Collections.Generic;
            partial class Registry
            {
                private readonly List<int> _ids = new List<int>();
                public void Add(int id) => _ids.Add(id);
                public void Reset() => _ids.Clear();
            }
            """,
            """
            partial class Registry
            {
                private partial class Outer { }
            }
            """,
            """
            partial class Registry
            {
                private partial class Outer
                {
                    private sealed class Inner { public void Shrink(Registry r) => r._ids.TrimExcess(); }
                }
            }
            """,
        }, 0),
        ["cleared and filled in one file, trimmed in another part of the type"] = (new[]
        {
            """
            using System.Collections.Generic;
            partial class Registry
            {
                private readonly HashSet<string> _seen = new HashSet<string>();
                public void See(string s) => _seen.Add(s);
                public void Reset() => _seen.Clear();
            }
            """,
            """
            partial class Registry
            {
                public void Shrink() => _seen.TrimExcess();
            }
            """,
        }, 0),
        ["filled in one file, cleared and evicted in two others"] = (new[]
        {
            """
            using System.Collections.Generic;
            partial class Sessions
            {
                private readonly Dictionary<int, string> _open = new Dictionary<int, string>();
                public void Open(int id, string user) => _open[id] = user;
            }
            """,
            """
            partial class Sessions
            {
                public void Reset() => _open.Clear();
            }
            """,
            """
            partial class Sessions
            {
                public bool Close(int id) => _open.Remove(id);
            }
            """,
        }, 2),
        ["evicted by a nested type in another file, filled by the container"] = (new[]
        {
            """
            using System.Collections.Concurrent;
            partial class Sessions
            {
                private readonly ConcurrentDictionary<int, string> _open = new ConcurrentDictionary<int, string>();
                public void Open(int id, string user) => _open[id] = user;
            }
            """,
            """
            partial class Sessions
            {
                private sealed class Reaper { public void Reap(Sessions s, int id) => s._open.TryRemove(id, out _); }
            }
            """,
        }, 1),
    };

    private static readonly ImmutableArray<DiagnosticAnalyzer> Analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(
        new ClearedCollectionKeepsCapacityAnalyzer(), new EvictingCollectionNeverShrinksAnalyzer());

    private static CSharpCompilation Compile(string[] files)
    {
        var trees = files.Select((text, i) => CSharpSyntaxTree.ParseText(text, new CSharpParseOptions(LanguageVersion.Latest), path: $"File{i}.cs")).ToArray();
        var compilation = CSharpCompilation.Create("Documents", trees, References.For(ReferenceSet.Net80), new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        return compilation;
    }

    private static CompilationWithAnalyzers NewAnalysis(Compilation compilation) => compilation.WithAnalyzers(
        Analyzers,
        new CompilationWithAnalyzersOptions(new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), onAnalyzerException: null, concurrentAnalysis: true, logAnalyzerExecutionTime: false));

    private static string Show(IEnumerable<Diagnostic> diagnostics) =>
        string.Join("\n", diagnostics.Select(d => $"{d.Id} {d.Location.SourceTree!.FilePath} {d.Location.SourceSpan}").OrderBy(s => s, System.StringComparer.Ordinal));

    private static async Task<ImmutableArray<Diagnostic>> WholeAsync(Compilation compilation, int expected)
    {
        var whole = await NewAnalysis(compilation).GetAnalyzerDiagnosticsAsync();
        Assert.Equal(expected, whole.Length);
        return whole;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task EachDocumentAlone_ReportsWhatTheWholeCompilationReportsThere(string name)
    {
        var (files, expected) = CrossFileCases[name];
        var compilation = Compile(files);
        var whole = await WholeAsync(compilation, expected);
        foreach (var tree in compilation.SyntaxTrees)
        {
            // Ten times each: the order in which the driver runs the members' actions differs between analyses.
            for (var run = 0; run < 10; run++)
            {
                var document = await NewAnalysis(compilation).GetAnalyzerSemanticDiagnosticsAsync(compilation.GetSemanticModel(tree), filterSpan: null, CancellationToken.None);
                Assert.Equal(Show(whole.Where(d => d.Location.SourceTree == tree)), Show(document));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task DocumentsOneAfterAnotherInOneAnalysis_InEitherOrder_ReportWhatTheWholeCompilationReports(string name)
    {
        var (files, expected) = CrossFileCases[name];
        var compilation = Compile(files);
        var whole = await WholeAsync(compilation, expected);
        foreach (var order in new[] { compilation.SyntaxTrees.ToArray(), compilation.SyntaxTrees.Reverse().ToArray() })
        {
            var analysis = NewAnalysis(compilation);
            var found = new List<Diagnostic>();
            foreach (var tree in order)
            {
                found.AddRange(await analysis.GetAnalyzerSemanticDiagnosticsAsync(compilation.GetSemanticModel(tree), filterSpan: null, CancellationToken.None));
            }

            Assert.Equal(Show(whole), Show(found));
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task TheLineOfEachDiagnostic_AnalysedAlone_ReportsIt(string name)
    {
        var (files, expected) = CrossFileCases[name];
        var compilation = Compile(files);
        foreach (var diagnostic in await WholeAsync(compilation, expected))
        {
            var tree = diagnostic.Location.SourceTree!;
            var line = tree.GetText().Lines.GetLineFromPosition(diagnostic.Location.SourceSpan.Start).Span;
            var onLine = await NewAnalysis(compilation).GetAnalyzerSemanticDiagnosticsAsync(compilation.GetSemanticModel(tree), line, CancellationToken.None);
            Assert.Equal(Show(new[] { diagnostic }), Show(onLine.Where(d => d.Id == diagnostic.Id)));
        }
    }
}
