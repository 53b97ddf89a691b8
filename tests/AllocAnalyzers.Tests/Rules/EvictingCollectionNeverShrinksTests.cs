using System;
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

    private static DiagnosticResult Info(int location) => Diagnostic("ALLOC011").WithLocation(location).WithSeverity(DiagnosticSeverity.Info);

    /// <summary>A dictionary filled by <c>Open</c> and evicted by <c>Close</c>, with <paramref name="close"/> as the body of <c>Close</c>.</summary>
    private static string Sessions(string close, string declaration = "private readonly Dictionary<int, string> _sessions = new Dictionary<int, string>();", string more = "") => Cache($$"""
            {{declaration}}

            public void Open(int id, string user) => _sessions[id] = user;

            public string Find(int id) => _sessions.TryGetValue(id, out var user) ? user : null;
        {{more}}
            public bool Close(int id)
            {
        {{close}}
            }
        """);

    // ---- Diagnostics -------------------------------------------------------------------------------------------

    [Fact]
    public async Task Reports_RemovalFromAFilledFieldDictionary_AsInfo_NamingTheField()
    {
        var test = new AnalyzerOnly { TestCode = Sessions("""
                    {|#0:_sessions.Remove(id)|};
                    return true;
            """) };
        test.ExpectedDiagnostics.Add(Info(0).WithArguments("_sessions"));
        await test.RunAsync();
    }

    [Fact]
    public Task Reports_EveryRemovalOfEveryEvictingKind() => new AnalyzerOnly
    {
        TestCode = Cache("""
                private static readonly HashSet<string> s_names = new HashSet<string>();
                private List<int> Recent { get; } = new List<int>();
                private readonly SortedList<int, string> _ranked = new SortedList<int, string>();
                private readonly ConcurrentDictionary<string, int> _hits = new ConcurrentDictionary<string, int>();

                public void Fill(string s, int i)
                {
                    s_names.Add(s);
                    Recent.Add(i);
                    _ranked.Add(i, s);
                    _hits.AddOrUpdate(s, 1, (_, n) => n + 1);
                }

                public void Evict(string s, int i)
                {
                    {|#0:s_names.RemoveWhere(n => n.Length > i)|};
                    {|#1:s_names.ExceptWith(new[] { s })|};
                    {|#2:Recent.RemoveAt(0)|};
                    {|#3:Recent.RemoveAll(x => x > i)|};
                    {|#4:_ranked.Remove(i)|};
                    {|#5:_hits.TryRemove(s, out _)|};
                }
            """),
        ExpectedDiagnostics = { Info(0), Info(1), Info(2), Info(3), Info(4), Info(5) },
    }.RunAsync();

    [Fact]
    public Task DoesNotReport_QueuesAndStacks_WhichDrainRatherThanEvict() => new AnalyzerOnly
    {
        TestCode = Cache("""
                private readonly Queue<int> _work = new Queue<int>();
                private readonly Stack<int> _undo = new Stack<int>();

                public void Add(int i) { _work.Enqueue(i); _undo.Push(i); }

                public int Take() => _work.Dequeue() + _undo.Pop();
            """),
    }.RunAsync();

    [Fact]
    public Task DoesNotReport_ACollectionOnlyFilledInTheConstructor() => new AnalyzerOnly
    {
        TestCode = Cache("""
                private readonly Dictionary<int, string> _names = new Dictionary<int, string> { [1] = "one", [2] = "two" };
                private readonly List<int> _todo;

                public SessionCache() { _todo = new List<int>(); _todo.Add(1); }

                public void Forget(int id) { _names.Remove(id); _todo.Remove(id); }
            """),
    }.RunAsync();

    [Theory]
    [InlineData("public void Compact() => _sessions.TrimExcess();")]
    [InlineData("public void Reset() { _sessions.Clear(); _sessions.TrimExcess(); }")]
    public Task DoesNotReport_ACollectionTheTypeTrims(string more)
    {
        var code = Sessions("""
                    return _sessions.Remove(id);
            """, more: more);
        return new AnalyzerOnly { TestCode = code }.RunAsync();
    }

    [Fact]
    public Task DoesNotReport_ACollectionTheTypeRebuilds() => new AnalyzerOnly
    {
        TestCode = Sessions("""
                    return _sessions.Remove(id);
            """, declaration: "private Dictionary<int, string> _sessions = new Dictionary<int, string>();",
            more: "public void Reset() => _sessions = new Dictionary<int, string>();"),
    }.RunAsync();

    [Fact]
    public Task DoesNotReport_AConcurrentDictionaryThatIsCleared_WhichShrinksIt() => new AnalyzerOnly
    {
        TestCode = Cache("""
                private readonly ConcurrentDictionary<string, int> _hits = new ConcurrentDictionary<string, int>();

                public void Hit(string s) => _hits.AddOrUpdate(s, 1, (_, n) => n + 1);

                public void Forget(string s) => _hits.TryRemove(s, out _);

                public void Reset() => _hits.Clear();
            """),
    }.RunAsync();

    [Fact]
    public Task DoesNotReport_ALocalCollection() => new AnalyzerOnly
    {
        TestCode = Cache("""
                public int Distinct(int[] values)
                {
                    var set = new HashSet<int>(values);
                    set.Remove(0);
                    return set.Count;
                }
            """),
    }.RunAsync();

    [Fact]
    public Task DoesNotReport_ACollectionTheTypeWasGiven_ItsOwnerDecidesItsLifetime() => new AnalyzerOnly
    {
        TestCode = Cache("""
                private readonly Dictionary<string, int> _dictionary;
                private readonly HashSet<string> _set;

                public SessionCache(Dictionary<string, int> dictionary, Options options)
                {
                    _dictionary = dictionary ?? throw new ArgumentNullException(nameof(dictionary));
                    _set = options.Names;
                }

                public void Add(string key) { _dictionary[key] = 1; _set.Add(key); }

                public void Remove(string key) { _dictionary.Remove(key); _set.Remove(key); }
            }

            class Options
            {
                public HashSet<string> Names { get; } = new HashSet<string>();
            """),
    }.RunAsync();

    [Fact]
    public Task DoesNotReport_AFieldInitializedWithAPrimaryConstructorParameter() => new AnalyzerOnly
    {
        TestCode = """
            using System.Collections.Generic;

            class Lookup(Dictionary<string, int> dictionary)
            {
                private readonly Dictionary<string, int> _dictionary = dictionary;

                public void Add(string key) => _dictionary[key] = 1;

                public bool Remove(string key) => _dictionary.Remove(key);
            }
            """,
    }.RunAsync();

    [Fact]
    public async Task DoesNotReport_ARemovalFollowedByAnAddition_ABoundedCacheMakingRoom_ButReportsOtherRemovals()
    {
        var test = new AnalyzerOnly
        {
            TestCode = Cache("""
                    private readonly List<string> _recent = new List<string>();

                    public void Touch(string key)
                    {
                        if (_recent.Count == 16)
                        {
                            _recent.RemoveAt(0);
                        }

                        _recent.Add(key);
                    }

                    public void Forget(string key) => {|#0:_recent.Remove(key)|};
                """),
        };
        test.ExpectedDiagnostics.Add(Info(0).WithArguments("_recent"));
        await test.RunAsync();
    }

    [Fact]
    public async Task Reports_RemovalsThatDrainBeforeAnAddition_InALoopOrInBulk()
    {
        var test = new AnalyzerOnly
        {
            TestCode = Cache("""
                    private readonly Dictionary<string, DateTime> _expiries = new Dictionary<string, DateTime>();
                    private readonly List<string> _log = new List<string>();

                    public void Set(string key, DateTime expiry, DateTime now)
                    {
                        foreach (var expired in new List<string>(_expiries.Keys))
                        {
                            if (_expiries[expired] < now)
                            {
                                {|#0:_expiries.Remove(expired)|};
                            }
                        }

                        _expiries[key] = expiry;
                        {|#1:_log.RemoveAll(line => line.Length == 0)|};
                        _log.Add(key);
                    }
                """),
        };
        test.ExpectedDiagnostics.Add(Info(0).WithArguments("_expiries"));
        test.ExpectedDiagnostics.Add(Info(1).WithArguments("_log"));
        await test.RunAsync();
    }

    // ---- the fix: trim when the count fell below a quarter of the capacity ------------------------------------------

    [Theory]
    [InlineData(ReferenceSet.Net80, "_sessions.EnsureCapacity(0)")]
    [InlineData(ReferenceSet.Net100, "_sessions.Capacity")]
    public Task Shrink_Dictionary_TrimsWhenTheCountFellBelowAQuarterOfTheCapacity(ReferenceSet references, string capacity) => new Test
    {
        ReferenceSet = references,
        TestCode = Sessions("""
                    {|#0:_sessions.Remove(id)|};
                    return true;
            """),
        ExpectedDiagnostics = { Info(0) },
        FixedCode = Sessions($$"""
                    _sessions.Remove(id);
                    if (_sessions.Count < {{capacity}} / 4)
                    {
                        _sessions.TrimExcess();
                    }

                    return true;
            """),
    }.RunAsync();

    [Fact]
    public Task Shrink_AfterAnIfWhoseConditionRemoves_AndBeforeAReturnThatRemoves_FixAll() => new Test
    {
        TestCode = Cache("""
                private readonly List<int> _recent = new List<int>();
                private readonly SortedList<int, string> _ranked = new SortedList<int, string>();

                public void Add(int i) { _recent.Add(i); _ranked[i] = ""; }

                public void Forget(int i)
                {
                    if ({|#0:_recent.Remove(i)|})
                    {
                        Console.WriteLine("forgot " + i);
                    }
                }

                public bool Unrank(int i)
                {
                    return {|#1:_ranked.Remove(i)|};
                }
            """),
        ExpectedDiagnostics = { Info(0), Info(1) },
        FixedCode = Cache("""
                private readonly List<int> _recent = new List<int>();
                private readonly SortedList<int, string> _ranked = new SortedList<int, string>();

                public void Add(int i) { _recent.Add(i); _ranked[i] = ""; }

                public void Forget(int i)
                {
                    if (_recent.Remove(i))
                    {
                        Console.WriteLine("forgot " + i);
                    }

                    if (_recent.Count < _recent.Capacity / 4)
                    {
                        _recent.TrimExcess();
                    }
                }

                public bool Unrank(int i)
                {
                    if (_ranked.Count < _ranked.Capacity / 4)
                    {
                        _ranked.TrimExcess();
                    }

                    return _ranked.Remove(i);
                }
            """),
    }.RunAsync();

    [Fact]
    public Task Shrink_ListHandedOut_StillGetsTheTrim_WhoseOrderIsByIndex() => new Test
    {
        TestCode = Cache("""
                private readonly List<string> _recent = new List<string>();

                public IReadOnlyList<string> Recent => _recent;

                public void Add(string s) => _recent.Add(s);

                public void Drop() => {|#0:_recent.RemoveAt(0)|};
            """),
        ExpectedDiagnostics = { Info(0) },
        FixedCode = Cache("""
                private readonly List<string> _recent = new List<string>();

                public IReadOnlyList<string> Recent => _recent;

                public void Add(string s) => _recent.Add(s);

                public void Drop() => _recent.RemoveAt(0);
            """).Replace("public void Drop() => _recent.RemoveAt(0);", "public void Drop() => {|#0:_recent.RemoveAt(0)|};", StringComparison.Ordinal),
    }.RunAsync();

    [Fact]
    public Task Shrink_Options_SetTheRatioAndTheCheckInterval() => new Test
    {
        EditorConfig = "root = true\n\n[*.cs]\nALLOC011.shrink_ratio = 8\nALLOC011.removals_between_checks = 100\n",
        TestCode = Sessions("""
                    {|#0:_sessions.Remove(id)|};
                    return true;
            """),
        ExpectedDiagnostics = { Info(0) },
        FixedCode = Sessions("""
                    _sessions.Remove(id);
                    if (_sessions.Count < _sessions.EnsureCapacity(0) / 8)
                    {
                        _sessions.TrimExcess();
                    }

                    return true;
            """),
    }.RunAsync();

    // ---- not offered where trimming could show ----------------------------------------------------------------------

    [Theory]
    [InlineData("public IEnumerable<int> Ids => _sessions.Keys;")]
    [InlineData("public void Print() { foreach (var pair in _sessions) Console.WriteLine(pair.Key); }")]
    [InlineData("public IReadOnlyDictionary<int, string> All => _sessions;")]
    public Task Shrink_NotOffered_ForAHashTableWhoseOrderCanBeSeen(string more)
    {
        var code = Sessions("""
                    {|#0:_sessions.Remove(id)|};
                    return true;
            """, more: more);
        return new Test { TestCode = code, ExpectedDiagnostics = { Info(0) }, FixedCode = code }.RunAsync();
    }

    [Fact]
    public Task Shrink_NotOffered_InsideALambda() => new Test
    {
        TestCode = Sessions("""
                    Action evict = () => {|#0:_sessions.Remove(id)|};
                    evict();
                    return true;
            """),
        ExpectedDiagnostics = { Info(0) },
        FixedCode = Sessions("""
                    Action evict = () => {|#0:_sessions.Remove(id)|};
                    evict();
                    return true;
            """),
    }.RunAsync();

    // ---- framework differences: counter-driven trim and rebuild -----------------------------------------------------

    [Theory]
    [InlineData(ReferenceSet.NetStandard20)]
    [InlineData(ReferenceSet.Net472)]
    public Task OldFrameworks_HashSet_HasTrimExcessButNoCapacity_TrimsEveryThousandRemovals(ReferenceSet references) => new Test
    {
        ReferenceSet = references,
        TestCode = Cache("""
                private static readonly HashSet<string> s_names = new HashSet<string>(StringComparer.Ordinal);

                public static void Add(string name) => s_names.Add(name);

                public static void Forget(string name)
                {
                    {|#0:s_names.Remove(name)|};
                }
            """),
        ExpectedDiagnostics = { Info(0) },
        FixedCode = Cache("""
                private static readonly HashSet<string> s_names = new HashSet<string>(StringComparer.Ordinal);
                private static int _namesRemovalsSinceTrim;

                public static void Add(string name) => s_names.Add(name);

                public static void Forget(string name)
                {
                    s_names.Remove(name);
                    if (++_namesRemovalsSinceTrim % 1024 == 0 && _namesRemovalsSinceTrim >= s_names.Count)
                    {
                        s_names.TrimExcess();
                        _namesRemovalsSinceTrim = 0;
                    }
                }
            """),
    }.RunAsync();

    [Theory]
    [InlineData(ReferenceSet.NetStandard20)]
    [InlineData(ReferenceSet.Net472)]
    public Task OldFrameworks_Dictionary_HasNoTrimExcess_IsRebuiltEveryThousandRemovals(ReferenceSet references) => new Test
    {
        ReferenceSet = references,
        TestCode = Sessions("""
                    {|#0:_sessions.Remove(id)|};
                    return true;
            """, declaration: "private Dictionary<int, string> _sessions = new Dictionary<int, string>();"),
        ExpectedDiagnostics = { Info(0) },
        FixedCode = Sessions("""
                    _sessions.Remove(id);
                    if (++_sessionsRemovalsSinceRebuild % 1024 == 0 && _sessionsRemovalsSinceRebuild >= _sessions.Count)
                    {
                        _sessions = new Dictionary<int, string>(_sessions, _sessions.Comparer);
                        _sessionsRemovalsSinceRebuild = 0;
                    }

                    return true;
            """, declaration: "private Dictionary<int, string> _sessions = new Dictionary<int, string>();\n    private int _sessionsRemovalsSinceRebuild;"),
    }.RunAsync();

    [Fact]
    public Task OldFrameworks_CounterName_IsUnique_AndUsesTheReceiver() => new Test
    {
        ReferenceSet = ReferenceSet.Net472,
        TestCode = Cache("""
                private HashSet<int> _ids = new HashSet<int>(), _other = new HashSet<int>();
                private int _idsRemovalsSinceTrim;

                public void Add(int id) { _ids.Add(id); _other.Add(_idsRemovalsSinceTrim); }

                public void Forget(int id)
                {
                    {|#0:this._ids.Remove(id)|};
                }
            """),
        ExpectedDiagnostics = { Info(0) },
        FixedCode = Cache("""
                private HashSet<int> _ids = new HashSet<int>(), _other = new HashSet<int>();
                private int _idsRemovalsSinceTrim2;
                private int _idsRemovalsSinceTrim;

                public void Add(int id) { _ids.Add(id); _other.Add(_idsRemovalsSinceTrim); }

                public void Forget(int id)
                {
                    this._ids.Remove(id);
                    if (++this._idsRemovalsSinceTrim2 % 1024 == 0 && this._idsRemovalsSinceTrim2 >= this._ids.Count)
                    {
                        this._ids.TrimExcess();
                        this._idsRemovalsSinceTrim2 = 0;
                    }
                }
            """),
    }.RunAsync();

    [Theory]
    [InlineData(ReferenceSet.NetStandard20)]
    [InlineData(ReferenceSet.Net472)]
    public Task OldFrameworks_ReadonlyDictionary_GetsNoFix(ReferenceSet references)
    {
        var code = Sessions("""
                    {|#0:_sessions.Remove(id)|};
                    return true;
            """);
        return new Test { ReferenceSet = references, TestCode = code, ExpectedDiagnostics = { Info(0) }, FixedCode = code }.RunAsync();
    }

    // ---- ConcurrentDictionary: the periodic rebuild under one lock ----------------------------------------------------

    private static string Blobs(string put, string evict, string declaration = "private ConcurrentDictionary<string, byte[]> _blobs = new ConcurrentDictionary<string, byte[]>(StringComparer.Ordinal);") => Cache($$"""
            private readonly object _gate = new object();
            {{declaration}}

            public byte[] Get(string key) => _blobs.TryGetValue(key, out var blob) ? blob : null;

            public void Put(string key, byte[] blob)
            {
        {{put}}
            }

            public void Evict(string key)
            {
        {{evict}}
            }
        """);

    private const string PutUnderLock = """
                lock (_gate)
                {
                    _blobs[key] = blob;
                }
        """;

    [Fact]
    public Task Shrink_ConcurrentDictionary_UnderOneLock_IsRebuiltEveryThousandRemovals() => new Test
    {
        TestCode = Blobs(PutUnderLock, """
                    lock (_gate)
                    {
                        {|#0:_blobs.TryRemove(key, out _)|};
                    }
            """),
        ExpectedDiagnostics = { Info(0) },
        FixedCode = Blobs(PutUnderLock, """
                    lock (_gate)
                    {
                        _blobs.TryRemove(key, out _);
                        if (++_blobsRemovalsSinceRebuild % 1024 == 0 && _blobsRemovalsSinceRebuild >= _blobs.Count)
                        {
                            _blobs = new ConcurrentDictionary<string, byte[]>(_blobs, _blobs.Comparer);
                            _blobsRemovalsSinceRebuild = 0;
                        }
                    }
            """, declaration: "private ConcurrentDictionary<string, byte[]> _blobs = new ConcurrentDictionary<string, byte[]>(StringComparer.Ordinal);\n    private int _blobsRemovalsSinceRebuild;"),
    }.RunAsync();

    [Theory]
    [InlineData("_blobs[key] = blob;")]
    [InlineData("lock (this) { _blobs[key] = blob; }")]
    public Task Shrink_ConcurrentDictionary_NotOffered_WhenSomeWriteIsNotUnderTheSameLock(string put)
    {
        var code = Blobs(put, """
                    lock (_gate)
                    {
                        {|#0:_blobs.TryRemove(key, out _)|};
                    }
            """);
        return new Test { TestCode = code, ExpectedDiagnostics = { Info(0) }, FixedCode = code }.RunAsync();
    }

    [Fact]
    public Task Shrink_ConcurrentDictionary_WithoutAnyLock_GetsNoFix()
    {
        var code = Blobs("_blobs[key] = blob;", "{|#0:_blobs.TryRemove(key, out _)|};");
        return new Test { TestCode = code, ExpectedDiagnostics = { Info(0) }, FixedCode = code }.RunAsync();
    }

    [Theory]
    [InlineData(ReferenceSet.NetStandard20)]
    [InlineData(ReferenceSet.Net472)]
    public Task OldFrameworks_ConcurrentDictionary_HasNoComparerProperty_RebuiltOnlyWithTheDefaultComparer(ReferenceSet references)
    {
        const string EvictUnderLock = """
                    lock (_gate)
                    {
                        {|#0:_blobs.TryRemove(key, out _)|};
                    }
            """;
        var withComparer = Blobs(PutUnderLock, EvictUnderLock);
        return Task.WhenAll(
            new Test { ReferenceSet = references, TestCode = withComparer, ExpectedDiagnostics = { Info(0) }, FixedCode = withComparer }.RunAsync(),
            new Test
            {
                ReferenceSet = references,
                TestCode = Blobs(PutUnderLock, EvictUnderLock, declaration: "private ConcurrentDictionary<string, byte[]> _blobs = new ConcurrentDictionary<string, byte[]>();"),
                ExpectedDiagnostics = { Info(0) },
                FixedCode = Blobs(PutUnderLock, """
                    lock (_gate)
                    {
                        _blobs.TryRemove(key, out _);
                        if (++_blobsRemovalsSinceRebuild % 1024 == 0 && _blobsRemovalsSinceRebuild >= _blobs.Count)
                        {
                            _blobs = new ConcurrentDictionary<string, byte[]>(_blobs);
                            _blobsRemovalsSinceRebuild = 0;
                        }
                    }
            """, declaration: "private ConcurrentDictionary<string, byte[]> _blobs = new ConcurrentDictionary<string, byte[]>();\n    private int _blobsRemovalsSinceRebuild;"),
            }.RunAsync());
    }

    // ---- behaviour -------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("List<int>", "new List<int>()", "_items.Add(i)", "_items.Remove(i * 7 % 3_000)", "_items.Count + \":\" + string.Join(\",\", _items.ToArray())")]
    [InlineData("Dictionary<int, string>", "new Dictionary<int, string>()", "_items[i] = \"v\" + i", "_items.Remove(i * 7 % 3_000)", "_items.Count + \":\" + (_items.TryGetValue(2_999, out var v) ? v : \"-\") + (_items.ContainsKey(5) ? \"5\" : \"\")")]
    [InlineData("HashSet<string>", "new HashSet<string>(StringComparer.OrdinalIgnoreCase)", "_items.Add(\"K\" + i)", "_items.Remove(\"k\" + (i * 7 % 3_000))", "_items.Count + \":\" + _items.Contains(\"k2999\")")]
    [InlineData("SortedList<int, int>", "new SortedList<int, int>()", "_items[i] = -i", "_items.Remove(i * 7 % 3_000)", "_items.Count + \":\" + string.Join(\",\", _items.Values)")]
    public async Task FixedProgram_PrintsTheSame(string type, string creation, string fill, string remove, string dump)
    {
        var source = $$"""
            using System;
            using System.Collections.Generic;
            using System.Text;

            sealed class Store
            {
                private readonly {{type}} _items = {{creation}};

                public void Fill(int i) => {{fill}};

                public void Evict(int i)
                {
                    {{remove}};
                }

                public string Dump() => {{dump}};
            }

            public static class Program
            {
                public static string Run()
                {
                    var store = new Store();
                    var sb = new StringBuilder();
                    for (var i = 0; i < 3_000; i++) store.Fill(i);
                    for (var i = 0; i < 2_990; i++) store.Evict(i);
                    sb.Append(store.Dump()).Append('/');
                    for (var i = 5; i < 9; i++) store.Fill(i);
                    sb.Append(store.Dump());
                    return sb.ToString();
                }
            }
            """;
        var fixedSource = await new Test { TestCode = source }.ApplyFixesAsync();

        Assert.Contains("TrimExcess();", fixedSource, StringComparison.Ordinal);
        var before = ProgramRunner.Run(source);
        Assert.StartsWith("returned: ", before, StringComparison.Ordinal);
        Assert.Equal(before, ProgramRunner.Run(fixedSource));
    }
}
