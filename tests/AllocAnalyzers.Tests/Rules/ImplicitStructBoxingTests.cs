using System.Threading.Tasks;
using AllocAnalyzers.Tests.Harness;
using static AllocAnalyzers.Tests.Harness.DiagnosticResult;
using AnalyzerOnly = AllocAnalyzers.Tests.Harness.AnalyzerTest<AllocAnalyzers.Rules.ImplicitStructBoxingAnalyzer>;

namespace AllocAnalyzers.Tests.Rules;

/// <summary>ALLOC031: structs boxed by the runtime (constrained calls into ValueType/Enum, default-comparer keys, interface enumeration).</summary>
public sealed class ImplicitStructBoxingTests
{
    private const string Structs = """
        struct Plain { public int X; public int Y; }

        struct WithEquality : IEquatable<WithEquality>
        {
            public int X;
            public bool Equals(WithEquality other) => X == other.X;
            public override bool Equals(object obj) => obj is WithEquality other && Equals(other);
            public override int GetHashCode() => X;
            public override string ToString() => X.ToString();
        }

        struct EquatableWithoutHash : IEquatable<EquatableWithoutHash>
        {
            public int X;
            public bool Equals(EquatableWithoutHash other) => X == other.X;
        }
        """;

    private static string Wrap(string body) => $$"""
        using System;
        using System.Collections.Generic;

        {{Structs}}

        class C
        {
            void M(Plain[] items, WithEquality w, DayOfWeek day, List<int> list)
            {
                foreach (var p in items)
                {
        {{body}}
                }
            }
        }
        """;

    [Fact]
    public async Task Reports_NonOverriddenGetHashCode_WithMessage()
    {
        var test = new AnalyzerOnly { TestCode = Wrap("            Console.WriteLine({|#0:p|}.GetHashCode());") };
        test.ExpectedDiagnostics.Add(Diagnostic("ALLOC031").WithLocation(0)
            .WithMessage("Struct 'Plain' does not override 'GetHashCode', so the call boxes it on every iteration of this 'foreach' loop"));
        await test.RunAsync();
    }

    [Theory]
    [InlineData("Console.WriteLine([|p|].ToString());")]
    [InlineData("Console.WriteLine([|p|].Equals(items[0]));")]
    [InlineData("Console.WriteLine([|day|].ToString());")]
    public Task Reports_ConstrainedCallsIntoValueTypeOrEnum(string body) => new AnalyzerOnly { TestCode = Wrap("            " + body) }.RunAsync();

    [Theory]
    [InlineData("Console.WriteLine(w.GetHashCode() + w.ToString());")]
    [InlineData("Console.WriteLine(w.Equals(w));")]
    [InlineData("Console.WriteLine(day.GetHashCode());")]
    [InlineData("Console.WriteLine(p.X.ToString());")]
    public Task DoesNotReport_OverriddenOrDevirtualizedMethods(string body) => new AnalyzerOnly { TestCode = Wrap("            " + body) }.RunAsync();

    [Fact]
    public Task Reports_DictionaryAndHashSetKeys_WithoutTheirOwnEquality() => new AnalyzerOnly
    {
        TestCode = $$"""
            using System;
            using System.Collections.Generic;

            {{Structs}}

            class C
            {
                Dictionary<Plain, int> _a = [|new Dictionary<Plain, int>()|];
                HashSet<EquatableWithoutHash> _b = [|new HashSet<EquatableWithoutHash>()|];
                Dictionary<WithEquality, int> _c = new Dictionary<WithEquality, int>();
                Dictionary<Plain, int> _d = new Dictionary<Plain, int>(new PlainComparer());
                Dictionary<DayOfWeek, int> _e = new Dictionary<DayOfWeek, int>();
                Dictionary<(int, int), int> _f = new Dictionary<(int, int), int>();
            }

            sealed class PlainComparer : IEqualityComparer<Plain>
            {
                public bool Equals(Plain a, Plain b) => a.X == b.X && a.Y == b.Y;
                public int GetHashCode(Plain p) => p.X ^ p.Y;
            }
            """,
    }.RunAsync();

    [Fact]
    public Task Reports_EnumKeys_OnNetFramework() => new AnalyzerOnly
    {
        ReferenceSet = ReferenceSet.Net472,
        TestCode = """
            using System;
            using System.Collections.Generic;
            class C
            {
                Dictionary<DayOfWeek, int> _e = [|new Dictionary<DayOfWeek, int>()|];
            }
            """,
    }.RunAsync();

    [Fact]
    public Task Reports_ForEachOverAnInterface_OfAKnownStructEnumerator() => new AnalyzerOnly
    {
        TestCode = Wrap("""
                        foreach (var x in (IEnumerable<int>)[|list|]) Console.WriteLine(x);
                        foreach (var x in list) Console.WriteLine(x);
            """),
    }.RunAsync();
}
