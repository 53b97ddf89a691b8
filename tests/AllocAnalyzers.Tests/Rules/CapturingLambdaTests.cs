using System.Threading.Tasks;
using AllocAnalyzers.CodeFixes.Rules;
using AllocAnalyzers.Tests.Harness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using static AllocAnalyzers.Tests.Harness.DiagnosticResult;
using AnalyzerOnly = AllocAnalyzers.Tests.Harness.AnalyzerTest<AllocAnalyzers.Rules.CapturingLambdaAnalyzer>;
using Test = AllocAnalyzers.Tests.Harness.CodeFixTest<AllocAnalyzers.Rules.CapturingLambdaAnalyzer, AllocAnalyzers.CodeFixes.Rules.CapturingLambdaFixer>;

namespace AllocAnalyzers.Tests.Rules;

/// <summary>ALLOC020: capturing lambdas in loops and hot code; the state-passing and hoisting fixes.</summary>
public sealed class CapturingLambdaTests
{
    private static string Wrap(string body, string members = "") => $$"""
        using System;
        using System.Collections.Concurrent;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            int _offset;

            void M(List<int> list, int[] values, ConcurrentDictionary<string, string> cache, string[] keys, int limit)
            {
        {{body}}
            }
        {{members}}
        }
        """;

    // ---- Diagnostics -------------------------------------------------------------------------------------------

    [Fact]
    public async Task Reports_ClosurePerIteration_NamingTheLoopVariable()
    {
        var test = new AnalyzerOnly
        {
            TestCode = Wrap("""
                        foreach (var value in values)
                        {
                            Console.WriteLine(list.Count({|#0:x => x > value|}));
                        }
                """),
        };
        test.ExpectedDiagnostics.Add(Diagnostic("ALLOC020").WithLocation(0).WithSeverity(DiagnosticSeverity.Warning)
            .WithArguments("Lambda capturing loop variable 'value'", "a closure and a delegate", "on every iteration of this 'foreach' loop"));
        await test.RunAsync();
    }

    [Fact]
    public async Task Reports_ClosurePerIteration_ForALocalDeclaredInTheLoop()
    {
        var test = new AnalyzerOnly
        {
            TestCode = Wrap("""
                        for (int i = 0; i < values.Length; i++)
                        {
                            var threshold = values[i] * 2;
                            Console.WriteLine(list.Count({|#0:x => x > threshold|}));
                        }
                """),
        };
        test.ExpectedDiagnostics.Add(Diagnostic("ALLOC020").WithLocation(0).WithSeverity(DiagnosticSeverity.Warning)
            .WithArguments("Lambda capturing 'threshold'", "a closure and a delegate", "on every iteration of this 'for' loop"));
        await test.RunAsync();
    }

    [Fact]
    public async Task Reports_DelegateOverOuterClosure_AsWarning_BeforeNet10()
    {
        var test = new AnalyzerOnly
        {
            TestCode = Wrap("""
                        foreach (var value in values)
                        {
                            Console.WriteLine(list.Any({|#0:x => x == limit|}));
                        }
                """),
        };
        test.ExpectedDiagnostics.Add(Diagnostic("ALLOC020").WithLocation(0).WithSeverity(DiagnosticSeverity.Warning)
            .WithArguments("Lambda capturing 'limit'", "a delegate (its closure is allocated once, outside the loop)", "on every iteration of this 'foreach' loop"));
        await test.RunAsync();
    }

    [Fact]
    public async Task Reports_DelegateOverOuterClosure_AsInfo_OnNet10_WhereTheJitSometimesRemovesIt()
    {
        var test = new AnalyzerOnly
        {
            ReferenceSet = ReferenceSet.Net100,
            GlobalConfig = "build_property.TargetFramework = net10.0",
            TestCode = Wrap("""
                        foreach (var value in values)
                        {
                            Console.WriteLine(list.Any({|#0:x => x == limit|}));
                            Console.WriteLine(list.Count({|#1:x => x > value|}));
                        }
                """),
        };
        test.ExpectedDiagnostics.Add(Diagnostic("ALLOC020").WithLocation(0).WithSeverity(DiagnosticSeverity.Info));
        test.ExpectedDiagnostics.Add(Diagnostic("ALLOC020").WithLocation(1).WithSeverity(DiagnosticSeverity.Warning));
        await test.RunAsync();
    }

    [Fact]
    public async Task Reports_ThisCapture_AsDelegateOnly()
    {
        var test = new AnalyzerOnly
        {
            TestCode = Wrap("""
                        foreach (var value in values)
                        {
                            Console.WriteLine(list.Count({|#0:x => x > _offset|}));
                        }
                """),
        };
        test.ExpectedDiagnostics.Add(Diagnostic("ALLOC020").WithLocation(0).WithArguments("Lambda capturing 'this'", "a delegate", "on every iteration of this 'foreach' loop"));
        await test.RunAsync();
    }

    [Fact]
    public Task Reports_AnonymousMethods_LocalFunctionMethodGroups_AndParallelBodies() => new AnalyzerOnly
    {
        TestCode = Wrap("""
                    int Above(int x) => x > limit ? 1 : 0;
                    foreach (var value in values)
                    {
                        Console.WriteLine(list.Count([|delegate (int x) { return x > value; }|]));
                        Console.WriteLine(list.Sum([|Above|]));
                    }

                    Parallel.For(0, values.Length, i =>
                    {
                        var local = values[i];
                        Console.WriteLine(list.Count([|x => x > local|]));
                    });
            """),
    }.RunAsync();

    [Fact]
    public async Task Reports_MethodGroups_OfInstanceMethods_AndOfStaticMethodsBeforeCSharp11()
    {
        var test = new AnalyzerOnly
        {
            LanguageVersion = LanguageVersion.CSharp10,
            TestCode = Wrap("""
                        foreach (var value in values)
                        {
                            Console.WriteLine(list.Count({|#0:IsAbove|}) + list.Count({|#1:IsEven|}));
                        }
                """, """
                    bool IsAbove(int x) => x > _offset;
                    static bool IsEven(int x) => x % 2 == 0;
                """),
        };
        test.ExpectedDiagnostics.Add(Diagnostic("ALLOC020").WithLocation(0).WithArguments("Method group 'IsAbove' bound to 'this'", "a delegate", "on every iteration of this 'foreach' loop"));
        test.ExpectedDiagnostics.Add(Diagnostic("ALLOC020").WithLocation(1).WithArguments("Static method group 'IsEven' (cached only from C# 11 on)", "a delegate", "on every iteration of this 'foreach' loop"));
        await test.RunAsync();
    }

    [Fact]
    public Task DoesNotReport_StaticMethodGroups_FromCSharp11() => new AnalyzerOnly
    {
        LanguageVersion = LanguageVersion.CSharp11,
        TestCode = Wrap("""
                    foreach (var value in values)
                    {
                        Console.WriteLine(list.Count(IsEven));
                    }
            """, """
                static bool IsEven(int x) => x % 2 == 0;
            """),
    }.RunAsync();

    [Fact]
    public async Task Reports_InHotMethods_AsInfo_PerCall()
    {
        var test = new AnalyzerOnly
        {
            TestCode = """
                using System.Collections.Concurrent;

                class HotPathAttribute : System.Attribute { }

                class C
                {
                    [HotPath]
                    string Get(ConcurrentDictionary<string, string> cache, string key, string prefix) => cache.GetOrAdd(key, {|#0:k => prefix + k|});
                }
                """,
        };
        test.ExpectedDiagnostics.Add(Diagnostic("ALLOC020").WithLocation(0).WithSeverity(DiagnosticSeverity.Info)
            .WithArguments("Lambda capturing 'prefix'", "a closure and a delegate", "on every call of hot method 'Get'"));
        await test.RunAsync();
    }

    [Theory]
    [InlineData("Console.WriteLine(list.Count(x => x > 2));")]
    [InlineData("Console.WriteLine(list.Count(static x => x > 2));")]
    [InlineData("const int k = 3; Console.WriteLine(list.Count(x => x > k));")]
    [InlineData("Console.WriteLine(list.AsQueryable().Count(x => x > value));")]
    [InlineData("System.Linq.Expressions.Expression<Func<int, bool>> e = x => x > value; Console.WriteLine(e);")]
    [InlineData("Console.WriteLine(list.Count(Filter));")]
    [InlineData("Func<int, bool> f = x => x > value; Console.WriteLine(f(1));")]
    [InlineData("Console.WriteLine(list.Count(x => { int y = x; Func<int> g = () => y; return g() > 0; }));")]
    public Task DoesNotReport(string body) => new AnalyzerOnly
    {
        TestCode = Wrap($$"""
                    foreach (var value in values)
                    {
                        {{body}}
                    }
            """, """
                static bool Filter(int x) => x > 0;
            """),
    }.RunAsync();

    [Fact]
    public Task DoesNotReport_OutsideLoopsAndHotCode() => new AnalyzerOnly
    {
        TestCode = Wrap("""
                    Console.WriteLine(list.Count(x => x > limit));
            """),
    }.RunAsync();

    [Fact]
    public Task DoesNotReport_LambdaInsideALambda_RunOncePerCallOfTheOuterLambda() => new AnalyzerOnly
    {
        TestCode = Wrap("""
                    foreach (var value in values)
                    {
                        Console.WriteLine(list.Count(static x => x > 1));
                    }

                    Action a = () => Console.WriteLine(list.Count(x => x > limit));
                    a();
            """),
    }.RunAsync();

    // ---- Use the overload that passes state ----------------------------------------------------------------------

    [Fact]
    public Task PassState_GetOrAdd_SingleValue_AsStaticLambda() => new Test
    {
        TestCode = Wrap("""
                    foreach (var key in keys)
                    {
                        var prefix = key.Length.ToString();
                        Console.WriteLine(cache.GetOrAdd(key, [|k => prefix + k|]));
                    }
            """),
        FixedCode = Wrap("""
                    foreach (var key in keys)
                    {
                        var prefix = key.Length.ToString();
                        Console.WriteLine(cache.GetOrAdd(key, static (k, state) => state + k, prefix));
                    }
            """),
    }.RunAsync();

    [Fact]
    public Task PassState_SeveralValues_AsATuple() => new Test
    {
        TestCode = Wrap("""
                    foreach (var key in keys)
                    {
                        var prefix = key.Length.ToString();
                        Console.WriteLine(cache.GetOrAdd(key, [|k => prefix + k + limit|]));
                    }
            """),
        FixedCode = Wrap("""
                    foreach (var key in keys)
                    {
                        var prefix = key.Length.ToString();
                        Console.WriteLine(cache.GetOrAdd(key, static (k, state) => state.prefix + k + state.limit, (prefix, limit)));
                    }
            """),
    }.RunAsync();

    [Fact]
    public Task PassState_CSharp73_NonStaticLambdaThatCapturesNothing() => new Test
    {
        LanguageVersion = LanguageVersion.CSharp7_3,
        TestCode = Wrap("""
                    foreach (var key in keys)
                    {
                        var prefix = key.Length.ToString();
                        Console.WriteLine(cache.GetOrAdd(key, [|k => prefix + k|]));
                    }
            """),
        FixedCode = Wrap("""
                    foreach (var key in keys)
                    {
                        var prefix = key.Length.ToString();
                        Console.WriteLine(cache.GetOrAdd(key, (k, state) => state + k, prefix));
                    }
            """),
    }.RunAsync();

    [Fact]
    public Task PassState_ObjectState_CastsBack() => new Test
    {
        TestCode = Wrap("""
                    foreach (var value in values)
                    {
                        var copy = value;
                        Task.Factory.StartNew([|() => Console.WriteLine(copy)|]).Wait();
                        ThreadPool.QueueUserWorkItem([|_ => Console.WriteLine(copy)|]);
                    }
            """),
        FixedCode = Wrap("""
                    foreach (var value in values)
                    {
                        var copy = value;
                        Task.Factory.StartNew(static state => Console.WriteLine((int)state), copy).Wait();
                        ThreadPool.QueueUserWorkItem(static state => Console.WriteLine((int)state), copy);
                    }
            """),
    }.RunAsync();

    [Fact]
    public Task PassState_UserOverloadOfTheSameShape() => new Test
    {
        TestCode = Wrap("""
                    foreach (var value in values)
                    {
                        Console.WriteLine(Apply(value, [|x => x + limit|]));
                    }
            """, """
                static int Apply(int value, Func<int, int> f) => f(value);
                static int Apply<TState>(int value, Func<int, TState, int> f, TState state) => f(value, state);
            """),
        FixedCode = Wrap("""
                    foreach (var value in values)
                    {
                        Console.WriteLine(Apply(value, static (x, state) => x + state, limit));
                    }
            """, """
                static int Apply(int value, Func<int, int> f) => f(value);
                static int Apply<TState>(int value, Func<int, TState, int> f, TState state) => f(value, state);
            """),
    }.RunAsync();

    [Theory]
    [InlineData("var prefix = key; Console.WriteLine(cache.GetOrAdd(key, [|k => prefix + k|])); prefix = null;")]
    [InlineData("var prefix = key; Console.WriteLine(cache.GetOrAdd(key, [|k => prefix = k|]));")]
    [InlineData("var n = key.Length; Console.WriteLine(cache.GetOrAdd(key, [|k => k + n++|]));")]
    [InlineData("var prefix = key; Action reset = () => prefix = null; Console.WriteLine(cache.GetOrAdd(key, [|k => prefix + k|])); reset();")]
    [InlineData("Console.WriteLine(cache.GetOrAdd(key, [|k => k + _offset|]));")]
    [InlineData("var prefix = key; Console.WriteLine(cache.GetOrAdd(key, [|k => nameof(prefix) + k|]));")]
    public Task PassState_NotOffered_WhenAValueCouldChange_OrCannotBePassed(string body)
    {
        var source = Wrap($$"""
                    foreach (var key in keys)
                    {
                        {{body}}
                    }
            """);
        return new Test { TestCode = source, FixedCode = source, CodeActionEquivalenceKey = CapturingLambdaFixer.PassStateEquivalenceKey }.RunAsync();
    }

    [Fact]
    public Task PassState_NotOffered_WhenTheLoopWritesTheVariable_AndTheDelegateMayRunLater()
    {
        var source = Wrap("""
                    var current = 0;
                    foreach (var value in values)
                    {
                        current = value;
                        Task.Factory.StartNew([|() => Console.WriteLine(current)|]);
                    }
            """);
        return new Test { TestCode = source, FixedCode = source, CodeActionEquivalenceKey = CapturingLambdaFixer.PassStateEquivalenceKey }.RunAsync();
    }

    [Fact]
    public Task PassState_NotOffered_WithoutAStateOverload()
    {
        var source = Wrap("""
                    foreach (var value in values)
                    {
                        Console.WriteLine(list.Count([|x => x > value|]));
                    }
            """);
        return new Test { TestCode = source, FixedCode = source }.RunAsync();
    }

    // ---- Hoist the delegate out of the loop ------------------------------------------------------------------------

    [Fact]
    public Task Hoist_CreatesTheDelegateOnceBeforeTheOutermostLoop() => new Test
    {
        CodeActionEquivalenceKey = CapturingLambdaFixer.HoistEquivalenceKey,
        TestCode = Wrap("""
                    foreach (var value in values)
                    {
                        for (int i = 0; i < 2; i++)
                        {
                            Console.WriteLine(list.Any([|x => x == limit|]));
                        }
                    }
            """),
        FixedCode = Wrap("""
                    Func<int, bool> predicate = x => x == limit;
                    foreach (var value in values)
                    {
                        for (int i = 0; i < 2; i++)
                        {
                            Console.WriteLine(list.Any(predicate));
                        }
                    }
            """),
    }.RunAsync();

    [Fact]
    public Task Hoist_StopsAtTheLoopDeclaringACapturedVariable_AndPicksAFreshName() => new Test
    {
        CodeActionEquivalenceKey = CapturingLambdaFixer.HoistEquivalenceKey,
        TestCode = Wrap("""
                    var predicate = 0;
                    foreach (var value in values)
                    {
                        for (int i = 0; i < 2; i++)
                        {
                            Console.WriteLine(list.Count([|x => x > value|]) + predicate);
                        }
                    }
            """),
        FixedCode = Wrap("""
                    var predicate = 0;
                    foreach (var value in values)
                    {
                        Func<int, bool> predicate2 = {|ALLOC020:x => x > value|};
                        for (int i = 0; i < 2; i++)
                        {
                            Console.WriteLine(list.Count(predicate2) + predicate);
                        }
                    }
            """),
    }.RunAsync();

    [Theory]
    [InlineData("Console.WriteLine(list.Count([|x => x > value|]));")]
    [InlineData("limit++; Console.WriteLine(list.Count([|x => x > limit|]));")]
    [InlineData("Func<int, bool> f = [|x => x > limit|]; list.RemoveAll(new Predicate<int>(f)); Console.WriteLine(f);")]
    public Task Hoist_NotOffered_ForPerIterationOrWrittenVariables_OrDelegatesNotPassedAsArguments(string body)
    {
        var source = Wrap($$"""
                    foreach (var value in values)
                    {
                        {{body}}
                    }
            """);
        return new Test { TestCode = source, FixedCode = source, CodeActionEquivalenceKey = CapturingLambdaFixer.HoistEquivalenceKey }.RunAsync();
    }

    [Fact]
    public Task FixAll_FixesEveryLambda() => new Test
    {
        TestCode = Wrap("""
                    foreach (var key in keys)
                    {
                        var prefix = key.Length.ToString();
                        Console.WriteLine(cache.GetOrAdd(key, [|k => prefix + k|]));
                        Console.WriteLine(cache.GetOrAdd(prefix, [|k => key + k|]));
                    }
            """),
        FixedCode = Wrap("""
                    foreach (var key in keys)
                    {
                        var prefix = key.Length.ToString();
                        Console.WriteLine(cache.GetOrAdd(key, static (k, state) => state + k, prefix));
                        Console.WriteLine(cache.GetOrAdd(prefix, static (k, state) => state + k, key));
                    }
            """),
    }.RunAsync();

    [Fact]
    public Task PassState_CSharp9_MarksTheLambdaStatic() => new Test
    {
        LanguageVersion = LanguageVersion.CSharp9,
        TestCode = Wrap("""
                    foreach (var key in keys)
                    {
                        var prefix = key.Length.ToString();
                        Console.WriteLine(cache.GetOrAdd(key, [|k => prefix + k|]));
                    }
            """),
        FixedCode = Wrap("""
                    foreach (var key in keys)
                    {
                        var prefix = key.Length.ToString();
                        Console.WriteLine(cache.GetOrAdd(key, static (k, state) => state + k, prefix));
                    }
            """),
    }.RunAsync();

    [Fact]
    public Task QueryClauses_AreReported_ButNotRewritten()
    {
        var source = Wrap("""
                    foreach (var value in values)
                    {
                        var above = from x in list where {|ALLOC020:x > value|} select x;
                        Console.WriteLine(above.Count());
                    }
            """);
        return new Test { TestCode = source, FixedCode = source }.RunAsync();
    }

    [Fact]
    public Task PassState_CancellationTokenRegister() => new Test
    {
        TestCode = Wrap("""
                    using var source = new CancellationTokenSource();
                    foreach (var key in keys)
                    {
                        var name = key.Trim();
                        using var registration = source.Token.Register([|() => Console.WriteLine(name)|]);
                    }
            """),
        FixedCode = Wrap("""
                    using var source = new CancellationTokenSource();
                    foreach (var key in keys)
                    {
                        var name = key.Trim();
                        using var registration = source.Token.Register(static state => Console.WriteLine((string)state), name);
                    }
            """),
    }.RunAsync();
}
