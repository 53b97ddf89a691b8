using System.Threading.Tasks;
using AllocAnalyzers.Tests.Harness;
using static AllocAnalyzers.Tests.Harness.DiagnosticResult;
using AnalyzerOnly = AllocAnalyzers.Tests.Harness.AnalyzerTest<AllocAnalyzers.Rules.ImplicitStructBoxingAnalyzer>;
using Test = AllocAnalyzers.Tests.Harness.CodeFixTest<AllocAnalyzers.Rules.ImplicitStructBoxingAnalyzer, AllocAnalyzers.CodeFixes.Rules.ImplicitStructBoxingFixer>;

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
    [InlineData("Console.WriteLine(\"at \" + [|p|]);")]
    [InlineData("var s = \"\"; s += [|day|]; Console.WriteLine(s);")]
    public Task Reports_ConcatenationCallingANonOverriddenToString(string body) => new AnalyzerOnly { TestCode = Wrap("            " + body) }.RunAsync();

    [Theory]
    [InlineData("Console.WriteLine(\"at \" + w + p.X);")]
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
                HashSet<(int Hour, int Bucket)> _g = new HashSet<(int Hour, int Bucket)>();
                Dictionary<KeyValuePair<(int A, string B), Pair<int>>, int> _h = [|new Dictionary<KeyValuePair<(int A, string B), Pair<int>>, int>()|];
                Dictionary<Pair<(int A, int B)>, int> _i = new Dictionary<Pair<(int A, int B)>, int>();
            }

            struct Pair<T> : IEquatable<Pair<T>>
            {
                public T First;
                public bool Equals(Pair<T> other) => EqualityComparer<T>.Default.Equals(First, other.First);
                public override bool Equals(object obj) => obj is Pair<T> other && Equals(other);
                public override int GetHashCode() => EqualityComparer<T>.Default.GetHashCode(First);
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

    // ---- Implement IEquatable<T> -------------------------------------------------------------------------------

    [Fact]
    public Task ImplementIEquatable_WithHashCodeCombine() => new Test
    {
        LanguageVersion = Microsoft.CodeAnalysis.CSharp.LanguageVersion.CSharp10,
        TestCode = """
            using System;
            using System.Collections.Generic;

            struct GridPoint
            {
                public int X;
                public int Y { get; set; }
                public string Label;
                public DayOfWeek Day;
                public static int Count;
            }

            class C
            {
                HashSet<GridPoint> _visited = [|new HashSet<GridPoint>()|];
                Dictionary<GridPoint, int> _costs = [|new Dictionary<GridPoint, int>()|];
            }
            """,
        FixedCode = """
            using System;
            using System.Collections.Generic;

            struct GridPoint : IEquatable<GridPoint>
            {
                public int X;
                public int Y { get; set; }
                public string Label;
                public DayOfWeek Day;
                public static int Count;

                public bool Equals(GridPoint other) => X == other.X && Y == other.Y && Label == other.Label && Day == other.Day;
                public override bool Equals(object obj) => obj is GridPoint other && Equals(other);
                public override int GetHashCode() => HashCode.Combine(X, Y, Label, Day);
            }

            class C
            {
                HashSet<GridPoint> _visited = new HashSet<GridPoint>();
                Dictionary<GridPoint, int> _costs = new Dictionary<GridPoint, int>();
            }
            """,
    }.RunAsync();

    [Fact]
    public Task ImplementIEquatable_WithoutHashCode_OnNetStandard20AndCSharp73() => new Test
    {
        ReferenceSet = ReferenceSet.NetStandard20,
        LanguageVersion = Microsoft.CodeAnalysis.CSharp.LanguageVersion.CSharp7_3,
        TestCode = """
            using System.Collections.Generic;

            struct Key
            {
                public long Id;
                public string Name;
            }

            class C
            {
                void M(Key[] keys)
                {
                    foreach (var k in keys) System.Console.WriteLine([|k|].GetHashCode());
                }
            }
            """,
        FixedCode = """
            using System;
            using System.Collections.Generic;

            struct Key : IEquatable<Key>
            {
                public long Id;
                public string Name;

                public bool Equals(Key other) => Id == other.Id && Name == other.Name;
                public override bool Equals(object obj) => obj is Key other && Equals(other);
                public override int GetHashCode() { unchecked { var hash = 17; hash = hash * 31 + Id.GetHashCode(); hash = hash * 31 + (Name == null ? 0 : Name.GetHashCode()); return hash; } }
            }

            class C
            {
                void M(Key[] keys)
                {
                    foreach (var k in keys) System.Console.WriteLine(k.GetHashCode());
                }
            }
            """,
    }.RunAsync();

    [Theory]
    [InlineData("public double X;")]
    [InlineData("public object X;")]
    [InlineData("public int X; public override bool Equals(object o) => true;")]
    public Task ImplementIEquatable_IsNotOffered_WhereEqualityCouldChange(string members) => new Test
    {
        TestCode = $$"""
            using System.Collections.Generic;
            struct S { {{members}} }
            class C { HashSet<S> _set = [|new HashSet<S>()|]; }
            """,
        FixedCode = $$"""
            using System.Collections.Generic;
            struct S { {{members}} }
            class C { HashSet<S> _set = [|new HashSet<S>()|]; }
            """,
    }.RunAsync();

    [Fact]
    public void ImplementIEquatable_KeepsLookupsAndEquality_UnderTheFix()
    {
        const string before = """
            using System.Collections.Generic;
            using System.Text;
            struct Key { public int A; public string B; public bool C; }
            public static class Program
            {
                public static string Run()
                {
                    var set = new HashSet<Key>();
                    var sb = new StringBuilder();
                    foreach (var b in new[] { "x", null, "x", "y", null })
                    {
                        var k = new Key { A = b == null ? 0 : b.Length, B = b, C = b == "y" };
                        sb.Append(set.Add(k) ? '+' : '=').Append(k.Equals(new Key { A = 1, B = "x" }) ? 'e' : 'n').Append(k.Equals((object)"x") ? '!' : '.');
                    }
                    return sb.Append(set.Count).ToString();
                }
            }
            """;
        var after = before.Replace("struct Key { public int A; public string B; public bool C; }", """
            struct Key : System.IEquatable<Key>
            {
                public int A; public string B; public bool C;
                public bool Equals(Key other) => A == other.A && B == other.B && C == other.C;
                public override bool Equals(object obj) => obj is Key other && Equals(other);
                public override int GetHashCode() => System.HashCode.Combine(A, B, C);
            }
            """, System.StringComparison.Ordinal);
        Assert.NotEqual(before, after);
        Assert.Equal(ProgramRunner.Run(before), ProgramRunner.Run(after));
    }
}
