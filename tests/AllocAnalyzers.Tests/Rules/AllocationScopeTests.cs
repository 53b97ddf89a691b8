using System.Threading.Tasks;
using AllocAnalyzers.CodeFixes.Rules;
using AllocAnalyzers.Tests.Harness;
using Microsoft.CodeAnalysis;
using static AllocAnalyzers.Tests.Harness.DiagnosticResult;
using Alloc001 = AllocAnalyzers.Tests.Harness.AnalyzerTest<AllocAnalyzers.Rules.PerIterationArrayAnalyzer>;
using Alloc002 = AllocAnalyzers.Tests.Harness.AnalyzerTest<AllocAnalyzers.Rules.FixedSizePerIterationArrayAnalyzer>;
using Alloc020 = AllocAnalyzers.Tests.Harness.AnalyzerTest<AllocAnalyzers.Rules.CapturingLambdaAnalyzer>;
using Alloc021 = AllocAnalyzers.Tests.Harness.AnalyzerTest<AllocAnalyzers.Rules.ClosureOnUnusedPathAnalyzer>;
using Alloc030 = AllocAnalyzers.Tests.Harness.AnalyzerTest<AllocAnalyzers.Rules.BoxingAnalyzer>;
using Fix001 = AllocAnalyzers.Tests.Harness.CodeFixTest<AllocAnalyzers.Rules.PerIterationArrayAnalyzer, AllocAnalyzers.CodeFixes.Rules.PerIterationArrayFixer>;
using Fix002 = AllocAnalyzers.Tests.Harness.CodeFixTest<AllocAnalyzers.Rules.FixedSizePerIterationArrayAnalyzer, AllocAnalyzers.CodeFixes.Rules.FixedSizePerIterationArrayFixer>;

namespace AllocAnalyzers.Tests.Rules;

/// <summary>
/// Where allocations are reported (the shared scope of every allocation rule): loops always; code marked hot by
/// attribute or <c>.editorconfig</c> by default, as Info and per call; everything with <c>alloc_analyzers.scope = everywhere</c>.
/// </summary>
public sealed class AllocationScopeTests
{
    private static string Handler(string attribute, string attributeDeclaration = "class PerformanceSensitiveAttribute : System.Attribute { }") => $$"""
        using System.IO;

        {{attributeDeclaration}}

        class Server
        {
            {{attribute}}
            void Handle(Stream stream, int size)
            {
                var buffer = {|#0:new byte[size]|};
                stream.ReadExactly(buffer);
            }
        }
        """;

    private static DiagnosticResult HotCall(string method = "Handle") =>
        Diagnostic("ALLOC001").WithLocation(0).WithSeverity(DiagnosticSeverity.Info).WithArguments("buffer", $"on every call of hot method '{method}'");

    [Fact]
    public async Task Reports_PerCallTemporaries_InMethodsMarkedPerformanceSensitive_AsInfo()
    {
        var test = new Alloc001 { TestCode = Handler("[PerformanceSensitive]") };
        test.ExpectedDiagnostics.Add(HotCall());
        await test.RunAsync();
    }

    [Fact]
    public Task DoesNotReport_PerCallTemporaries_InUnmarkedCode() => new Alloc001 { TestCode = Handler("") }.RunAsync();

    [Fact]
    public async Task Recognises_HotPathOnTheType_FromAnyNamespace()
    {
        var test = new Alloc001
        {
            TestCode = """
                using System.IO;

                namespace Mine.Perf { class HotPathAttribute : System.Attribute { } }

                [Mine.Perf.HotPath]
                class Server
                {
                    void Handle(Stream stream, int size)
                    {
                        var buffer = {|#0:new byte[size]|};
                        stream.ReadExactly(buffer);
                    }
                }
                """,
        };
        test.ExpectedDiagnostics.Add(HotCall());
        await test.RunAsync();
    }

    [Fact]
    public async Task Recognises_HotFiles_FromEditorConfig()
    {
        var test = new Alloc001
        {
            TestCode = Handler(""),
            EditorConfig = """
                [*.cs]
                alloc_analyzers.hot_path = true
                """,
        };
        test.ExpectedDiagnostics.Add(HotCall());
        await test.RunAsync();
    }

    [Fact]
    public async Task HotPathAttributeNames_AreConfigurable()
    {
        var test = new Alloc001
        {
            TestCode = Handler("[Critical]", "class CriticalAttribute : System.Attribute { } class PerformanceSensitiveAttribute : System.Attribute { }"),
            EditorConfig = """
                [*.cs]
                alloc_analyzers.hot_path_attributes = CriticalAttribute, Latency
                """,
        };
        test.ExpectedDiagnostics.Add(HotCall());
        await test.RunAsync();
    }

    [Fact]
    public Task ScopeLoops_IgnoresHotCode() => new Alloc001
    {
        TestCode = Handler("[PerformanceSensitive]"),
        EditorConfig = """
            [*.cs]
            alloc_analyzers.scope = loops
            """,
    }.RunAsync();

    [Fact]
    public async Task ScopeEverywhere_ReportsUnmarkedCode_AsInfo()
    {
        var test = new Alloc001
        {
            TestCode = Handler(""),
            EditorConfig = """
                [*.cs]
                alloc_analyzers.scope = everywhere
                """,
        };
        test.ExpectedDiagnostics.Add(Diagnostic("ALLOC001").WithLocation(0).WithSeverity(DiagnosticSeverity.Info).WithArguments("buffer", "on every call of 'Handle'"));
        await test.RunAsync();
    }

    [Fact]
    public async Task Loops_StayWarnings_WhateverTheScope()
    {
        var test = new Alloc001
        {
            TestCode = """
                class C
                {
                    void M(System.IO.Stream stream, int[] sizes)
                    {
                        foreach (var size in sizes)
                        {
                            var buffer = {|#0:new byte[size]|};
                            stream.ReadExactly(buffer);
                        }
                    }
                }
                """,
            EditorConfig = """
                [*.cs]
                alloc_analyzers.scope = loops
                """,
        };
        test.ExpectedDiagnostics.Add(Diagnostic("ALLOC001").WithLocation(0).WithSeverity(DiagnosticSeverity.Warning));
        await test.RunAsync();
    }

    // ---- ALLOC002 outside loops, and the .NET 10 JIT -----------------------------------------------------------

    private const string HotCounters = """
        class PerformanceSensitiveAttribute : System.Attribute { }

        class C
        {
            [PerformanceSensitive]
            int Count(int value)
            {
                var counts = {|#0:new int[4]|};
                counts[value & 3]++;
                return counts[0] + counts.Length;
            }
        }
        """;

    [Fact]
    public Task Alloc002_OnNet10_SkipsSmallArraysTheJitPlacesOnTheStack() => new Alloc002
    {
        ReferenceSet = ReferenceSet.Net100,
        GlobalConfig = "build_property.TargetFramework = net10.0",
        TestCode = HotCounters,
    }.RunAsync();

    [Theory]
    [InlineData("net8.0")]
    [InlineData("net472")]
    [InlineData("netstandard2.0")]
    public async Task Alloc002_OnEarlierTargets_ReportsThem(string targetFramework)
    {
        var test = new Alloc002 { GlobalConfig = "build_property.TargetFramework = " + targetFramework, TestCode = HotCounters };
        test.ExpectedDiagnostics.Add(Diagnostic("ALLOC002").WithLocation(0).WithSeverity(DiagnosticSeverity.Info).WithArguments("counts", 4, "on every call of hot method 'Count'"));
        await test.RunAsync();
    }

    [Fact]
    public async Task Alloc002_OnNet10_ReportsArraysThatLeaveTheJitsView()
    {
        var test = new Alloc002
        {
            ReferenceSet = ReferenceSet.Net100,
            GlobalConfig = "build_property.TargetFramework = net10.0",
            TestCode = HotCounters.Replace("return counts[0] + counts.Length;", "return System.Array.IndexOf(counts, 1);", System.StringComparison.Ordinal),
        };
        test.ExpectedDiagnostics.Add(Diagnostic("ALLOC002").WithLocation(0).WithSeverity(DiagnosticSeverity.Info));
        await test.RunAsync();
    }

    // ---- fixes per call ----------------------------------------------------------------------------------------

    [Fact]
    public Task Alloc001_RentalWorksPerCall_InHotCode() => new Fix001
    {
        TestCode = Handler("[PerformanceSensitive]"),
        ExpectedDiagnostics = { HotCall() },
        FixedCode = """
            using System;
            using System.Buffers;
            using System.IO;

            class PerformanceSensitiveAttribute : System.Attribute { }

            class Server
            {
                [PerformanceSensitive]
                void Handle(Stream stream, int size)
                {
                    var buffer = ArrayPool<byte>.Shared.Rent(checked((int)(uint)size));
                    try
                    {
                        stream.ReadExactly(buffer.AsSpan(0, size));
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                    }
                }
            }
            """,
    }.RunAsync();

    [Fact]
    public Task Alloc001_ReuseIsNotOffered_WithoutALoop() => new Fix001
    {
        CodeActionEquivalenceKey = PerIterationArrayFixer.ReuseEquivalenceKey,
        TestCode = Handler("[PerformanceSensitive]"),
        ExpectedDiagnostics = { HotCall() },
        FixedCode = Handler("[PerformanceSensitive]"),
    }.RunAsync();

    [Fact]
    public Task Alloc002_StackallocIsDeclaredInPlace_InHotCode() => new Fix002
    {
        CodeActionEquivalenceKey = FixedSizePerIterationArrayFixer.StackallocEquivalenceKey,
        TestCode = HotCounters,
        ExpectedDiagnostics = { Diagnostic("ALLOC002").WithLocation(0).WithSeverity(DiagnosticSeverity.Info) },
        FixedCode = """
            using System;

            class PerformanceSensitiveAttribute : System.Attribute { }

            class C
            {
                [PerformanceSensitive]
                int Count(int value)
                {
                    Span<int> counts = stackalloc int[4];
                    counts[value & 3]++;
                    return counts[0] + counts.Length;
                }
            }
            """,
    }.RunAsync();

    [Fact]
    public Task Reports_InTheBodyOfParallelFor_AsALoop() => new Alloc001
    {
        TestCode = """
            using System.IO;
            using System.Threading.Tasks;

            class Server
            {
                void Handle(Stream[] streams, int size)
                {
                    Parallel.For(0, streams.Length, i =>
                    {
                        var buffer = [|new byte[size + i]|];
                        streams[i].ReadExactly(buffer);
                    });
                    Parallel.ForEach(streams, stream =>
                    {
                        var buffer = [|new byte[size]|];
                        stream.ReadExactly(buffer);
                    });
                }
            }
            """,
    }.RunAsync();

    [Fact]
    public Task DoesNotReport_InOtherLambdasOutsideLoops() => new Alloc001
    {
        TestCode = """
            using System.IO;
            using System.Threading.Tasks;

            class Server
            {
                void Handle(Stream stream, int size)
                {
                    Task.Run(() =>
                    {
                        var buffer = new byte[size];
                        stream.ReadExactly(buffer);
                    });
                }
            }
            """,
    }.RunAsync();
    // ---- cold paths: code in a loop or hot method that does not run on every iteration or call ----------------------

    private static string Validator(string body, string attribute = "", string header = "") => $$"""
        {{header}}using System;
        using System.Diagnostics;

        class HotPathAttribute : Attribute { }

        class Validator
        {
            {{attribute}}
            void Check(int[] values)
            {
                for (var i = 0; i < values.Length; i++)
                {
        {{body}}
                }
            }

            [Conditional("TRACE_VALUES")]
            static void Trace(string format, object value) { }
        }
        """;

    [Fact]
    public async Task DoesNotReport_BoxesThatOnlyBuildAThrownException_ButReportsTheSameBoxOutsideTheThrow()
    {
        var test = new Alloc030
        {
            TestCode = Validator("""
                            if (values[i] < 0)
                            {
                                throw new ArgumentException(string.Format("Element {0} is {1}", i, values[i]));
                            }

                            var positive = values[i] > 0 ? values[i] : throw new InvalidOperationException(string.Format("{0}", i));
                            Console.WriteLine(string.Format("{0}", {|#0:positive|}));
                """),
        };
        test.ExpectedDiagnostics.Add(Diagnostic("ALLOC030").WithLocation(0).WithArguments("int", "object", "on every iteration of this 'for' loop"));
        await test.RunAsync();
    }

    [Fact]
    public async Task DoesNotReport_ArgumentsOfAMethodThatDoesNotReturn_ButReportsTheSameBoxElsewhere()
    {
        var test = new Alloc030
        {
            TestCode = """
                using System;
                using System.Diagnostics.CodeAnalysis;

                static class ThrowHelper
                {
                    [DoesNotReturn]
                    public static void ThrowInvalid(string message) => throw new InvalidOperationException(message);

                    public static void Log(string message) { }
                }

                class Validator
                {
                    void Check(int[] values)
                    {
                        for (var i = 0; i < values.Length; i++)
                        {
                            if (values[i] < 0)
                            {
                                ThrowHelper.ThrowInvalid(string.Format("Element {0} is negative", i));
                            }

                            ThrowHelper.Log(string.Format("Element {0} checked", {|#0:i|}));
                        }
                    }
                }
                """,
        };
        test.ExpectedDiagnostics.Add(Diagnostic("ALLOC030").WithLocation(0).WithArguments("int", "object", "on every iteration of this 'for' loop"));
        await test.RunAsync();
    }

    [Fact]
    public Task DoesNotReport_ThrownExceptionsInHotMethods() => new Alloc030
    {
        TestCode = """
            using System;

            class HotPathAttribute : Attribute { }

            class Validator
            {
                [HotPath]
                void Check(int value)
                {
                    if (value < 0)
                    {
                        throw new ArgumentOutOfRangeException(nameof(value), string.Format("{0} is negative", value));
                    }
                }
            }
            """,
    }.RunAsync();

    [Fact]
    public async Task Reports_AThrowThatACatchInsideTheLoopHandles_TheLoopGoesOn()
    {
        var test = new Alloc030
        {
            TestCode = Validator("""
                            try
                            {
                                throw new InvalidOperationException(string.Format("{0}", {|#0:i|}));
                            }
                            catch (InvalidOperationException)
                            {
                            }
                """),
        };
        test.ExpectedDiagnostics.Add(Diagnostic("ALLOC030").WithLocation(0).WithArguments("int", "object", "on every iteration of this 'for' loop"));
        await test.RunAsync();
    }

    [Fact]
    public Task DoesNotReport_ArgumentsOfACallTheCompilerLeavesOut() => new Alloc030
    {
        TestCode = Validator("""
                        Trace("{0}", values[i]);
                        Debug.Assert(values[i] >= 0, string.Format("{0}", values[i]));
            """),
    }.RunAsync();

    [Fact]
    public async Task Reports_ArgumentsOfAConditionalCall_WhenItsSymbolIsDefined()
    {
        var test = new Alloc030
        {
            TestCode = Validator("""
                            Trace("{0}", {|#0:values[i]|});
                """, header: "#define TRACE_VALUES\n"),
        };
        test.ExpectedDiagnostics.Add(Diagnostic("ALLOC030").WithLocation(0).WithArguments("int", "object", "on every iteration of this 'for' loop"));
        await test.RunAsync();
    }

    [Fact]
    public async Task ScopeEverywhere_ReportsColdPaths_AsInfo()
    {
        var test = new Alloc030
        {
            TestCode = Validator("""
                            if (values[i] < 0)
                            {
                                throw new ArgumentException(string.Format("{0}", {|#0:i|}));
                            }
                """),
            EditorConfig = """
                [*.cs]
                alloc_analyzers.scope = everywhere
                """,
        };
        test.ExpectedDiagnostics.Add(Diagnostic("ALLOC030").WithLocation(0).WithSeverity(DiagnosticSeverity.Info).WithArguments("int", "object", "on every call of 'Check'"));
        await test.RunAsync();
    }

    [Fact]
    public async Task CapturingLambdaInAThrow_ReportsTheClosureOfLoopVariables_NotTheDelegate()
    {
        var test = new Alloc020
        {
            TestCode = """
                using System;
                using System.Linq;

                class Validator
                {
                    void Check(int[] values, int limit)
                    {
                        foreach (var value in values)
                        {
                            if (value > limit)
                            {
                                throw new ArgumentException(values.Count(v => v > limit) + " too large");
                            }

                            if (value < 0)
                            {
                                throw new ArgumentException(values.Count({|#0:v => v == value|}) + " negative");
                            }
                        }
                    }
                }
                """,
        };
        test.ExpectedDiagnostics.Add(Diagnostic("ALLOC020").WithLocation(0)
            .WithArguments("Lambda capturing loop variable 'value'", "a closure (and a delegate only when it throws)", "on every iteration of this 'foreach' loop"));
        await test.RunAsync();
    }

    [Fact]
    public Task ClosureOnUnusedPath_DoesNotReportALambdaInACallTheCompilerLeavesOut() => new Alloc021
    {
        // Release IL of this method: no display class, no delegate; the Debug build has both.
        TestCode = """
            using System;
            using System.Diagnostics;
            using System.Linq;

            class HotPathAttribute : Attribute { }

            class Validator
            {
                [HotPath]
                int Check(int[] values, int limit)
                {
                    if (values.Length > 100)
                    {
                        Debug.Assert(values.All(v => v < limit));
                    }

                    return values.Length;
                }
            }
            """,
    }.RunAsync();

    [Fact]
    public async Task ClosureOnUnusedPath_StillReportsAClosureWhoseLambdaIsInAThrow()
    {
        var test = new Alloc021
        {
            TestCode = """
                using System;
                using System.Linq;

                class HotPathAttribute : Attribute { }

                class Validator
                {
                    [HotPath]
                    void Check(int[] values, int limit)
                    {
                        if (values.Length > 100)
                        {
                            throw new ArgumentException(values.Count({|#0:v => v > limit|}) + " too large");
                        }
                    }
                }
                """,
        };
        test.ExpectedDiagnostics.Add(Diagnostic("ALLOC021").WithLocation(0).WithSeverity(DiagnosticSeverity.Info)
            .WithArguments("'limit'", "'Check'", "on every call of hot method 'Check'", "an 'if' branch"));
        await test.RunAsync();
    }
}
