using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using AllocAnalyzers.CodeFixes.Rules;
using AllocAnalyzers.Rules;
using AllocAnalyzers.Tests.Catalog;
using AllocAnalyzers.Tests.Harness;

namespace AllocAnalyzers.Tests.Benchmarks;

/// <summary>
/// Keeps tests/CacheRetention honest: each <c>Cases/&lt;Case&gt;.&lt;Fix&gt;.cs</c> must be exactly what the real ALLOC010 or
/// ALLOC011 fixer makes of <c>Cases/&lt;Case&gt;.Before.cs</c> (only the namespace line differs), and must behave the same.
/// </summary>
public sealed class CacheRetentionCasesTests
{
    /// <summary>Set to 1 to write the fixers' output over the After files instead of failing (shared with <see cref="BenchmarkCasesTests"/>).</summary>
    private const string RegenerateVariable = "ALLOC_REGENERATE_BENCHMARK_CASES";

    private const string BeforeNamespaceLine = "namespace CacheRetention.Before;";

    private sealed record Fix(string Case, string Name, Func<string, Task<string>> Apply, string ProgramBody);

    // Fills, empties, refills and reads back: what the caller sees must not change.
    private const string UserCacheProgram = """
        var cache = new UserCache();
        var sb = new System.Text.StringBuilder();
        for (var i = 0; i < 5_000; i++) cache.Add(i, "user" + i);
        sb.Append(cache.Count).Append(';');
        cache.Reset();
        sb.Append(cache.Count).Append(';').Append(cache.TryGet(7, out var gone) ? gone : "-").Append(';');
        for (var i = 100; i < 160; i++) cache.Add(i, "again" + i);
        sb.Append(cache.Count).Append(';').Append(cache.TryGet(120, out var back) ? back : "-");
        return sb.ToString();
        """;

    private const string SessionCacheProgram = """
        var cache = new SessionCache();
        var sb = new System.Text.StringBuilder();
        for (var i = 0; i < 5_000; i++) cache.Open(i, "user" + i);
        for (var i = 0; i < 4_950; i++) cache.Close(i * 7 % 5_000);
        sb.Append(cache.Count).Append(';');
        for (var i = 10_000; i < 10_040; i++) cache.Open(i, "late" + i);
        for (var i = 0; i < 5_000; i += 97) sb.Append(cache.TryGet(i, out var user) ? user : "-").Append(',');
        sb.Append(cache.Count).Append(';').Append(cache.TryGet(10_020, out var late) ? late : "-");
        return sb.ToString();
        """;

    private const string BlobCacheProgram = """
        var cache = new BlobCache();
        var sb = new System.Text.StringBuilder();
        for (var i = 0; i < 5_000; i++) cache.Put(i, "blob" + i);
        for (var i = 0; i < 4_990; i++) cache.Evict(i * 3 % 5_000);
        sb.Append(cache.Count).Append(';');
        for (var i = 0; i < 5_000; i += 101) sb.Append(cache.TryGet(i, out var blob) ? blob : "-").Append(',');
        cache.Put(42, "new");
        sb.Append(cache.Count).Append(';').Append(cache.TryGet(42, out var fresh) ? fresh : "-");
        return sb.ToString();
        """;

    private static readonly IReadOnlyList<Fix> Fixes = new[]
    {
        new Fix("UserCache", "TrimAfterClear", ApplyAlloc010(ClearedCollectionKeepsCapacityFixer.TrimAfterClearEquivalenceKey), UserCacheProgram),
        new Fix("UserCache", "RebuildCollection", ApplyAlloc010(ClearedCollectionKeepsCapacityFixer.RebuildEquivalenceKey), UserCacheProgram),
        new Fix("SessionCache", "ShrinkAfterRemovals", ApplyAlloc011(EvictingCollectionNeverShrinksFixer.ShrinkEquivalenceKey), SessionCacheProgram),
        new Fix("BlobCache", "ShrinkAfterRemovals", ApplyAlloc011(EvictingCollectionNeverShrinksFixer.ShrinkEquivalenceKey), BlobCacheProgram),
    };

    public static TheoryData<string, string> CaseAndFix()
    {
        var data = new TheoryData<string, string>();
        foreach (var fix in Fixes)
        {
            data.Add(fix.Case, fix.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CaseAndFix))]
    public async Task AfterFile_IsExactlyWhatTheFixerProduces(string caseName, string fixName)
    {
        var fix = Fixes.Single(f => f.Case == caseName && f.Name == fixName);
        var before = ReadCase(caseName, "Before");
        Assert.True(before.Split('\n').Count(line => line == BeforeNamespaceLine) == 1, $"{caseName}.Before.cs must have the line '{BeforeNamespaceLine}' once.");

        var produced = Normalize(await fix.Apply(before));
        Assert.True(produced != before, $"No '{fixName}' fix was offered for {caseName}.Before.cs, so the measurement would compare nothing.");
        var expected = produced.Replace(BeforeNamespaceLine, $"namespace CacheRetention.After{fixName};", StringComparison.Ordinal);

        var afterPath = CasePath(caseName, fixName);
        if (Environment.GetEnvironmentVariable(RegenerateVariable) == "1")
        {
            File.WriteAllText(afterPath, expected);
        }

        var actual = File.Exists(afterPath) ? ReadCase(caseName, fixName) : "<missing>";
        Assert.True(expected == actual,
            $"tests/CacheRetention/Cases/{caseName}.{fixName}.cs is not what the fixer now produces. If the change is intended, regenerate it with " +
            $"`{RegenerateVariable}=1 dotnet test tests/AllocAnalyzers.Tests --filter \"FullyQualifiedName~CacheRetention\"`, review the diff and rerun " +
            $"the measurement (docs/rules/ALLOC010.md, ALLOC011.md).{Environment.NewLine}Produced:{Environment.NewLine}{expected}");
    }

    [Theory]
    [MemberData(nameof(CaseAndFix))]
    public void AfterFile_BehavesLikeTheBeforeFile(string caseName, string fixName)
    {
        var fix = Fixes.Single(f => f.Case == caseName && f.Name == fixName);

        var before = ProgramRunner.Run(AsProgram(ReadCase(caseName, "Before"), fix.ProgramBody), ReferenceSet.Net100);
        var after = ProgramRunner.Run(AsProgram(ReadCase(caseName, fixName), fix.ProgramBody), ReferenceSet.Net100);

        Assert.StartsWith("returned: ", before, StringComparison.Ordinal);
        Assert.Equal(before, after);
    }

    // The measurement program targets net10.0, so the fixes are computed against .NET 10's reference assemblies.
    private static Func<string, Task<string>> ApplyAlloc010(string key) => before =>
        new CodeFixTest<ClearedCollectionKeepsCapacityAnalyzer, ClearedCollectionKeepsCapacityFixer> { TestCode = before, CodeActionEquivalenceKey = key, ReferenceSet = ReferenceSet.Net100 }.ApplyFixesAsync();

    private static Func<string, Task<string>> ApplyAlloc011(string key) => before =>
        new CodeFixTest<EvictingCollectionNeverShrinksAnalyzer, EvictingCollectionNeverShrinksFixer> { TestCode = before, CodeActionEquivalenceKey = key, ReferenceSet = ReferenceSet.Net100 }.ApplyFixesAsync();

    private static string CasePath(string caseName, string fileKind) =>
        RuleCatalog.RepositoryFile("tests", "CacheRetention", "Cases", $"{caseName}.{fileKind}.cs");

    private static string ReadCase(string caseName, string fileKind) => Normalize(File.ReadAllText(CasePath(caseName, fileKind)));

    /// <summary>A case file as a program for <see cref="ProgramRunner"/>: its class in the global namespace, beside a <c>Program.Run()</c> that uses it.</summary>
    private static string AsProgram(string caseSource, string body)
    {
        var lines = caseSource.Split('\n').Where(line => !line.StartsWith("namespace CacheRetention.", StringComparison.Ordinal));
        var indented = string.Join("\n", body.Split('\n').Select(line => "        " + line));
        return string.Join("\n", lines) + $$"""

            public static class Program
            {
                public static string Run()
                {
            {{indented}}
                }
            }
            """;
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);
}
