using System.Threading.Tasks;
using AllocAnalyzers.CodeFixes.Rules;
using AllocAnalyzers.Rules;
using AllocAnalyzers.Tests.Harness;
using Microsoft.CodeAnalysis.CSharp;
using static AllocAnalyzers.Tests.Harness.DiagnosticResult;
using Test = AllocAnalyzers.Tests.Harness.CodeFixTest<AllocAnalyzers.Rules.PerIterationArrayAnalyzer, AllocAnalyzers.CodeFixes.Rules.PerIterationArrayFixer>;
using AnalyzerOnly = AllocAnalyzers.Tests.Harness.AnalyzerTest<AllocAnalyzers.Rules.PerIterationArrayAnalyzer>;

namespace AllocAnalyzers.Tests.Rules;

public sealed class PerIterationArrayTests
{
    private static Task NoDiagnostic(string body, string members = "") => new AnalyzerOnly { TestCode = Wrap(body, members) }.RunAsync();

    private static Task Reports(string body, string members = "") => new AnalyzerOnly { TestCode = Wrap(body, members) }.RunAsync();

    private static string Wrap(string body, string members = "") => $$"""
        using System;
        using System.Collections.Generic;
        using System.IO;
        using System.Threading.Tasks;

        class C
        {
            void M(Stream stream, int[] sizes, int n)
            {
        {{body}}
            }
        {{members}}
        }
        """;

    // ---- Diagnostics -------------------------------------------------------------------------------------------

    [Fact]
    public async Task Reports_ArrayOfVariableSize_InForLoop_WithNameAndLoopInMessage()
    {
        var test = new AnalyzerOnly
        {
            TestCode = Wrap("""
                        for (int i = 0; i < sizes.Length; i++)
                        {
                            var buffer = {|#0:new byte[sizes[i]]|};
                            stream.Read(buffer, 0, buffer.Length);
                        }
                """),
        };
        test.ExpectedDiagnostics.Add(Diagnostic("ALLOC001").WithLocation(0).WithArguments("buffer", "on every iteration of this 'for' loop"));
        await test.RunAsync();
    }

    [Theory]
    [InlineData("foreach (var size in sizes) {", "}", "foreach")]
    [InlineData("while (n-- > 0) { var size = n;", "}", "while")]
    [InlineData("do { var size = n;", "} while (--n > 0);", "do")]
    public async Task Reports_InEveryKindOfLoop(string open, string close, string keyword)
    {
        var test = new AnalyzerOnly
        {
            TestCode = Wrap($$"""
                        {{open}}
                            byte[] buffer = {|#0:new byte[size]|};
                            stream.Write(buffer, 0, buffer.Length);
                        {{close}}
                """),
        };
        test.ExpectedDiagnostics.Add(Diagnostic("ALLOC001").WithLocation(0).WithArguments("buffer", $"on every iteration of this '{keyword}' loop"));
        await test.RunAsync();
    }

    [Fact]
    public Task Reports_GCAllocateUninitializedArray() => Reports("""
                foreach (var size in sizes)
                {
                    var buffer = [|GC.AllocateUninitializedArray<byte>(size)|];
                    stream.ReadExactly(buffer);
                }
        """);

    [Fact]
    public Task Reports_WhenOnlyIndexedAndMeasured() => Reports("""
                foreach (var size in sizes)
                {
                    var squares = [|new long[size]|];
                    for (int i = 0; i < squares.Length; i++) squares[i] = (long)i * i;
                    Console.WriteLine(squares[0]);
                }
        """);

    [Fact]
    public Task Reports_WhenPassedStraightToABorrowingCall() => Reports("""
                foreach (var size in sizes)
                {
                    stream.Write([|new byte[size]|], 0, size);
                }
        """);

    [Fact]
    public Task Reports_WhenSpanAndMemoryViewsStayInTheIteration() => Reports("""
                foreach (var size in sizes)
                {
                    var buffer = [|new byte[size]|];
                    Span<byte> span = buffer;
                    span.Fill(1);
                    ReadOnlySpan<byte> head = buffer.AsSpan(0, 1);
                    stream.Write(head);
                    stream.Write(buffer.AsMemory().Span);
                }
        """);

    [Fact]
    public Task Reports_WhenAwaitedAsyncReadBorrowsIt() => new AnalyzerOnly
    {
        TestCode = """
            using System;
            using System.IO;
            using System.Threading.Tasks;

            class C
            {
                async Task M(Stream stream, int[] sizes)
                {
                    foreach (var size in sizes)
                    {
                        var buffer = [|new byte[size]|];
                        await stream.ReadAsync(buffer, 0, buffer.Length).ConfigureAwait(false);
                        await stream.WriteAsync(buffer.AsMemory(0, size));
                    }
                }
            }
            """,
    }.RunAsync();

    [Fact]
    public Task Reports_WhenPassedToAMethodOfThisCompilationThatDoesNotKeepIt() => Reports("""
                foreach (var size in sizes)
                {
                    var buffer = [|new int[size]|];
                    Console.WriteLine(Sum(buffer));
                }
        """, """
            static int Sum(int[] values)
            {
                var total = 0;
                foreach (var value in values) total += value;
                return total + Count(values);
            }

            static int Count(int[] values) => values.Length;
        """);

    [Fact]
    public Task Reports_WhenPassedToAGenericMethodOfThisCompilationThatDoesNotKeepIt() => Reports("""
                foreach (var size in sizes)
                {
                    var buffer = [|new int[size]|];
                    Console.WriteLine(CountOf(buffer) + new Counter<int>().CountOf(buffer));
                }
        """, """
            static int CountOf<T>(T[] values) => values.Length;

            class Counter<T> { public int CountOf(T[] values) => values.Length; }
        """);

    [Fact]
    public Task Reports_InnerLoopOfNestedLoops() => Reports("""
                foreach (var size in sizes)
                {
                    for (int i = 0; i < n; i++)
                    {
                        var buffer = [|new char[size + i]|];
                        Console.Out.Write(buffer, 0, buffer.Length);
                    }
                }
        """);

    [Fact]
    public Task Reports_WhenLocalIsDeclaredInBodyAndAssignedLater() => Reports("""
                foreach (var size in sizes)
                {
                    byte[] buffer;
                    buffer = [|new byte[size]|];
                    stream.Read(buffer, 0, size);
                }
        """);

    // ---- Valid -------------------------------------------------------------------------------------------------

    [Fact]
    public Task DoesNotReport_ConstantSize() => NoDiagnostic("""
                foreach (var size in sizes)
                {
                    var buffer = new byte[4096];
                    stream.Read(buffer, 0, buffer.Length);
                }
        """);

    [Fact]
    public Task DoesNotReport_OutsideLoops() => NoDiagnostic("""
                var buffer = new byte[n];
                stream.Read(buffer, 0, buffer.Length);
        """);

    [Fact]
    public Task DoesNotReport_InLambdaOrLocalFunctionDefinedInLoop() => NoDiagnostic("""
                foreach (var size in sizes)
                {
                    Action a = () => { var b = new byte[size]; stream.Read(b, 0, b.Length); };
                    void Local() { var b = new byte[size]; stream.Read(b, 0, b.Length); }
                    a();
                    Local();
                }
        """);

    [Fact]
    public Task DoesNotReport_InForeachCollectionOrForInitializer() => NoDiagnostic("""
                foreach (var size in sizes)
                {
                    foreach (var b in new byte[size]) Console.WriteLine(b);
                }
                for (var buffer = new byte[n]; n > 0; n--) stream.Read(buffer, 0, buffer.Length);
        """);

    [Fact]
    public Task DoesNotReport_WhenReturned() => new AnalyzerOnly
    {
        TestCode = """
            class C
            {
                byte[] M(int[] sizes)
                {
                    foreach (var size in sizes)
                    {
                        var buffer = new byte[size];
                        if (size > 10) return buffer;
                    }
                    return null;
                }
            }
            """,
    }.RunAsync();

    [Fact]
    public Task DoesNotReport_WhenYielded() => new AnalyzerOnly
    {
        TestCode = """
            using System.Collections.Generic;

            class C
            {
                IEnumerable<byte[]> M(int[] sizes)
                {
                    foreach (var size in sizes)
                    {
                        var buffer = new byte[size];
                        yield return buffer;
                    }
                }
            }
            """,
    }.RunAsync();

    [Theory]
    [InlineData("_field = buffer;")]
    [InlineData("Property = buffer;")]
    [InlineData("_all[0] = buffer;")]
    [InlineData("_list.Add(buffer);")]
    [InlineData("outer = buffer;")]
    [InlineData("object boxed = buffer; Console.WriteLine(boxed);")]
    [InlineData("IList<byte> list = buffer; Console.WriteLine(list.Count);")]
    [InlineData("var alias = buffer; Console.WriteLine(alias.Length);")]
    [InlineData("Keep(buffer);")]
    [InlineData("KeepAny(buffer);")]
    [InlineData("KeepAny<byte>(buffer);")]
    [InlineData("_holder.Keep(buffer);")]
    [InlineData("Unknown(buffer);")]
    [InlineData("Action a = () => Console.WriteLine(buffer.Length); a();")]
    [InlineData("void Local() => Console.WriteLine(buffer.Length); Local();")]
    [InlineData("var t = stream.ReadAsync(buffer, 0, size);")]
    [InlineData("var ms = new MemoryStream(buffer); _field = ms.GetBuffer();")]
    [InlineData("var segment = new ArraySegment<byte>(buffer); _field = segment.Array;")]
    [InlineData("Memory<byte> memory = buffer; _memory = memory;")]
    [InlineData("Array.Resize(ref buffer, 2 * size);")]
    [InlineData("var e = buffer.GetEnumerator(); Console.WriteLine(e.MoveNext());")]
    [InlineData("_tasks.Add(Task.Run(() => buffer[0]));")]
    [InlineData("_holder?.Kept = buffer;")]
    [InlineData("_self?.Property = buffer;")]
    [InlineData("_self?._holder.Kept = buffer;")]
    public Task DoesNotReport_WhenArrayEscapes(string escape) => NoDiagnostic($$"""
                byte[] outer = null;
                foreach (var size in sizes)
                {
                    var buffer = new byte[size];
                    {{escape}}
                }
                Console.WriteLine(outer);
        """, """
            byte[] _field;
            byte[][] _all = new byte[1][];
            List<byte[]> _list = new List<byte[]>();
            List<Task> _tasks = new List<Task>();
            Memory<byte> _memory;
            byte[] Property { get; set; }
            void Keep(byte[] b) => _field = b;
            object _any;
            void KeepAny<T>(T[] b) => _any = b;
            Holder<byte> _holder = new Holder<byte>();
            C _self;
            class Holder<T> { public T[] Kept; public void Keep(T[] b) => Kept = b; }
            static extern void Unknown(byte[] b);
        """);

    [Fact]
    public Task DoesNotReport_WhenVirtualMethodMightKeepIt() => NoDiagnostic("""
                foreach (var size in sizes)
                {
                    var buffer = new byte[size];
                    Process(buffer);
                }
        """, """
            protected virtual void Process(byte[] data) { }
        """);

    private const string UserBorrowerSource = """
        namespace Lib
        {
            public abstract class Hasher
            {
                public abstract void Feed(byte[] data);
                public abstract void Feed(byte[] data, int offset, int count);
            }

            class C
            {
                void M(Hasher hasher, int[] sizes)
                {
                    foreach (var size in sizes)
                    {
                        var buffer = {|#0:new byte[size]|};
                        hasher.Feed(buffer);
                    }
                }
            }
        }
        """;

    [Fact]
    public Task DoesNotReport_WhenAnOverridableMethodReceivesIt_WithoutTheOption() => new AnalyzerOnly
    {
        TestCode = UserBorrowerSource,
    }.RunAsync();

    [Theory]
    [InlineData("Lib.Hasher.Feed")]
    [InlineData("Hasher.Feed")]
    [InlineData("Other.Thing, M:Lib.Hasher.Feed(System.Byte[])")]
    public async Task Reports_WhenTheOptionDeclaresTheMethodNonRetaining(string value)
    {
        var test = new AnalyzerOnly
        {
            TestCode = UserBorrowerSource,
            EditorConfig = $"""
                root = true

                [*.cs]
                alloc_analyzers.non_retaining_methods = {value}
                """,
        };
        test.ExpectedDiagnostics.Add(Diagnostic("ALLOC001").WithLocation(0).WithArguments("buffer", "on every iteration of this 'foreach' loop"));
        await test.RunAsync();
    }

    [Fact]
    public async Task OptionNamingAnotherOverloadByDocumentationId_DoesNotCoverThisOne()
    {
        await new AnalyzerOnly
        {
            TestCode = UserBorrowerSource,
            EditorConfig = """
                [*.cs]
                alloc_analyzers.non_retaining_methods = M:Lib.Hasher.Feed(System.Byte[],System.Int32,System.Int32)
                """,
        }.RunAsync();
    }

    [Fact]
    public Task DoesNotReport_InGeneratedCode() => new AnalyzerOnly
    {
        TestCode = """
            // <auto-generated/>
            class C
            {
                void M(System.IO.Stream stream, int[] sizes)
                {
                    foreach (var size in sizes)
                    {
                        var buffer = new byte[size];
                        stream.Read(buffer, 0, buffer.Length);
                    }
                }
            }
            """,
    }.RunAsync();
}
