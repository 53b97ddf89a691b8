using System.Threading.Tasks;
using AllocAnalyzers.CodeFixes.Rules;
using AllocAnalyzers.Tests.Harness;
using Microsoft.CodeAnalysis.CSharp;
using static AllocAnalyzers.Tests.Harness.DiagnosticResult;
using AnalyzerOnly = AllocAnalyzers.Tests.Harness.AnalyzerTest<AllocAnalyzers.Rules.FixedSizePerIterationArrayAnalyzer>;
using Test = AllocAnalyzers.Tests.Harness.CodeFixTest<AllocAnalyzers.Rules.FixedSizePerIterationArrayAnalyzer, AllocAnalyzers.CodeFixes.Rules.FixedSizePerIterationArrayFixer>;

namespace AllocAnalyzers.Tests.Rules;

/// <summary>ALLOC002: constant-length arrays allocated per iteration; hoisting and stackalloc fixes.</summary>
public sealed class FixedSizePerIterationArrayTests
{
    private static string Wrap(string body, string members = "") => $$"""
        using System;
        using System.Collections.Generic;
        using System.IO;

        class C
        {
            void M(Stream stream, int[] values)
            {
        {{body}}
            }
        {{members}}
        }
        """;

    // ---- Diagnostics -------------------------------------------------------------------------------------------

    [Fact]
    public async Task Reports_ConstantLengthArray_WithNameLengthAndLoopInMessage()
    {
        var test = new AnalyzerOnly
        {
            TestCode = Wrap("""
                        foreach (var value in values)
                        {
                            var digits = {|#0:new int[10]|};
                            digits[value % 10]++;
                            Console.WriteLine(digits[0]);
                        }
                """),
        };
        test.ExpectedDiagnostics.Add(Diagnostic("ALLOC002").WithLocation(0).WithArguments("digits", 10, "on every iteration of this 'foreach' loop"));
        await test.RunAsync();
    }

    [Fact]
    public Task Reports_ArrayInitializers() => new AnalyzerOnly
    {
        TestCode = Wrap("""
                    for (int i = 0; i < values.Length; i++)
                    {
                        var weights = [|new[] { 1, 2, 3 }|];
                        var header = [|new byte[] { 0xCA, 0xFE }|];
                        stream.Write(header, 0, header.Length);
                        Console.WriteLine(weights[i % 3]);
                    }
            """),
    }.RunAsync();

    [Fact]
    public Task Reports_LargeObjectHeapArrays() => new AnalyzerOnly
    {
        TestCode = Wrap("""
                    foreach (var value in values)
                    {
                        var block = [|new byte[100_000]|];
                        stream.ReadExactly(block);
                    }
            """),
    }.RunAsync();

    [Fact]
    public Task Reports_OnNet100_BecauseTheJitKeepsArraysAllocatedInLoopsOnTheHeap() => new AnalyzerOnly
    {
        ReferenceSet = ReferenceSet.Net100,
        GlobalConfig = "build_property.TargetFramework = net10.0",
        TestCode = Wrap("""
                    foreach (var value in values)
                    {
                        var pair = [|new int[2]|];
                        pair[0] = value;
                        Console.WriteLine(pair[0] + pair[1]);
                    }
            """),
    }.RunAsync();

    [Theory]
    [InlineData("var a = new int[0]; Console.WriteLine(a.Length);")]
    [InlineData("Console.WriteLine(\"{0} {1}\", value, value);")]
    [InlineData("_field = new int[4];")]
    [InlineData("var a = new int[4]; _list.Add(a);")]
    [InlineData("var a = new int[4]; Action f = () => a[0]++; f();")]
    [InlineData("var a = new int[n]; Console.WriteLine(a.Length);")]
    public Task DoesNotReport(string body) => new AnalyzerOnly
    {
        TestCode = Wrap($$"""
                    int n = values.Length;
                    foreach (var value in values)
                    {
                        {{body}}
                    }
            """, """
                int[] _field;
                List<int[]> _list = new List<int[]>();
            """),
    }.RunAsync();

    [Fact]
    public Task DoesNotReport_OutsideLoops() => new AnalyzerOnly
    {
        TestCode = Wrap("""
                    var a = new int[4];
                    Console.WriteLine(a[0]);
            """),
    }.RunAsync();

    // ---- Hoist ---------------------------------------------------------------------------------------------------

    [Fact]
    public Task Hoist_ClearsWhereTheIterationRelied_OnFreshZeros() => new Test
    {
        TestCode = Wrap("""
                    foreach (var value in values)
                    {
                        var digits = [|new int[10]|];
                        digits[value % 10]++;
                        Console.WriteLine(digits[0]);
                    }
            """),
        FixedCode = Wrap("""
                    var digits = new int[10];
                    foreach (var value in values)
                    {
                        Array.Clear(digits, 0, digits.Length);
                        digits[value % 10]++;
                        Console.WriteLine(digits[0]);
                    }
            """),
    }.RunAsync();

    [Fact]
    public Task Hoist_NeedsNoClear_WhenNeverWrittenOrFullyWrittenFirst() => new Test
    {
        TestCode = Wrap("""
                    for (int i = 0; i < values.Length; i++)
                    {
                        var weights = [|new[] { 1, 2, 3 }|];
                        var block = [|new byte[16]|];
                        stream.ReadExactly(block);
                        var squares = [|new long[8]|];
                        for (int j = 0; j < squares.Length; j++) squares[j] = (long)j * j;
                        Console.WriteLine(weights[i % 3] + block[0] + squares[7]);
                    }
            """),
        FixedCode = Wrap("""
                    var weights = new[] { 1, 2, 3 };
                    var block = new byte[16];
                    var squares = new long[8];
                    for (int i = 0; i < values.Length; i++)
                    {
                        stream.ReadExactly(block);
                        for (int j = 0; j < squares.Length; j++) squares[j] = (long)j * j;
                        Console.WriteLine(weights[i % 3] + block[0] + squares[7]);
                    }
            """),
    }.RunAsync();

    [Fact]
    public Task Hoist_NotOffered_ForWrittenInitializedArrays_OrElementsComputedInTheLoop()
    {
        var source = Wrap("""
                    foreach (var value in values)
                    {
                        var pair = [|new[] { 1, 2 }|];
                        pair[0] = value;
                        var computed = [|new[] { value, 2 }|];
                        Console.WriteLine(pair[0] + computed[0]);
                    }
            """);
        return new Test { TestCode = source, FixedCode = source }.RunAsync();
    }

    // ---- stackalloc --------------------------------------------------------------------------------------------

    [Fact]
    public Task Stackalloc_DeclaresTheSpanBeforeTheLoop_AndClearsIt() => new Test
    {
        CodeActionEquivalenceKey = FixedSizePerIterationArrayFixer.StackallocEquivalenceKey,
        TestCode = Wrap("""
                    foreach (var value in values)
                    {
                        var digits = [|new int[10]|];
                        digits[value % 10]++;
                        foreach (var d in digits) Console.Write(d);
                        Console.WriteLine(digits.Length + digits.AsSpan(1, 2).Length + digits.AsSpan().IndexOf(1));
                    }
            """),
        FixedCode = Wrap("""
                    Span<int> digits = stackalloc int[10];
                    foreach (var value in values)
                    {
                        digits.Clear();
                        digits[value % 10]++;
                        foreach (var d in digits) Console.Write(d);
                        Console.WriteLine(digits.Length + digits.Slice(1, 2).Length + digits.IndexOf(1));
                    }
            """),
    }.RunAsync();

    [Fact]
    public Task Stackalloc_KeepsAnInitializerOfAReadOnlyArray() => new Test
    {
        CodeActionEquivalenceKey = FixedSizePerIterationArrayFixer.StackallocEquivalenceKey,
        TestCode = Wrap("""
                    foreach (var value in values)
                    {
                        var weights = [|new[] { 3, 5, 7 }|];
                        Console.WriteLine(weights[value % 3]);
                    }
            """),
        FixedCode = Wrap("""
                    Span<int> weights = stackalloc int[] { 3, 5, 7 };
                    foreach (var value in values)
                    {
                        Console.WriteLine(weights[value % 3]);
                    }
            """),
    }.RunAsync();

    [Theory]
    [InlineData("var a = [|new byte[2048]|]; a[0] = 1; Console.WriteLine(a[0]);")]
    [InlineData("var a = [|new string[2]|]; a[0] = \"x\"; Console.WriteLine(a[0]);")]
    [InlineData("var a = [|new byte[16]|]; stream.Write(a, 0, a.Length);")]
    [InlineData("var a = [|new byte[16]|]; Console.WriteLine(a.LongLength);")]
    public Task Stackalloc_NotOffered_ForLargeOrManagedArraysOrArrayOnlyUses(string body)
    {
        var source = Wrap($$"""
                    foreach (var value in values)
                    {
                        {{body}}
                    }
            """);
        return new Test
        {
            CodeActionEquivalenceKey = FixedSizePerIterationArrayFixer.StackallocEquivalenceKey,
            TestCode = source,
            FixedCode = source,
        }.RunAsync();
    }

    [Fact]
    public Task Stackalloc_ThresholdComesFromEditorConfig()
    {
        var source = Wrap("""
                    foreach (var value in values)
                    {
                        var a = [|new long[8]|];
                        a[value & 7] = value;
                        Console.WriteLine(a[0]);
                    }
            """);
        return new Test
        {
            EditorConfig = """
                [*.cs]
                ALLOC002.stackalloc_max_bytes = 32
                """,
            CodeActionEquivalenceKey = FixedSizePerIterationArrayFixer.StackallocEquivalenceKey,
            TestCode = source,
            FixedCode = source,
        }.RunAsync();
    }

    [Fact]
    public Task Stackalloc_NotOffered_InAsyncMethods()
    {
        const string source = """
            using System;
            using System.Threading.Tasks;

            class C
            {
                async Task M(int[] values)
                {
                    foreach (var value in values)
                    {
                        var a = [|new int[4]|];
                        a[value & 3] = 1;
                        await Task.Yield();
                        Console.WriteLine(a[0]);
                    }
                }
            }
            """;
        return new Test
        {
            CodeActionEquivalenceKey = FixedSizePerIterationArrayFixer.StackallocEquivalenceKey,
            TestCode = source,
            FixedCode = source,
        }.RunAsync();
    }

    // ---- behaviour -----------------------------------------------------------------------------------------------

    [Theory]
    [InlineData(FixedSizePerIterationArrayFixer.HoistEquivalenceKey)]
    [InlineData(FixedSizePerIterationArrayFixer.StackallocEquivalenceKey)]
    public async Task FixedProgram_BehavesExactlyLikeTheOriginal(string key)
    {
        const string source = """
            using System;
            using System.Text;

            public static class Program
            {
                public static string Run()
                {
                    var sb = new StringBuilder();
                    foreach (var value in new[] { 13, 27, 31, 13, 40, 5 })
                    {
                        var digits = new int[10];
                        digits[value % 10]++;
                        digits[value / 10 % 10] += 2;
                        foreach (var d in digits) sb.Append(d);
                        var weights = new[] { 3, 5, 7 };
                        sb.Append(':').Append(weights[value % 3]).Append(digits.Length).Append(';');
                        if (value == 40) break;
                    }
                    return sb.ToString();
                }
            }
            """;

        var fixedSource = await new Test { TestCode = source, CodeActionEquivalenceKey = key }.ApplyFixesAsync();

        Assert.NotEqual(source, fixedSource);
        Assert.Equal(ProgramRunner.Run(source), ProgramRunner.Run(fixedSource));
    }
}
