using System;
using System.Threading.Tasks;
using AllocAnalyzers.CodeFixes.Rules;
using AllocAnalyzers.Tests.Harness;
using static AllocAnalyzers.Tests.Harness.DiagnosticResult;
using AnalyzerOnly = AllocAnalyzers.Tests.Harness.AnalyzerTest<AllocAnalyzers.Rules.ClearedCollectionKeepsCapacityAnalyzer>;
using Test = AllocAnalyzers.Tests.Harness.CodeFixTest<AllocAnalyzers.Rules.ClearedCollectionKeepsCapacityAnalyzer, AllocAnalyzers.CodeFixes.Rules.ClearedCollectionKeepsCapacityFixer>;

namespace AllocAnalyzers.Tests.Rules;

/// <summary>ALLOC010: long-lived collections cleared without releasing their capacity; "Trim after clearing" and "Rebuild the collection".</summary>
public sealed class ClearedCollectionKeepsCapacityTests
{
    private const string Trim = ClearedCollectionKeepsCapacityFixer.TrimAfterClearEquivalenceKey;
    private const string Rebuild = ClearedCollectionKeepsCapacityFixer.RebuildEquivalenceKey;

    private static string Cache(string members) => $$"""
        using System;
        using System.Collections.Generic;
        using System.Linq;

        class UserCache
        {
        {{members}}
        }
        """;

    // ---- Diagnostics -------------------------------------------------------------------------------------------

    [Fact]
    public async Task Reports_FieldDictionaryClearedAfterBeingFilled_AtTheClear_NamingTheField()
    {
        var test = new AnalyzerOnly
        {
            TestCode = Cache("""
                    private readonly Dictionary<int, string> _users = new Dictionary<int, string>();

                    public void Add(int id, string name) => _users[id] = name;

                    public void Reset() => {|#0:_users.Clear()|};
                """),
        };
        test.ExpectedDiagnostics.Add(Diagnostic("ALLOC010").WithLocation(0).WithArguments("_users", "Dictionary"));
        await test.RunAsync();
    }

    [Fact]
    public Task Reports_AnAutoPropertyThatIsTheTypesOnlyCandidate() => new AnalyzerOnly
    {
        TestCode = Cache("""
                public List<int> Items { get; } = new List<int>();

                public int Count => Items.Count;

                public void Fill(int i) => Items.Add(i);

                public void Reset() => [|Items.Clear()|];
            """),
    }.RunAsync();

    [Fact]
    public Task DoesNotCount_AFillOfAnotherTypesMemberOfTheSameName() => new AnalyzerOnly
    {
        TestCode = """
            using System.Collections.Generic;

            class Other
            {
                public List<int> Items { get; } = new List<int>();
                public List<int> _items = new List<int>();
            }

            class UserCache
            {
                private List<int> Items { get; } = new List<int>();
                private List<int> _items = new List<int>();

                public void Fill(Other other, int i)
                {
                    other.Items.Add(i);
                    other._items.Add(i);
                }

                public void Reset()
                {
                    Items.Clear();
                    _items.Clear();
                }
            }
            """,
    }.RunAsync();

    [Fact]
    public Task Reports_EveryCollectionKind_StaticFieldsAndAutoProperties() => new AnalyzerOnly
    {
        TestCode = Cache("""
                private static HashSet<string> s_seen = new HashSet<string>();
                private List<int> Pending { get; } = new List<int>();
                internal Queue<string> Work = new Queue<string>();
                protected Stack<int> Undo = new Stack<int>();
                public SortedList<int, string> Ranked { get; set; } = new SortedList<int, string>();

                public void Fill(string s, int i)
                {
                    s_seen.Add(s);
                    Pending.AddRange(new[] { i });
                    Work.Enqueue(s);
                    Undo.Push(i);
                    Ranked[i] = s;
                }

                public void Reset()
                {
                    [|s_seen.Clear()|];
                    [|Pending.Clear()|];
                    [|this.Work.Clear()|];
                    [|Undo.Clear()|];
                    [|Ranked.Clear()|];
                }
            """),
    }.RunAsync();

    [Fact]
    public Task Reports_ATypeDerivedFromACollection_AndUsesInOtherPartialDeclarations() => new AnalyzerOnly
    {
        TestCode = """
            using System.Collections.Generic;

            sealed class NameMap : Dictionary<string, int> { }

            partial class Registry
            {
                private readonly NameMap _names = new NameMap();

                public void Reset() => [|_names.Clear()|];
            }
            """,
        AdditionalSources =
        {
            """
            partial class Registry
            {
                public void Register(string name, int id) => _names.Add(name, id);
            }
            """,
        },
    }.RunAsync();

    [Fact]
    public Task Reports_AFillInALambdaOfTheConstructor_WhichRunsLater() => new AnalyzerOnly
    {
        TestCode = Cache("""
                private readonly List<string> _log = new List<string>();

                public UserCache(Action<Action<string>> subscribe)
                {
                    subscribe(line => _log.Add(line));
                }

                public void Flush() => [|_log.Clear()|];
            """),
    }.RunAsync();

    [Fact]
    public Task Reports_AStaticFieldFilledByANestedType() => new AnalyzerOnly
    {
        TestCode = Cache("""
                private static readonly Dictionary<int, string> s_users = new Dictionary<int, string>();

                public static void Reset() => [|s_users.Clear()|];

                public sealed class Loader
                {
                    public void Load(int id) => s_users[id] = "user" + id;
                }
            """),
    }.RunAsync();

    [Fact]
    public Task Rebuild_NotOffered_WhenANestedTypeHandsTheCollectionOut()
    {
        var code = Cache("""
                private static Dictionary<int, string> s_users = new Dictionary<int, string>();

                public static void Add(int id) => s_users[id] = "user" + id;

                public static void Reset() => [|s_users.Clear()|];

                public sealed class Exporter
                {
                    public IReadOnlyDictionary<int, string> Snapshot() => s_users;
                }
            """);
        return new Test { ReferenceSet = ReferenceSet.Net472, TestCode = code, FixedCode = code }.RunAsync();
    }

    /// <summary>
    /// A type nested two levels down trims the collection: the nested types' own actions gather the use, and the
    /// container's end waits for them. Run repeatedly, with the driver's concurrent analysis, so that an order in which
    /// the container ended first would show as a report.
    /// </summary>
    [Fact]
    public async Task DoesNotReport_ACollectionATypeNestedTwoLevelsDownTrims()
    {
        for (var run = 0; run < 10; run++)
        {
            await new AnalyzerOnly
            {
                TestCode = Cache("""
                        private static readonly List<int> s_ids = new List<int>();

                        public static void Add(int id) => s_ids.Add(id);

                        public static void Reset() => s_ids.Clear();

                        public sealed class Maintenance
                        {
                            public void Run() => new Compactor().Compact();

                            private sealed class Compactor
                            {
                                public void Compact() => s_ids.TrimExcess();
                            }
                        }
                    """),
            }.RunAsync();
        }
    }

    [Fact]
    public Task Reports_AFieldFilledOnlyByANestedTypeDeclaredInAnotherFileOfThePartialType() => new AnalyzerOnly
    {
        TestCode = """
            using System.Collections.Generic;

            partial class Registry
            {
                private static readonly Dictionary<int, string> s_names = new Dictionary<int, string>();

                public static void Reset() => [|s_names.Clear()|];
            }
            """,
        AdditionalSources =
        {
            """
            partial class Registry
            {
                public sealed class Loader
                {
                    public void Load(int id) => s_names[id] = "name" + id;
                }
            }
            """,
        },
    }.RunAsync();

    /// <summary>The driver runs no actions in generated code: a generated nested type's fill is read from its declaration.</summary>
    [Fact]
    public Task Reports_AFieldFilledOnlyByAGeneratedNestedType() => new AnalyzerOnly
    {
        TestCode = Cache("""
                private static readonly Dictionary<int, string> s_users = new Dictionary<int, string>();

                public static void Reset() => [|s_users.Clear()|];

                [System.CodeDom.Compiler.GeneratedCode("tool", "1.0")]
                public sealed class Loader
                {
                    public void Load(int id) => s_users[id] = "user" + id;
                }
            """),
    }.RunAsync();

    [Fact]
    public Task DoesNotReport_ALocalClearedAndRefilledInOneMethod() => new AnalyzerOnly
    {
        TestCode = Cache("""
                public int Count(int[][] batches)
                {
                    var seen = new HashSet<int>();
                    var total = 0;
                    foreach (var batch in batches)
                    {
                        seen.Clear();
                        foreach (var x in batch) seen.Add(x);
                        total += seen.Count;
                    }

                    return total;
                }
            """),
    }.RunAsync();

    [Fact]
    public Task DoesNotReport_ConcurrentDictionaryClear_WhichShrinks() => new AnalyzerOnly
    {
        TestCode = Cache("""
                private readonly System.Collections.Concurrent.ConcurrentDictionary<int, string> _users = new();

                public void Add(int id, string name) => _users[id] = name;

                public void Reset() => _users.Clear();
            """),
    }.RunAsync();

    [Fact]
    public Task DoesNotReport_ACollectionOnlyFilledInTheConstructor() => new AnalyzerOnly
    {
        TestCode = Cache("""
                private readonly Dictionary<string, int> _codes = new Dictionary<string, int> { ["a"] = 1 };
                private readonly List<int> _primes = new List<int>();

                public UserCache()
                {
                    _primes.Add(2);
                    _primes.Add(3);
                }

                public void Forget()
                {
                    _codes.Clear();
                    _primes.Clear();
                }
            """),
    }.RunAsync();

    [Fact]
    public Task DoesNotReport_AClearFollowedByAReassignmentTrimOrRefill_InItsMethod() => new AnalyzerOnly
    {
        TestCode = Cache("""
                private Dictionary<int, string> _a = new Dictionary<int, string>();
                private List<int> _b = new List<int>();
                private List<int> _c = new List<int>();
                private List<int> _scratch = new List<int>();

                public void Fill(int i) { _a[i] = ""; _b.Add(i); _c.Add(i); }

                public void ResetA() { _a.Clear(); _a = new Dictionary<int, string>(); }
                public void ResetB() { _b.Clear(); _b.TrimExcess(); }
                public void ResetC() { _c.Clear(); _c.Capacity = 16; }

                public int Sum(int[] values)
                {
                    _scratch.Clear();
                    foreach (var v in values) _scratch.Add(v * 2);
                    return _scratch.Sum();
                }
            """),
    }.RunAsync();

    [Fact]
    public Task DoesNotReport_ACollectionTheTypeTrimsElsewhere_OrAClearInDispose() => new AnalyzerOnly
    {
        TestCode = Cache("""
                private readonly Dictionary<int, string> _users = new Dictionary<int, string>();
                private readonly List<int> _ids = new List<int>();

                public void Add(int id, string name) { _users[id] = name; _ids.Add(id); }

                public void Reset() => _users.Clear();

                public void Compact() => _users.TrimExcess();

                public void Dispose() => _ids.Clear();
            """),
    }.RunAsync();

    [Theory]
    [InlineData("public UserCache(Dictionary<int, string> users) => _users = users;")]
    [InlineData("public void Load(Dictionary<int, string> users) => _users = users;")]
    [InlineData("public UserCache(Func<Dictionary<int, string>> make, Dictionary<int, string> fallback) => _users = make() ?? fallback;")]
    public Task DoesNotReport_ClearOfACollectionTheTypeWasGiven(string member) => new AnalyzerOnly
    {
        // Whoever passed it in may hold it too: its owner decides its lifetime, and a trim would change its order for them.
        TestCode = Cache($$"""
                private Dictionary<int, string> _users;

                {{member}}

                public void Add(int id, string name) => _users[id] = name;

                public void Reset() => _users.Clear();
            """),
    }.RunAsync();

    // ---- "Trim after clearing" -----------------------------------------------------------------------------------

    [Fact]
    public Task TrimAfterClear_InsertsTrimExcess() => new Test
    {
        TestCode = Cache("""
                private readonly Dictionary<int, string> _users = new Dictionary<int, string>();

                public void Add(int id, string name) => _users[id] = name;

                public void Reset()
                {
                    [|_users.Clear()|];
                }
            """),
        FixedCode = Cache("""
                private readonly Dictionary<int, string> _users = new Dictionary<int, string>();

                public void Add(int id, string name) => _users[id] = name;

                public void Reset()
                {
                    _users.Clear();
                    _users.TrimExcess();
                }
            """),
    }.RunAsync();

    [Fact]
    public Task TrimAfterClear_ExpressionBody_BecomesABlock() => new Test
    {
        TestCode = Cache("""
                private readonly Dictionary<int, string> _users = new Dictionary<int, string>();

                public void Add(int id, string name) => _users[id] = name;

                public void Reset() => [|_users.Clear()|];
            """),
        FixedCode = Cache("""
                private readonly Dictionary<int, string> _users = new Dictionary<int, string>();

                public void Add(int id, string name) => _users[id] = name;

                public void Reset()
                {
                    _users.Clear();
                    _users.TrimExcess();
                }
            """),
    }.RunAsync();

    [Fact]
    public Task TrimAfterClear_EmbeddedStatementAndSwitchSection_FixAll() => new Test
    {
        CodeActionEquivalenceKey = Trim,
        TestCode = Cache("""
                private static readonly HashSet<string> s_names = new HashSet<string>();
                private readonly Queue<int> _work = new Queue<int>();

                public void Add(string name, int job) { s_names.Add(name); _work.Enqueue(job); }

                public void Reset(int what)
                {
                    if (what > 0) [|UserCache.s_names.Clear()|];
                    switch (what)
                    {
                        case 1:
                            [|this._work.Clear()|];
                            break;
                    }
                }
            """),
        FixedCode = Cache("""
                private static readonly HashSet<string> s_names = new HashSet<string>();
                private readonly Queue<int> _work = new Queue<int>();

                public void Add(string name, int job) { s_names.Add(name); _work.Enqueue(job); }

                public void Reset(int what)
                {
                    if (what > 0)
                    {
                        UserCache.s_names.Clear();
                        UserCache.s_names.TrimExcess();
                    }
                    switch (what)
                    {
                        case 1:
                            this._work.Clear();
                            this._work.TrimExcess();
                            break;
                    }
                }
            """),
    }.RunAsync();

    [Fact]
    public Task TrimAfterClear_NotOffered_WhenAnEnumerationOfTheCollectionCallsCodeThatMayClearIt()
    {
        // On .NET Core, Dictionary.Clear() leaves a running enumerator working; TrimExcess() would make it throw.
        var code = Cache("""
                private readonly Dictionary<int, string> _users = new Dictionary<int, string>();

                public void Add(int id, string name) => _users[id] = name;

                public void Visit()
                {
                    foreach (var pair in _users)
                    {
                        if (pair.Value == null) Reset();
                    }
                }

                public void Reset() => [|_users.Clear()|];
            """);
        return new Test { TestCode = code, FixedCode = code }.RunAsync();
    }

    // ---- framework differences -------------------------------------------------------------------------------------

    [Theory]
    [InlineData(ReferenceSet.NetStandard20)]
    [InlineData(ReferenceSet.Net472)]
    public Task OldFrameworks_Dictionary_HasNoTrimExcess_OnlyTheRebuildIsOffered(ReferenceSet references) => new Test
    {
        ReferenceSet = references,
        TestCode = Cache("""
                private Dictionary<int, string> _users = new Dictionary<int, string>();

                public void Add(int id, string name) => _users[id] = name;

                public void Reset() => [|_users.Clear()|];
            """),
        FixedCode = Cache("""
                private Dictionary<int, string> _users = new Dictionary<int, string>();

                public void Add(int id, string name) => _users[id] = name;

                public void Reset() => _users = new Dictionary<int, string>(_users.Comparer);
            """),
    }.RunAsync();

    [Theory]
    [InlineData(ReferenceSet.NetStandard20)]
    [InlineData(ReferenceSet.Net472)]
    public Task OldFrameworks_ReadonlyDictionary_GetsNoFix(ReferenceSet references)
    {
        var code = Cache("""
                private readonly Dictionary<int, string> _users = new Dictionary<int, string>();

                public void Add(int id, string name) => _users[id] = name;

                public void Reset() => [|_users.Clear()|];
            """);
        return new Test { ReferenceSet = references, TestCode = code, FixedCode = code }.RunAsync();
    }

    [Theory]
    [InlineData(ReferenceSet.NetStandard20)]
    [InlineData(ReferenceSet.Net472)]
    [InlineData(ReferenceSet.Net80)]
    public Task HashSet_HasTrimExcess_OnEveryFramework(ReferenceSet references) => new Test
    {
        ReferenceSet = references,
        CodeActionEquivalenceKey = Trim,
        TestCode = Cache("""
                private readonly HashSet<string> _names = new HashSet<string>();

                public void Add(string name) => _names.Add(name);

                public void Reset()
                {
                    [|_names.Clear()|];
                }
            """),
        FixedCode = Cache("""
                private readonly HashSet<string> _names = new HashSet<string>();

                public void Add(string name) => _names.Add(name);

                public void Reset()
                {
                    _names.Clear();
                    _names.TrimExcess();
                }
            """),
    }.RunAsync();

    // ---- "Rebuild the collection" ----------------------------------------------------------------------------------

    [Fact]
    public Task Rebuild_ReplacesTheClear_KeepingTheComparer() => new Test
    {
        CodeActionEquivalenceKey = Rebuild,
        TestCode = Cache("""
                private Dictionary<string, int> _ids = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);

                public void Add(string name, int id) => _ids[name] = id;

                public bool Has(string name) => _ids.ContainsKey(name) || _ids.Any(p => p.Value == 0);

                public void Reset()
                {
                    [|_ids.Clear()|];
                }
            """),
        FixedCode = Cache("""
                private Dictionary<string, int> _ids = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);

                public void Add(string name, int id) => _ids[name] = id;

                public bool Has(string name) => _ids.ContainsKey(name) || _ids.Any(p => p.Value == 0);

                public void Reset()
                {
                    _ids = new Dictionary<string, int>(_ids.Comparer);
                }
            """),
    }.RunAsync();

    [Fact]
    public Task Rebuild_ListWithoutComparer_InsideTheLock_FixAll() => new Test
    {
        CodeActionEquivalenceKey = Rebuild,
        TestCode = Cache("""
                private readonly object _gate = new object();
                private List<int> _pending = new List<int>();
                private SortedList<int, string> _ranked = new SortedList<int, string>();

                public void Add(int id)
                {
                    lock (_gate)
                    {
                        _pending.Add(id);
                        _ranked[id] = "";
                    }
                }

                public void Reset()
                {
                    lock (_gate)
                    {
                        [|_pending.Clear()|];
                        [|_ranked.Clear()|];
                    }
                }
            """),
        FixedCode = Cache("""
                private readonly object _gate = new object();
                private List<int> _pending = new List<int>();
                private SortedList<int, string> _ranked = new SortedList<int, string>();

                public void Add(int id)
                {
                    lock (_gate)
                    {
                        _pending.Add(id);
                        _ranked[id] = "";
                    }
                }

                public void Reset()
                {
                    lock (_gate)
                    {
                        _pending = new List<int>();
                        _ranked = new SortedList<int, string>(_ranked.Comparer);
                    }
                }
            """),
    }.RunAsync();

    [Theory]
    [InlineData("private readonly Dictionary<int, string> _users = new Dictionary<int, string>();", "")]
    [InlineData("public Dictionary<int, string> _users = new Dictionary<int, string>();", "")]
    [InlineData("private Dictionary<int, string> _users = new Dictionary<int, string>();", "public IReadOnlyDictionary<int, string> Users => _users;")]
    [InlineData("private Dictionary<int, string> _users = new Dictionary<int, string>();", "public IEnumerable<int> Ids => _users.Keys;")]
    [InlineData("private Dictionary<int, string> _users = new Dictionary<int, string>();", "public void Save(Action<object> save) => save(_users);")]
    [InlineData("private Dictionary<int, string> _users = new Dictionary<int, string>();", "public void Touch() { lock (_users) { } }")]
    [InlineData("private Dictionary<int, string> _users = new Dictionary<int, string>();", "public int Peek() { var alias = _users; return alias.Count; }")]
    [InlineData("private Dictionary<int, string> _users = new SortedUsers();", "sealed class SortedUsers : Dictionary<int, string> { }")]
    public Task Rebuild_NotOffered_WhenTheOldInstanceMayBeHeldElsewhere(string declaration, string member)
    {
        var code = Cache($$"""
                {{declaration}}

                public void Add(int id, string name) => _users[id] = name;

                {{member}}

                public void Reset() => [|_users.Clear()|];
            """);
        return new Test { ReferenceSet = ReferenceSet.Net472, TestCode = code, FixedCode = code }.RunAsync();
    }

    [Fact]
    public Task Rebuild_NotOffered_ForAStructsField()
    {
        // A struct's copies share the list: Clear() empties it for all of them, a new list only for one.
        var code = """
            using System.Collections.Generic;

            struct Holder
            {
                private List<int> _items;

                public Holder(int first) { _items = new List<int>(); }

                public void Add(int i) => _items.Add(i);

                public void Reset() => [|_items.Clear()|];
            }
            """;
        return new Test { CodeActionEquivalenceKey = Rebuild, TestCode = code, FixedCode = code }.RunAsync();
    }

    // ---- behaviour -------------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(Trim)]
    [InlineData(Rebuild)]
    public async Task FixedProgram_PrintsTheSame(string key)
    {
        var source = """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Text;

            sealed class Registry
            {
                private Dictionary<string, int> _ids = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
                private List<int> _order = new List<int>();

                public void Add(string name, int id) { _ids[name] = id; _order.Add(id); }

                public void Reset()
                {
                    _ids.Clear();
                    _order.Clear();
                }

                public string Dump()
                {
                    var sb = new StringBuilder();
                    foreach (var pair in _ids) sb.Append(pair.Key).Append('=').Append(pair.Value).Append(',');
                    return sb.Append('|').Append(string.Join(",", _order.ToArray())).Append('|').Append(_ids.ContainsKey("ALPHA")).ToString();
                }
            }

            public static class Program
            {
                public static string Run()
                {
                    var registry = new Registry();
                    var sb = new StringBuilder();
                    for (var i = 0; i < 2_000; i++) registry.Add("name" + i, i);
                    registry.Reset();
                    foreach (var name in new[] { "beta", "alpha", "gamma", "Alpha" }) registry.Add(name, name.Length);
                    sb.Append(registry.Dump());
                    registry.Reset();
                    sb.Append('/').Append(registry.Dump());
                    return sb.ToString();
                }
            }
            """;
        var fixedSource = await new Test { TestCode = source, CodeActionEquivalenceKey = key, OutputKind = Microsoft.CodeAnalysis.OutputKind.DynamicallyLinkedLibrary }.ApplyFixesAsync();

        Assert.NotEqual(source, fixedSource);
        Assert.Contains(key == Trim ? "_ids.TrimExcess();" : "_ids = new Dictionary<string, int>(_ids.Comparer);", fixedSource, StringComparison.Ordinal);
        var before = ProgramRunner.Run(source);
        Assert.StartsWith("returned: beta=4,alpha=5,gamma=5,|4,5,5,5|True/", before, StringComparison.Ordinal);
        Assert.Equal(before, ProgramRunner.Run(fixedSource));
    }
}
