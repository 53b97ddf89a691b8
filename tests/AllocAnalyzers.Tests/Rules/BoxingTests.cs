using System.Threading.Tasks;
using AllocAnalyzers.Tests.Harness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using static AllocAnalyzers.Tests.Harness.DiagnosticResult;
using AnalyzerOnly = AllocAnalyzers.Tests.Harness.AnalyzerTest<AllocAnalyzers.Rules.BoxingAnalyzer>;

namespace AllocAnalyzers.Tests.Rules;

/// <summary>ALLOC030: boxes the compiler emits, in loops and hot code. The IL agreement test checks the same facts against the compiler's IL.</summary>
public sealed class BoxingTests
{
    private static string Wrap(string body, string members = "") => $$"""
        using System;
        using System.Collections;
        using System.Collections.Generic;
        using System.Text;

        struct Point { public int X; public int Y; }

        class C
        {
            void M(int[] values, StringBuilder sb, ArrayList list, DayOfWeek day, Point point)
            {
                foreach (var value in values)
                {
        {{body}}
                }
            }
        {{members}}
        }
        """;

    [Fact]
    public async Task Reports_FormatArguments_WithTypeTargetAndLoopInMessage()
    {
        var test = new AnalyzerOnly
        {
            TestCode = Wrap("""
                            Console.WriteLine(string.Format("{0}", {|#0:value|}));
                """),
        };
        test.ExpectedDiagnostics.Add(Diagnostic("ALLOC030").WithLocation(0).WithArguments("int", "object", "on every iteration of this 'foreach' loop"));
        await test.RunAsync();
    }

    [Theory]
    [InlineData("list.Add([|value|]);")]
    [InlineData("object o = [|value|]; GC.KeepAlive(o);")]
    [InlineData("IComparable c = [|value|]; GC.KeepAlive(c);")]
    [InlineData("Enum e = [|day|]; GC.KeepAlive(e);")]
    [InlineData("ValueType v = [|point|]; GC.KeepAlive(v);")]
    [InlineData("GC.KeepAlive([|(value, 1)|]);")]
    [InlineData("Console.WriteLine(\"{0} {1}\", [|value|], [|day|]);")]
    [InlineData("Console.WriteLine(object.Equals([|value|], [|1|]));")]
    [InlineData("Console.WriteLine([|value|].GetType());")]
    [InlineData("Console.WriteLine([|day|].ToString(\"G\"));")]
    [InlineData("Func<string> f = [|value|].ToString; Console.WriteLine(f());")]
    [InlineData("Console.WriteLine(\"{0}\", [|(int?)value|]);")]
    public Task Reports_BoxesTheCompilerEmits(string body) => new AnalyzerOnly { TestCode = Wrap(body) }.RunAsync();

    [Theory]
    [InlineData("Console.WriteLine(\"n=\" + value);")]
    [InlineData("var s = \"p\"; s += point; Console.WriteLine(s);")]
    [InlineData("Console.WriteLine(value);")]
    [InlineData("sb.Append(value);")]
    [InlineData("Console.WriteLine(value.Equals(1));")]
    [InlineData("Console.WriteLine(day.HasFlag(DayOfWeek.Monday));")]
    [InlineData("Console.WriteLine(day.GetHashCode());")]
    [InlineData("object o = (int?)null; GC.KeepAlive(o);")]
    [InlineData("Console.WriteLine(nameof(value));")]
    [InlineData("System.Linq.Expressions.Expression<Func<int, object>> e = x => x; GC.KeepAlive(e);")]
    [InlineData("Func<object> f = () => value; GC.KeepAlive(f);")]
    public Task DoesNotReport_WhatTheCompilerOrJitDoesNotBox(string body) => new AnalyzerOnly { TestCode = Wrap(body) }.RunAsync();

    [Theory]
    [InlineData(ReferenceSet.Net80, LanguageVersion.CSharp7_3)]
    [InlineData(ReferenceSet.Net80, LanguageVersion.CSharp10)]
    [InlineData(ReferenceSet.Net100, LanguageVersion.CSharp14)]
    public Task DoesNotReport_InterpolatedStrings_WhereTheHandlerExists(ReferenceSet references, LanguageVersion language) => new AnalyzerOnly
    {
        ReferenceSet = references,
        LanguageVersion = language,
        TestCode = Wrap("""
                        Console.WriteLine($"{value} on {day}");
            """),
    }.RunAsync();

    [Theory]
    [InlineData(ReferenceSet.NetStandard20, LanguageVersion.CSharp7_3)]
    [InlineData(ReferenceSet.NetStandard20, LanguageVersion.CSharp10)]
    [InlineData(ReferenceSet.Net472, LanguageVersion.CSharp7_3)]
    public Task Reports_InterpolatedStrings_BuiltWithStringFormat(ReferenceSet references, LanguageVersion language) => new AnalyzerOnly
    {
        ReferenceSet = references,
        LanguageVersion = language,
        TestCode = Wrap("""
                        Console.WriteLine($"{[|value|]} on {[|day|]}");
            """),
    }.RunAsync();

    [Fact]
    public Task Reports_FormattableStringHoles_EvenWithTheHandler() => new AnalyzerOnly
    {
        ReferenceSet = ReferenceSet.Net100,
        TestCode = Wrap("""
                        FormattableString f = $"{[|value|]}";
                        Console.WriteLine(FormattableString.Invariant(f));
            """),
    }.RunAsync();

    [Theory]
    [InlineData(ReferenceSet.Net80, false)]
    [InlineData(ReferenceSet.Net472, true)]
    public async Task ReportsHasFlag_OnlyOnNetFramework(ReferenceSet references, bool reported)
    {
        var test = new AnalyzerOnly
        {
            ReferenceSet = references,
            TestCode = Wrap(reported
                ? "Console.WriteLine([|day|].HasFlag([|DayOfWeek.Monday|]));"
                : "Console.WriteLine(day.HasFlag(DayOfWeek.Monday));"),
        };
        await test.RunAsync();
    }

    [Fact]
    public Task Reports_ForEachElementsBoxedToTheIterationVariable() => new AnalyzerOnly
    {
        TestCode = Wrap("""
                        foreach ([|object|] item in values) GC.KeepAlive(item);
            """),
    }.RunAsync();

    [Fact]
    public Task DoesNotReport_OutsideLoopsAndHotCode() => new AnalyzerOnly
    {
        TestCode = """
            using System;
            class C
            {
                void M(int value) => Console.WriteLine("{0}", value);
            }
            """,
    }.RunAsync();

    [Fact]
    public async Task Reports_InHotCode_AsInfo()
    {
        var test = new AnalyzerOnly
        {
            TestCode = """
                using System;
                sealed class HotPathAttribute : Attribute { }
                class C
                {
                    [HotPath]
                    void M(int value) => Console.WriteLine("{0}", {|#0:value|});
                }
                """,
        };
        test.ExpectedDiagnostics.Add(Diagnostic("ALLOC030").WithLocation(0).WithSeverity(DiagnosticSeverity.Info).WithArguments("int", "object", "on every call of hot method 'M'"));
        await test.RunAsync();
    }

    [Fact]
    public Task Reports_TypeParameters_ButNotClassConstrainedOnes() => new AnalyzerOnly
    {
        TestCode = """
            using System.Collections.Generic;
            class C
            {
                void M<T, TRef>(List<T> items, List<TRef> refs, List<object> sink) where TRef : class
                {
                    foreach (var item in items) sink.Add([|item|]);
                    foreach (var r in refs) sink.Add(r);
                    foreach (var item in items) if (item == null) sink.Clear();
                }
            }
            """,
    }.RunAsync();
}
