using System.Threading.Tasks;
using AllocAnalyzers.Tests.Harness;
using Microsoft.CodeAnalysis;
using static AllocAnalyzers.Tests.Harness.DiagnosticResult;
using AnalyzerOnly = AllocAnalyzers.Tests.Harness.AnalyzerTest<AllocAnalyzers.Rules.InvokedDelegateLocalAnalyzer>;
using Test = AllocAnalyzers.Tests.Harness.CodeFixTest<AllocAnalyzers.Rules.InvokedDelegateLocalAnalyzer, AllocAnalyzers.CodeFixes.Rules.InvokedDelegateLocalFixer>;

namespace AllocAnalyzers.Tests.Rules;

/// <summary>ALLOC022: delegate locals holding a capturing lambda that are only invoked.</summary>
public sealed class InvokedDelegateLocalTests
{
    private static string Wrap(string body, string members = "") => $$"""
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class C
        {
            void M(int[] values, int limit, List<Func<int, int>> sink)
            {
        {{body}}
            }
        {{members}}
        }
        """;

    [Fact]
    public async Task Reports_InLoops_AsWarning_NamingTheLocal()
    {
        var test = new AnalyzerOnly
        {
            TestCode = Wrap("""
                        foreach (var value in values)
                        {
                            Func<int, int> scale = {|#0:x => x * value|};
                            Console.WriteLine(scale(2) + scale.Invoke(3));
                        }
                """),
        };
        test.ExpectedDiagnostics.Add(Diagnostic("ALLOC022").WithLocation(0).WithSeverity(DiagnosticSeverity.Warning)
            .WithArguments("scale", "on every iteration of this 'foreach' loop"));
        await test.RunAsync();
    }

    [Fact]
    public async Task Reports_InHotCode_AsInfo()
    {
        var test = new AnalyzerOnly
        {
            TestCode = """
                using System;

                class PerformanceSensitiveAttribute : Attribute { }

                class C
                {
                    [PerformanceSensitive]
                    int M(int limit)
                    {
                        Func<int, bool> above = {|#0:x => x > limit|};
                        return above(1) ? 1 : 0;
                    }
                }
                """,
        };
        test.ExpectedDiagnostics.Add(Diagnostic("ALLOC022").WithLocation(0).WithSeverity(DiagnosticSeverity.Info));
        await test.RunAsync();
    }

    [Fact]
    public Task Reports_RecursiveLambdas_DeclaredNullThenAssigned() => new AnalyzerOnly
    {
        TestCode = Wrap("""
                    foreach (var value in values)
                    {
                        Func<int, int> sum = null;
                        sum = [|n => n <= 0 ? 0 : value + sum(n - 1)|];
                        Console.WriteLine(sum(3));
                    }
            """),
    }.RunAsync();

    [Theory]
    [InlineData("Func<int, int> f = x => x * 2; Console.WriteLine(f(1));")]
    [InlineData("Func<int, int> f = x => x * value; sink.Add(f);")]
    [InlineData("Func<int, int> f = x => x * value; Console.WriteLine(f?.Invoke(1));")]
    [InlineData("Func<int, int> f = x => x * value; f = x => x; Console.WriteLine(f(1));")]
    [InlineData("Func<int, int> f = x => x * value; Console.WriteLine(f);")]
    [InlineData("Func<int, int> f = x => x * value; Func<int, int> g = f; Console.WriteLine(g(1));")]
    [InlineData("System.Linq.Expressions.Expression<Func<int, int>> e = x => x * value; Console.WriteLine(e);")]
    public Task DoesNotReport(string body) => new AnalyzerOnly
    {
        TestCode = Wrap($$"""
                    foreach (var value in values)
                    {
                        {{body}}
                    }
            """),
    }.RunAsync();

    // ---- Convert to a local function -------------------------------------------------------------------------------

    [Fact]
    public Task LocalFunction_ExpressionBody_AndInvokeCalls() => new Test
    {
        TestCode = Wrap("""
                    foreach (var value in values)
                    {
                        Func<int, int> scale = [|x => x * value|];
                        Console.WriteLine(scale(2) + scale.Invoke(3));
                    }
            """),
        FixedCode = Wrap("""
                    foreach (var value in values)
                    {
                        int scale(int x) => x * value;
                        Console.WriteLine(scale(2) + scale(3));
                    }
            """),
    }.RunAsync();

    [Fact]
    public Task LocalFunction_BlockBody_VoidAndAsync() => new Test
    {
        TestCode = Wrap("""
                    foreach (var value in values)
                    {
                        Action<string> log = [|text =>
                        {
                            Console.WriteLine(text + value);
                        }|];
                        Func<Task<int>> later = [|async () => { await Task.Yield(); return value; }|];
                        log("a");
                        Console.WriteLine(later().Result);
                    }
            """),
        FixedCode = Wrap("""
                    foreach (var value in values)
                    {
                        void log(string text)
                        {
                            Console.WriteLine(text + value);
                        }
                        async Task<int> later() { await Task.Yield(); return value; }
                        log("a");
                        Console.WriteLine(later().Result);
                    }
            """),
    }.RunAsync();

    [Fact]
    public Task LocalFunction_Recursion_RefOutAndGenericParameters() => new Test
    {
        TestCode = Wrap("""
                    foreach (var value in values)
                    {
                        Func<int, int> sum = null;
                        sum = [|n => n <= 0 ? 0 : value + sum(n - 1)|];
                        Parse parse = [|(string s, out int result) => int.TryParse(s + value, out result)|];
                        Console.WriteLine(sum(3) + (parse("1", out var r) ? r : 0));
                    }
            """, """
                delegate bool Parse(string s, out int result);

                static T Twice<T>(T item, Func<T, T> f)
                {
                    foreach (var _ in new int[1])
                    {
                        Func<T, T> both = [|x => f(f(x))|];
                        item = both(item);
                    }

                    return item;
                }
            """),
        FixedCode = Wrap("""
                    foreach (var value in values)
                    {
                        int sum(int n) => n <= 0 ? 0 : value + sum(n - 1);
                        bool parse(string s, out int result) => int.TryParse(s + value, out result);
                        Console.WriteLine(sum(3) + (parse("1", out var r) ? r : 0));
                    }
            """, """
                delegate bool Parse(string s, out int result);

                static T Twice<T>(T item, Func<T, T> f)
                {
                    foreach (var _ in new int[1])
                    {
                        T both(T x) => f(f(x));
                        item = both(item);
                    }

                    return item;
                }
            """),
    }.RunAsync();

    [Fact]
    public Task LocalFunction_CSharp73() => new Test
    {
        LanguageVersion = Microsoft.CodeAnalysis.CSharp.LanguageVersion.CSharp7_3,
        TestCode = Wrap("""
                    foreach (var value in values)
                    {
                        Func<int, int> scale = [|x => x * value|];
                        Console.WriteLine(scale(2));
                    }
            """),
        FixedCode = Wrap("""
                    foreach (var value in values)
                    {
                        int scale(int x) => x * value;
                        Console.WriteLine(scale(2));
                    }
            """),
    }.RunAsync();
}
