using System.Threading.Tasks;
using AllocAnalyzers.Tests.Harness;
using Microsoft.CodeAnalysis;
using static AllocAnalyzers.Tests.Harness.DiagnosticResult;
using AnalyzerOnly = AllocAnalyzers.Tests.Harness.AnalyzerTest<AllocAnalyzers.Rules.InvokedDelegateLocalAnalyzer>;

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
}
