using System.Threading.Tasks;
using AllocAnalyzers.Tests.Harness;
using Microsoft.CodeAnalysis;
using static AllocAnalyzers.Tests.Harness.DiagnosticResult;
using AnalyzerOnly = AllocAnalyzers.Tests.Harness.AnalyzerTest<AllocAnalyzers.Rules.ClosureOnUnusedPathAnalyzer>;
using Test = AllocAnalyzers.Tests.Harness.CodeFixTest<AllocAnalyzers.Rules.ClosureOnUnusedPathAnalyzer, AllocAnalyzers.CodeFixes.Rules.ClosureOnUnusedPathFixer>;

namespace AllocAnalyzers.Tests.Rules;

/// <summary>ALLOC021: closures allocated at scope entry for lambdas created only in a branch.</summary>
public sealed class ClosureOnUnusedPathTests
{
    private static string Hot(string body) => $$"""
        using System;
        using System.Collections.Concurrent;
        using System.Linq;

        class HotPathAttribute : Attribute { }

        class C
        {
            [HotPath]
            string Get(ConcurrentDictionary<string, string> cache, string key, string prefix, bool miss)
            {
        {{body}}
            }
        }
        """;

    [Fact]
    public async Task Reports_ParameterCapturedInAnIfBranch_NamingTheMethod()
    {
        var test = new AnalyzerOnly
        {
            TestCode = Hot("""
                        if (miss)
                        {
                            return cache.GetOrAdd(key, {|#0:k => prefix + k|});
                        }

                        return key;
                """),
        };
        test.ExpectedDiagnostics.Add(Diagnostic("ALLOC021").WithLocation(0).WithSeverity(DiagnosticSeverity.Info)
            .WithArguments("'prefix'", "'Get'", "on every call of hot method 'Get'", "an 'if' branch"));
        await test.RunAsync();
    }

    [Fact]
    public Task Reports_InCatchBlocks_ConditionalBranches_AndLoopBodies() => new AnalyzerOnly
    {
        TestCode = Hot("""
                    try
                    {
                        return key;
                    }
                    catch (Exception)
                    {
                        return miss ? cache.GetOrAdd(key, [|k => prefix + k|]) : null;
                    }
            """),
    }.RunAsync();

    [Fact]
    public Task Reports_LocalDeclaredInTheLoopBody_InAnyLoop() => new AnalyzerOnly
    {
        TestCode = """
            using System.Linq;

            class C
            {
                int M(int[] values, bool[] flags)
                {
                    var total = 0;
                    for (int i = 0; i < values.Length; i++)
                    {
                        var limit = values[i];
                        if (flags[i])
                        {
                            total += values.Count([|x => x > limit|]);
                        }
                    }

                    return total;
                }
            }
            """,
    }.RunAsync();

    [Theory]
    [InlineData("return cache.GetOrAdd(key, k => prefix + k);")]
    [InlineData("if (miss) { var local = prefix; return cache.GetOrAdd(key, k => local + k); } return key;")]
    [InlineData("Func<string, string> f = k => prefix + k; if (miss) { return cache.GetOrAdd(key, k => prefix + k); } return f(key);")]
    [InlineData("if (miss) { return cache.GetOrAdd(key, static k => k); } return key;")]
    public Task DoesNotReport_WhenTheClosureIsNeededOnEveryPath_OrMadeInsideTheBranch(string body) => new AnalyzerOnly
    {
        TestCode = Hot(body),
    }.RunAsync();

    [Fact]
    public Task DoesNotReport_OutsideHotCodeAndLoops() => new AnalyzerOnly
    {
        TestCode = """
            using System.Collections.Concurrent;

            class C
            {
                string Get(ConcurrentDictionary<string, string> cache, string key, string prefix, bool miss) =>
                    miss ? cache.GetOrAdd(key, k => prefix + k) : key;
            }
            """,
    }.RunAsync();

    // ---- Move the capturing code into a local function ----------------------------------------------------------------

    [Fact]
    public Task Move_ReturnedExpression_IntoAStaticLocalFunction() => new Test
    {
        TestCode = Hot("""
                    if (miss)
                    {
                        return cache.GetOrAdd(key, [|k => prefix + k|]);
                    }

                    return key;
            """),
        FixedCode = Hot("""
                    if (miss)
                    {
                        return CapturingGetOrAdd(cache, key, prefix);
                    }

                    return key;

                    static string CapturingGetOrAdd(ConcurrentDictionary<string, string> cache, string key, string prefix) => cache.GetOrAdd(key, k => prefix + k);
            """),
    }.RunAsync();

    [Fact]
    public Task Move_ConditionalBranch_KeepsTheConditionInPlace() => new Test
    {
        TestCode = Hot("""
                    var result = miss ? cache.GetOrAdd(key, [|k => prefix + k|]) : key;
                    return result;
            """),
        FixedCode = Hot("""
                    var result = miss ? CapturingGetOrAdd(cache, key, prefix) : key;
                    return result;

                    static string CapturingGetOrAdd(ConcurrentDictionary<string, string> cache, string key, string prefix) => cache.GetOrAdd(key, k => prefix + k);
            """),
    }.RunAsync();

    [Theory]
    [InlineData("if (miss) { return cache.GetOrAdd(key, [|k => prefix + k|]); } prefix = null; return key;")]
    [InlineData("if (miss) { return cache.GetOrAdd(key, [|k => prefix = k|]); } return key;")]
    public Task Move_NotOffered_WhenACapturedVariableIsWritten(string body)
    {
        var source = Hot(body);
        return new Test { TestCode = source, FixedCode = source }.RunAsync();
    }

    [Fact]
    public Task Move_NotOffered_BeforeCSharp8()
    {
        var source = Hot("""
                    if (miss)
                    {
                        return cache.GetOrAdd(key, [|k => prefix + k|]);
                    }

                    return key;
            """);
        return new Test { LanguageVersion = Microsoft.CodeAnalysis.CSharp.LanguageVersion.CSharp7_3, TestCode = source, FixedCode = source }.RunAsync();
    }
}
