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
    public Task Rebuild_ReplacesTheClear_KeepingTheComparer() => new Test
    {
        CodeActionEquivalenceKey = ClearedCollectionKeepsCapacityFixer.RebuildEquivalenceKey,
        TestCode = Cache("""
                private Dictionary<string, int> _ids = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);

                public void Add(string name, int id) => _ids[name] = id;

                public bool Has(string name) => _ids.ContainsKey(name);

                public void Reset()
                {
                    [|_ids.Clear()|];
                }
            """),
        FixedCode = Cache("""
                private Dictionary<string, int> _ids = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);

                public void Add(string name, int id) => _ids[name] = id;

                public bool Has(string name) => _ids.ContainsKey(name);

                public void Reset()
                {
                    _ids = new Dictionary<string, int>(_ids.Comparer);
                }
            """),
    }.RunAsync();
}
