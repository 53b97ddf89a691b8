using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using AllocAnalyzers.CodeFixes.Rules;
using AllocAnalyzers.Rules;
using AllocAnalyzers.Tests.Harness;

namespace AllocAnalyzers.Tests.Benchmarks;

/// <summary>
/// Keeps tests/CacheRetention honest: each <c>Cases/&lt;Case&gt;.&lt;Fix&gt;.cs</c> must be exactly what the real ALLOC010 or
/// ALLOC011 fixer makes of <c>Cases/&lt;Case&gt;.Before.cs</c> (only the namespace line differs), and must behave the same.
/// </summary>
public sealed class CacheRetentionCasesTests
{
    private static readonly CaseFolder Cases = new("CacheRetention", "tests", "CacheRetention", "Cases");

    private sealed record Fix(string Case, string Name, string Fixer, Func<string, Task<string>> Apply, string ProgramBody);

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
        new Fix("UserCache", "TrimAfterClear", nameof(ClearedCollectionKeepsCapacityFixer), CaseFolder.FixWith<ClearedCollectionKeepsCapacityAnalyzer, ClearedCollectionKeepsCapacityFixer>(ClearedCollectionKeepsCapacityFixer.TrimAfterClearEquivalenceKey), UserCacheProgram),
        new Fix("UserCache", "RebuildCollection", nameof(ClearedCollectionKeepsCapacityFixer), CaseFolder.FixWith<ClearedCollectionKeepsCapacityAnalyzer, ClearedCollectionKeepsCapacityFixer>(ClearedCollectionKeepsCapacityFixer.RebuildEquivalenceKey), UserCacheProgram),
        new Fix("SessionCache", "ShrinkAfterRemovals", nameof(EvictingCollectionNeverShrinksFixer), CaseFolder.FixWith<EvictingCollectionNeverShrinksAnalyzer, EvictingCollectionNeverShrinksFixer>(EvictingCollectionNeverShrinksFixer.ShrinkEquivalenceKey), SessionCacheProgram),
        new Fix("BlobCache", "ShrinkAfterRemovals", nameof(EvictingCollectionNeverShrinksFixer), CaseFolder.FixWith<EvictingCollectionNeverShrinksAnalyzer, EvictingCollectionNeverShrinksFixer>(EvictingCollectionNeverShrinksFixer.ShrinkEquivalenceKey), BlobCacheProgram),
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
        await Cases.VerifyAfterFileAsync(caseName, fixName, fix.Apply, fix.Fixer, "CacheRetention", "the measurement (docs/rules/ALLOC010.md, ALLOC011.md)");
    }

    [Theory]
    [MemberData(nameof(CaseAndFix))]
    public void AfterFile_BehavesLikeTheBeforeFile(string caseName, string fixName)
    {
        var fix = Fixes.Single(f => f.Case == caseName && f.Name == fixName);

        var before = ProgramRunner.Run(Cases.AsProgram(Cases.Read(caseName, "Before"), fix.ProgramBody), ReferenceSet.Net100);
        var after = ProgramRunner.Run(Cases.AsProgram(Cases.Read(caseName, fixName), fix.ProgramBody), ReferenceSet.Net100);

        Assert.StartsWith("returned: ", before, StringComparison.Ordinal);
        Assert.Equal(before, after);
    }
}
