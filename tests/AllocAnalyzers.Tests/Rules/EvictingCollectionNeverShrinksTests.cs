using System.Threading.Tasks;
using AllocAnalyzers.Tests.Harness;
using Microsoft.CodeAnalysis;
using static AllocAnalyzers.Tests.Harness.DiagnosticResult;
using AnalyzerOnly = AllocAnalyzers.Tests.Harness.AnalyzerTest<AllocAnalyzers.Rules.EvictingCollectionNeverShrinksAnalyzer>;
using Test = AllocAnalyzers.Tests.Harness.CodeFixTest<AllocAnalyzers.Rules.EvictingCollectionNeverShrinksAnalyzer, AllocAnalyzers.CodeFixes.Rules.EvictingCollectionNeverShrinksFixer>;

namespace AllocAnalyzers.Tests.Rules;

/// <summary>ALLOC011: long-lived collections that evict entries but never shrink; "Shrink periodically after removals".</summary>
public sealed class EvictingCollectionNeverShrinksTests
{
    private static string Cache(string members) => $$"""
        using System;
        using System.Collections.Concurrent;
        using System.Collections.Generic;

        class SessionCache
        {
        {{members}}
        }
        """;

    private static readonly string DictionaryCache = """
            private readonly Dictionary<int, string> _sessions = new Dictionary<int, string>();

            public void Open(int id, string user) => _sessions[id] = user;

            public string Find(int id) => _sessions.TryGetValue(id, out var user) ? user : null;

            public void Close(int id)
            {
                {|#0:_sessions.Remove(id)|};
            }
        """;

    [Fact]
    public async Task Reports_RemovalFromAFilledFieldDictionary_AsInfo_NamingTheField()
    {
        var test = new AnalyzerOnly { TestCode = Cache(DictionaryCache) };
        test.ExpectedDiagnostics.Add(Diagnostic("ALLOC011").WithLocation(0).WithSeverity(DiagnosticSeverity.Info).WithArguments("_sessions"));
        await test.RunAsync();
    }

    [Fact]
    public Task Shrink_Dictionary_TrimsWhenTheCountFellBelowAQuarterOfTheCapacity() => new Test
    {
        TestCode = Cache(DictionaryCache),
        ExpectedDiagnostics = { Diagnostic("ALLOC011").WithLocation(0).WithSeverity(DiagnosticSeverity.Info) },
        FixedCode = Cache("""
                private readonly Dictionary<int, string> _sessions = new Dictionary<int, string>();

                public void Open(int id, string user) => _sessions[id] = user;

                public string Find(int id) => _sessions.TryGetValue(id, out var user) ? user : null;

                public void Close(int id)
                {
                    _sessions.Remove(id);
                    if (_sessions.Count < _sessions.EnsureCapacity(0) / 4)
                    {
                        _sessions.TrimExcess();
                    }
                }
            """),
    }.RunAsync();

    [Fact]
    public Task Shrink_ConcurrentDictionary_UnderOneLock_RebuildsEveryThousandRemovals() => new Test
    {
        TestCode = Cache("""
                private readonly object _gate = new object();
                private ConcurrentDictionary<string, byte[]> _blobs = new ConcurrentDictionary<string, byte[]>(StringComparer.Ordinal);

                public byte[] Get(string key) => _blobs.TryGetValue(key, out var blob) ? blob : null;

                public void Put(string key, byte[] blob)
                {
                    lock (_gate)
                    {
                        _blobs[key] = blob;
                    }
                }

                public void Evict(string key)
                {
                    lock (_gate)
                    {
                        {|#0:_blobs.TryRemove(key, out _)|};
                    }
                }
            """),
        ExpectedDiagnostics = { Diagnostic("ALLOC011").WithLocation(0).WithSeverity(DiagnosticSeverity.Info) },
        FixedCode = Cache("""
                private readonly object _gate = new object();
                private ConcurrentDictionary<string, byte[]> _blobs = new ConcurrentDictionary<string, byte[]>(StringComparer.Ordinal);
                private int _blobsRemovalsSinceRebuild;

                public byte[] Get(string key) => _blobs.TryGetValue(key, out var blob) ? blob : null;

                public void Put(string key, byte[] blob)
                {
                    lock (_gate)
                    {
                        _blobs[key] = blob;
                    }
                }

                public void Evict(string key)
                {
                    lock (_gate)
                    {
                        _blobs.TryRemove(key, out _);
                        if (++_blobsRemovalsSinceRebuild % 1024 == 0 && _blobsRemovalsSinceRebuild >= _blobs.Count)
                        {
                            _blobs = new ConcurrentDictionary<string, byte[]>(_blobs, _blobs.Comparer);
                            _blobsRemovalsSinceRebuild = 0;
                        }
                    }
                }
            """),
    }.RunAsync();
}
