using System.Threading.Tasks;
using AllocAnalyzers.CodeFixes.Rules;
using AllocAnalyzers.Tests.Harness;
using Microsoft.CodeAnalysis;
using static AllocAnalyzers.Tests.Harness.DiagnosticResult;
using Test = AllocAnalyzers.Tests.Harness.CodeFixTest<AllocAnalyzers.Rules.ArrayPoolMisuseAnalyzer, AllocAnalyzers.CodeFixes.Rules.ArrayPoolMisuseFixer>;

namespace AllocAnalyzers.Tests.Rules;

/// <summary>ALLOC003's fixes: "Use the requested length" and "Return the array in a finally block", and where they are not offered.</summary>
public sealed class ArrayPoolMisuseFixTests
{
    // ---- use the requested length ------------------------------------------------------------------------------

    [Fact]
    public Task LengthAsCount_BecomesTheRequestedSize() => LengthFix("""
                stream.Write(buffer, 0, {|#0:buffer.Length|});
        """, """
                stream.Write(buffer, 0, size);
        """, Length(0));

    [Fact]
    public Task AsSpanWithoutBounds_IsBounded() => LengthFix("""
                stream.Write({|#0:buffer.AsSpan()|});
        """, """
                stream.Write(buffer.AsSpan(0, size));
        """, Whole(0));

    [Fact]
    public Task WholeArrayCall_MovesToTheOverloadWithBounds() => LengthFix("""
                Console.WriteLine(Convert.ToBase64String({|#0:buffer|}));
        """, """
                Console.WriteLine(Convert.ToBase64String(buffer, 0, size));
        """, Whole(0));

    [Fact]
    public Task ForEach_EnumeratesTheRequestedSpan() => LengthFix("""
                foreach (var b in {|#0:buffer|}) Console.Write(b);
        """, """
                foreach (var b in buffer.AsSpan(0, size)) Console.Write(b);
        """, Whole(0));

    [Fact]
    public Task WholeArrayConvertedToASpan_IsBounded() => LengthFix("""
                stream.Write({|#0:buffer|});
        """, """
                stream.Write(buffer.AsSpan(0, size));
        """, Whole(0));

    [Fact]
    public Task ConstantSize_IsWrittenAgain() => new Test
    {
        TestCode = Method("""
                var buffer = ArrayPool<byte>.Shared.Rent(4096);
                try
                {
                    stream.Write(buffer, 0, {|#0:buffer.Length|});
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
        """),
        ExpectedDiagnostics = { Length(0, size: "4096") },
        FixedCode = Method("""
                var buffer = ArrayPool<byte>.Shared.Rent(4096);
                try
                {
                    stream.Write(buffer, 0, 4096);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
        """),
    }.RunAsync();

    [Fact]
    public Task StableExpression_IsWrittenAgain() => new Test
    {
        TestCode = Method("""
                var buffer = ArrayPool<byte>.Shared.Rent(name.Length * 2);
                try
                {
                    stream.Write(buffer, 0, {|#0:buffer.Length|});
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
        """),
        ExpectedDiagnostics = { Length(0, size: "name.Length * 2") },
        FixedCode = Method("""
                var buffer = ArrayPool<byte>.Shared.Rent(name.Length * 2);
                try
                {
                    stream.Write(buffer, 0, name.Length * 2);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
        """),
    }.RunAsync();

    [Fact]
    public Task SizeThatMayChange_IsStoredInALocalBeforeTheRent() => new Test
    {
        TestCode = Method("""
                // one frame
                var buffer = ArrayPool<byte>.Shared.Rent(stream.ReadByte() + 1);
                try
                {
                    stream.ReadExactly(buffer, 0, {|#0:buffer.Length|});
                    Console.WriteLine(Convert.ToBase64String({|#1:buffer|}));
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
        """),
        ExpectedDiagnostics = { Length(0, size: "stream.ReadByte() + 1"), Whole(1, size: "stream.ReadByte() + 1") },
        FixedCode = Method("""
                // one frame
                int bufferLength = stream.ReadByte() + 1;
                var buffer = ArrayPool<byte>.Shared.Rent(bufferLength);
                try
                {
                    stream.ReadExactly(buffer, 0, bufferLength);
                    Console.WriteLine(Convert.ToBase64String(buffer, 0, bufferLength));
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
        """),
    }.RunAsync();

    [Fact]
    public Task SizeVariableWrittenBeforeTheUse_IsStoredInALocalBeforeTheRent() => new Test
    {
        TestCode = Method("""
                int count = name.Length;
                var buffer = ArrayPool<byte>.Shared.Rent(count);
                try
                {
                    count = 0;
                    stream.Write(buffer, 0, {|#0:buffer.Length|});
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
        """),
        ExpectedDiagnostics = { Length(0, size: "count") },
        FixedCode = Method("""
                int count = name.Length;
                int bufferLength = count;
                var buffer = ArrayPool<byte>.Shared.Rent(bufferLength);
                try
                {
                    count = 0;
                    stream.Write(buffer, 0, bufferLength);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
        """),
    }.RunAsync();

    [Fact]
    public Task UseRequestedLength_AddsUsingSystemForAsSpan() => new Test
    {
        TestCode = """
            using System.Buffers;
            using System.IO;

            class C
            {
                void M(Stream stream, int size)
                {
                    var buffer = ArrayPool<byte>.Shared.Rent(size);
                    try
                    {
                        stream.Write({|#0:buffer|});
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                    }
                }
            }
            """,
        ExpectedDiagnostics = { Whole(0) },
        FixedCode = """
            using System;
            using System.Buffers;
            using System.IO;

            class C
            {
                void M(Stream stream, int size)
                {
                    var buffer = ArrayPool<byte>.Shared.Rent(size);
                    try
                    {
                        stream.Write(buffer.AsSpan(0, size));
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
    public Task UseRequestedLength_OnNetStandard20_UsesTheOverloadWithBounds()
    {
        var test = new Test
        {
            ReferenceSet = ReferenceSet.NetStandard20,
            TestCode = """
                using System;
                using System.Buffers;

                class C
                {
                    string M(int size)
                    {
                        var buffer = ArrayPool<byte>.Shared.Rent(size);
                        try
                        {
                            return Convert.ToBase64String({|#0:buffer|});
                        }
                        finally
                        {
                            ArrayPool<byte>.Shared.Return(buffer);
                        }
                    }
                }
                """,
            ExpectedDiagnostics = { Whole(0) },
            FixedCode = """
                using System;
                using System.Buffers;

                class C
                {
                    string M(int size)
                    {
                        var buffer = ArrayPool<byte>.Shared.Rent(size);
                        try
                        {
                            return Convert.ToBase64String(buffer, 0, size);
                        }
                        finally
                        {
                            ArrayPool<byte>.Shared.Return(buffer);
                        }
                    }
                }
                """,
        };
        test.AdditionalReferences.Add(References.SystemBuffers);
        return test.RunAsync();
    }

    [Fact]
    public Task UseRequestedLength_FixAll_FixesEveryUseOfEveryRental() => new Test
    {
        CodeActionEquivalenceKey = ArrayPoolMisuseFixer.UseRequestedLengthEquivalenceKey,
        TestCode = Method("""
                var body = ArrayPool<byte>.Shared.Rent(stream.ReadByte());
                var header = ArrayPool<byte>.Shared.Rent(16);
                try
                {
                    stream.Write(header, 0, {|#0:header.Length|});
                    stream.Write(body, 0, {|#1:body.Length|});
                    Console.WriteLine(Convert.ToBase64String({|#2:body|}));
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(header);
                    ArrayPool<byte>.Shared.Return(body);
                }
        """),
        ExpectedDiagnostics =
        {
            Length(0, "header", "16"),
            Length(1, "body", "stream.ReadByte()"),
            Whole(2, "body", "stream.ReadByte()"),
        },
        FixedCode = Method("""
                int bodyLength = stream.ReadByte();
                var body = ArrayPool<byte>.Shared.Rent(bodyLength);
                var header = ArrayPool<byte>.Shared.Rent(16);
                try
                {
                    stream.Write(header, 0, 16);
                    stream.Write(body, 0, bodyLength);
                    Console.WriteLine(Convert.ToBase64String(body, 0, bodyLength));
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(header);
                    ArrayPool<byte>.Shared.Return(body);
                }
        """),
    }.RunAsync();

    [Fact]
    public Task UseRequestedLength_NotOffered_WhenTwoRentalsMayReachTheUse() => NoFix(Method("""
                byte[] buffer;
                if (name.Length > 3)
                {
                    buffer = ArrayPool<byte>.Shared.Rent(size);
                }
                else
                {
                    buffer = ArrayPool<byte>.Shared.Rent(name.Length);
                }

                try
                {
                    stream.Write(buffer, 0, {|#0:buffer.Length|});
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
        """), Length(0));

    [Fact]
    public Task UseRequestedLength_NotOffered_WhenThePoolIsACall() => NoFix(Method("""
                var buffer = Pool().Rent(stream.ReadByte());
                try
                {
                    stream.Write(buffer, 0, {|#0:buffer.Length|});
                }
                finally
                {
                    Pool().Return(buffer);
                }
        """), Length(0, size: "stream.ReadByte()"));

    // ---- return in a finally block -----------------------------------------------------------------------------

    [Fact]
    public Task NeverReturned_TheRestMovesIntoTryAndFinallyReturns() => ReturnFix("""
                var buffer = {|#0:ArrayPool<byte>.Shared.Rent(size)|};
                stream.ReadExactly(buffer, 0, size);
                Console.WriteLine(buffer[0]);
        """, """
                var buffer = ArrayPool<byte>.Shared.Rent(size);
                try
                {
                    stream.ReadExactly(buffer, 0, size);
                    Console.WriteLine(buffer[0]);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
        """);

    [Fact]
    public Task ReturnedWithoutFinally_TheReturnMovesIntoFinally_AndLaterStatementsStayAfter() => ReturnFix("""
                var buffer = {|#0:ArrayPool<byte>.Shared.Rent(size)|};
                stream.ReadExactly(buffer, 0, size);
                if (buffer[0] == 0)
                {
                    return;
                }

                stream.Write(buffer, 0, size);
                ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
                stream.Flush();
        """, """
                var buffer = ArrayPool<byte>.Shared.Rent(size);
                try
                {
                    stream.ReadExactly(buffer, 0, size);
                    if (buffer[0] == 0)
                    {
                        return;
                    }

                    stream.Write(buffer, 0, size);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
                }

                stream.Flush();
        """);

    [Fact]
    public Task ReturnInFinally_KeepsBreakAndContinueInsideTheLoop() => ReturnFix("""
                for (int i = 0; i < size; i++)
                {
                    var buffer = {|#0:ArrayPool<byte>.Shared.Rent(size)|};
                    int read = stream.Read(buffer, 0, size);
                    if (read == 0) break;
                    if (read == 1) continue;
                    stream.Write(buffer, 0, read);
                    ArrayPool<byte>.Shared.Return(buffer);
                }
        """, """
                for (int i = 0; i < size; i++)
                {
                    var buffer = ArrayPool<byte>.Shared.Rent(size);
                    try
                    {
                        int read = stream.Read(buffer, 0, size);
                        if (read == 0) break;
                        if (read == 1) continue;
                        stream.Write(buffer, 0, read);
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                    }
                }
        """);

    [Fact]
    public Task ReturnInFinally_ClearsArraysOfReferences_AndUsesThePoolField() => new Test
    {
        TestCode = Method("""
                var names = {|#0:_names.Rent(size)|};
                names[0] = name;
                Console.WriteLine(string.Join(",", names, 0, 1));
        """, members: """
            private readonly ArrayPool<string> _names = ArrayPool<string>.Create();
        """),
        ExpectedDiagnostics = { NotReturned(0, "names", "_names") },
        FixedCode = Method("""
                var names = _names.Rent(size);
                try
                {
                    names[0] = name;
                    Console.WriteLine(string.Join(",", names, 0, 1));
                }
                finally
                {
                    _names.Return(names, clearArray: true);
                }
        """, members: """
            private readonly ArrayPool<string> _names = ArrayPool<string>.Create();
        """),
    }.RunAsync();

    [Fact]
    public Task ReturnInFinally_FixAll_WrapsEachRental() => new Test
    {
        TestCode = Method("""
                var header = {|#0:ArrayPool<byte>.Shared.Rent(16)|};
                stream.ReadExactly(header, 0, 16);
                var body = {|#1:ArrayPool<byte>.Shared.Rent(size)|};
                stream.ReadExactly(body, 0, size);
                ArrayPool<byte>.Shared.Return(body);
                ArrayPool<byte>.Shared.Return(header);
        """),
        ExpectedDiagnostics = { NotReturned(0, "header"), NotReturned(1, "body") },
        FixedCode = Method("""
                var header = ArrayPool<byte>.Shared.Rent(16);
                try
                {
                    stream.ReadExactly(header, 0, 16);
                    var body = ArrayPool<byte>.Shared.Rent(size);
                    try
                    {
                        stream.ReadExactly(body, 0, size);
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(body);
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(header);
                }
        """),
    }.RunAsync();

    [Fact]
    public Task ReturnInFinally_NotOffered_WhenRentedInALoopAndReturnedAfterIt() => NoFix(Method("""
                byte[] buffer = null;
                for (int i = 0; i < size; i++)
                {
                    buffer = {|#0:ArrayPool<byte>.Shared.Rent(size)|};
                    buffer[0] = (byte)i;
                }

                if (buffer != null)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
        """), NotReturned(0));

    [Fact]
    public Task ReturnInFinally_NotOffered_WhenReturnedOnTwoPaths() => NoFix(Method("""
                var buffer = {|#0:ArrayPool<byte>.Shared.Rent(size)|};
                stream.ReadExactly(buffer, 0, size);
                if (buffer[0] == 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return;
                }

                ArrayPool<byte>.Shared.Return(buffer);
        """), NotReturned(0));

    [Fact]
    public Task ReturnInFinally_NotOffered_WhenThePoolFieldMayChange() => NoFix(Method("""
                var buffer = {|#0:_pool.Rent(size)|};
                stream.ReadExactly(buffer, 0, size);
        """, members: """
            private ArrayPool<byte> _pool = ArrayPool<byte>.Shared;
        """), NotReturned(0, pool: "_pool"));

    [Fact]
    public Task ReturnInFinally_NotOffered_InIterators() => NoFix("""
        using System.Buffers;
        using System.Collections.Generic;
        using System.IO;

        class C
        {
            IEnumerable<int> M(Stream stream, int size)
            {
                var buffer = {|#0:ArrayPool<byte>.Shared.Rent(size)|};
                yield return stream.Read(buffer, 0, size);
            }
        }
        """, NotReturned(0));

    // ---- the examples of docs/rules/ALLOC003.md ----------------------------------------------------------------

    [Fact]
    public Task PageExample_UseRequestedLength() => new Test
    {
        TestCode = PageMethod("""
                var buffer = ArrayPool<byte>.Shared.Rent(size);
                try
                {
                    stream.ReadExactly(buffer, 0, size);
                    output.Write(buffer, 0, {|#0:buffer.Length|});
                    Console.WriteLine(Convert.ToBase64String({|#1:buffer|}));
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
        """),
        ExpectedDiagnostics = { Length(0), Whole(1) },
        FixedCode = PageMethod("""
                var buffer = ArrayPool<byte>.Shared.Rent(size);
                try
                {
                    stream.ReadExactly(buffer, 0, size);
                    output.Write(buffer, 0, size);
                    Console.WriteLine(Convert.ToBase64String(buffer, 0, size));
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
        """),
    }.RunAsync();

    [Fact]
    public Task PageExample_ReturnInFinally() => new Test
    {
        TestCode = PageMethod("""
                var buffer = {|#0:ArrayPool<byte>.Shared.Rent(size)|};
                stream.ReadExactly(buffer, 0, size);
                if (buffer[0] == 0)
                {
                    return;
                }

                ArrayPool<byte>.Shared.Return(buffer);
        """),
        ExpectedDiagnostics = { NotReturned(0) },
        FixedCode = PageMethod("""
                var buffer = ArrayPool<byte>.Shared.Rent(size);
                try
                {
                    stream.ReadExactly(buffer, 0, size);
                    if (buffer[0] == 0)
                    {
                        return;
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
        """),
    }.RunAsync();

    private static string PageMethod(string body) => $$"""
        using System;
        using System.Buffers;
        using System.IO;

        class C
        {
            void M(Stream stream, Stream output, int size)
            {
        {{body}}
            }
        }
        """;

    // ---- helpers -----------------------------------------------------------------------------------------------

    private static string Method(string body, string members = "") => $$"""
        using System;
        using System.Buffers;
        using System.IO;

        class C
        {
            void M(Stream stream, int size, string name)
            {
        {{body}}
            }

            private static ArrayPool<byte> Pool() => ArrayPool<byte>.Shared;
        {{members}}
        }
        """;

    /// <summary>The use inside <c>try</c>, with the array rented from <c>ArrayPool&lt;byte&gt;.Shared.Rent(size)</c> and returned in <c>finally</c>.</summary>
    private static Task LengthFix(string use, string fixedUse, DiagnosticResult expected) => new Test
    {
        TestCode = Rented(use),
        ExpectedDiagnostics = { expected },
        FixedCode = Rented(fixedUse),
    }.RunAsync();

    private static string Rented(string use) => Method($$"""
                var buffer = ArrayPool<byte>.Shared.Rent(size);
                try
                {
            {{use}}
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
        """);

    private static Task ReturnFix(string body, string fixedBody) => new Test
    {
        TestCode = Method(body),
        ExpectedDiagnostics = { NotReturned(0) },
        FixedCode = Method(fixedBody),
    }.RunAsync();

    private static Task NoFix(string source, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source, FixedCode = source };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    private static DiagnosticResult Length(int key, string name = "buffer", string size = "size") =>
        Diagnostic("ALLOC003").WithLocation(key).WithArguments($"'{name}.Length' is the rented length, which is at least the requested '{size}' and usually more");

    private static DiagnosticResult Whole(int key, string name = "buffer", string size = "size") =>
        Diagnostic("ALLOC003").WithLocation(key).WithArguments($"Array '{name}' is used with its rented length, which is at least the requested '{size}' and usually more");

    private static DiagnosticResult NotReturned(int key, string name = "buffer", string pool = "ArrayPool<byte>.Shared") =>
        Diagnostic("ALLOC003").WithLocation(key).WithSeverity(DiagnosticSeverity.Info)
            .WithArguments($"Array '{name}' rented from {pool} is not returned on some path");
}
