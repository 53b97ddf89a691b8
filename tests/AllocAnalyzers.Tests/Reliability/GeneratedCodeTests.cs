using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AllocAnalyzers.Tests.Catalog;
using Microsoft.CodeAnalysis;

namespace AllocAnalyzers.Tests.Reliability;

/// <summary>
/// No rule reports in generated code, however it is marked: a <c>[GeneratedCode]</c> type or member, a
/// <c>#line hidden</c> region, an <c>// &lt;auto-generated/&gt;</c> header, a generated file name. The rules tell the
/// compiler to skip the analysis of generated code but not to filter their diagnostics afterwards (see
/// <c>Analysis/GeneratedCode.cs</c>), so this is checked over one file that every rule reports in when it is not
/// generated.
/// </summary>
public sealed class GeneratedCodeTests
{
    private const string Attribute = "[System.CodeDom.Compiler.GeneratedCode(\"tool\", \"1.0\")]";

    private static string Source(string typeAttribute = "", string memberAttribute = "", string before = "", string after = "") => $$"""
        {{before}}using System;
        using System.Buffers;
        using System.Collections.Concurrent;
        using System.Collections.Generic;
        using System.Globalization;
        using System.IO;

        sealed class HotPathAttribute : Attribute { }

        struct Cell { public int X; public int Y; }

        {{typeAttribute}}
        sealed class Service
        {
            private readonly Dictionary<int, string> _recent = new();
            private readonly Dictionary<string, DateTime> _open = new(StringComparer.Ordinal);

            {{memberAttribute}}
            public void Remember(int id, string name) => _recent[id] = name;

            {{memberAttribute}}
            public void EndDay() => _recent.Clear();

            {{memberAttribute}}
            public void Open(string id) => _open[id] = DateTime.UtcNow;

            {{memberAttribute}}
            public bool Close(string id) => _open.Remove(id);

            {{memberAttribute}}
            public long Sum(Stream stream, IReadOnlyList<int> lengths)
            {
                long sum = 0;
                foreach (var length in lengths)
                {
                    var buffer = new byte[length];
                    stream.ReadExactly(buffer);
                    var counts = new int[10];
                    counts[buffer.Length % 10]++;
                    sum += buffer.Length + counts[0];
                }

                return sum;
            }

            {{memberAttribute}}
            public uint Hash(Stream stream, int size)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(size);
                stream.ReadExactly(buffer, 0, size);
                var hash = (uint)buffer[0];
                ArrayPool<byte>.Shared.Return(buffer);
                return hash;
            }

            {{memberAttribute}}
            public int Resolve(IReadOnlyList<string> keys, ConcurrentDictionary<string, string> cache, string prefix)
            {
                var total = 0;
                foreach (var key in keys)
                {
                    var scoped = prefix + key.Trim();
                    total += cache.GetOrAdd(key, k => scoped + k).Length;
                    Func<int, int> twice = x => x * scoped.Length;
                    total += twice(2) + twice(3);
                    Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0} #{1}", key, total));
                }

                return total;
            }

            {{memberAttribute}}
            public int CountCells(IReadOnlyList<int> values)
            {
                var cells = new HashSet<Cell>();
                foreach (var value in values)
                {
                    cells.Add(new Cell { X = value, Y = value / 2 });
                }

                return cells.Count;
            }

            {{memberAttribute}}
            [HotPath]
            public static string Lookup(ConcurrentDictionary<string, string> cache, string key, string prefix, bool miss)
            {
                if (miss)
                {
                    return cache.GetOrAdd(key, k => prefix + k);
                }

                return key;
            }
        }
        {{after}}
        """;

    [Fact]
    public async Task EveryRule_ReportsInTheFile_WhenItIsNotGenerated()
    {
        var reported = (await AnalyzeAsync(Source(), "Service.cs")).Select(d => d.Id).Distinct().Order(StringComparer.Ordinal).ToList();
        var rules = RuleCatalog.AllDescriptors.Select(d => d.Id).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Equal(rules, reported);
    }

    public static TheoryData<string, string, string> GeneratedVariants => new()
    {
        { "[GeneratedCode] on the type", Source(typeAttribute: Attribute), "Service.cs" },
        { "[GeneratedCode] on every member", Source(memberAttribute: Attribute), "Service.cs" },
        { "#line hidden around the type", Source(before: "", typeAttribute: "#line hidden", after: "#line default"), "Service.cs" },
        { "an auto-generated header", Source(before: "// <auto-generated/>\n"), "Service.cs" },
        { "a generated file name", Source(), "Service.g.cs" },
    };

    [Theory]
    [MemberData(nameof(GeneratedVariants))]
    public async Task NoRule_ReportsInGeneratedCode(string variant, string source, string fileName)
    {
        var diagnostics = await AnalyzeAsync(source, fileName);
        Assert.True(diagnostics.Length == 0, $"{variant}: " + string.Join(Environment.NewLine, diagnostics));
    }

    private static async Task<System.Collections.Immutable.ImmutableArray<Diagnostic>> AnalyzeAsync(string source, string fileName)
    {
        var document = AllRules.CreateDocument(new RuleInput(fileName, source, AnalyzerProfile.Default));
        document = document.Project.Solution.WithDocumentFilePath(document.Id, "/0/" + fileName).GetDocument(document.Id)!;
        var compilation = (await document.Project.GetCompilationAsync(CancellationToken.None))!;
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
        var (diagnostics, crashes, _) = await AllRules.AnalyzeAsync(compilation, document.Project.AnalyzerOptions, RuleCatalog.Analyzers, concurrent: false, CancellationToken.None);
        Assert.Empty(crashes);
        return diagnostics;
    }
}
