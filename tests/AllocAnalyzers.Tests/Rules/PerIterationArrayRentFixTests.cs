using System.Threading.Tasks;
using AllocAnalyzers.CodeFixes.Rules;
using AllocAnalyzers.Tests.Harness;
using Microsoft.CodeAnalysis.CSharp;
using Test = AllocAnalyzers.Tests.Harness.CodeFixTest<AllocAnalyzers.Rules.PerIterationArrayAnalyzer, AllocAnalyzers.CodeFixes.Rules.PerIterationArrayFixer>;

namespace AllocAnalyzers.Tests.Rules;

/// <summary>ALLOC001's "Rent from ArrayPool&lt;T&gt;.Shared": the fixed code, and where the fix is not offered.</summary>
public sealed class PerIterationArrayRentFixTests
{
    [Fact]
    public Task RentsAndReturnsInFinally_RewritesLength_ClearsRange() => new Test
    {
        TestCode = """
            using System.IO;

            class C
            {
                void M(Stream stream, string[] names)
                {
                    foreach (var name in names)
                    {
                        var size = name.Length;
                        var buffer = [|new byte[size]|];
                        stream.Read(buffer, 0, buffer.Length);
                        stream.Write(buffer, 0, buffer.Length);
                    }
                }
            }
            """,
        FixedCode = """
            using System;
            using System.Buffers;
            using System.IO;

            class C
            {
                void M(Stream stream, string[] names)
                {
                    foreach (var name in names)
                    {
                        var size = name.Length;
                        var buffer = ArrayPool<byte>.Shared.Rent(size);
                        try
                        {
                            Array.Clear(buffer, 0, size);
                            stream.Read(buffer, 0, size);
                            stream.Write(buffer, 0, size);
                        }
                        finally
                        {
                            ArrayPool<byte>.Shared.Return(buffer);
                        }
                    }
                }
            }
            """,
    }.RunAsync();

    [Fact]
    public Task SizeOfUnknownSign_ThrowsOverflowLikeNewArray() => new Test
    {
        TestCode = """
            using System;
            using System.Buffers;
            using System.IO;

            class C
            {
                void M(Stream stream, int[] sizes)
                {
                    foreach (var size in sizes)
                    {
                        var buffer = [|new byte[size]|];
                        stream.ReadExactly(buffer, 0, size);
                        Console.WriteLine(buffer[0]);
                    }
                }
            }
            """,
        FixedCode = """
            using System;
            using System.Buffers;
            using System.IO;

            class C
            {
                void M(Stream stream, int[] sizes)
                {
                    foreach (var size in sizes)
                    {
                        var buffer = ArrayPool<byte>.Shared.Rent(checked((int)(uint)size));
                        try
                        {
                            stream.ReadExactly(buffer, 0, size);
                            Console.WriteLine(buffer[0]);
                        }
                        finally
                        {
                            ArrayPool<byte>.Shared.Return(buffer);
                        }
                    }
                }
            }
            """,
    }.RunAsync();

    [Fact]
    public Task ComplexSize_IsEvaluatedOnceIntoALocal() => new Test
    {
        TestCode = """
            using System;
            using System.IO;

            class C
            {
                void M(BinaryReader reader, int count)
                {
                    for (int i = 0; i < count; i++)
                    {
                        // payload
                        byte[] payload = [|new byte[Math.Max(0, reader.ReadInt32())]|];
                        reader.Read(payload, 0, payload.Length);
                        Console.WriteLine(Convert.ToBase64String(payload));
                    }
                }
            }
            """,
        FixedCode = """
            using System;
            using System.Buffers;
            using System.IO;

            class C
            {
                void M(BinaryReader reader, int count)
                {
                    for (int i = 0; i < count; i++)
                    {
                        // payload
                        int payloadLength = Math.Max(0, reader.ReadInt32());
                        byte[] payload = ArrayPool<byte>.Shared.Rent(payloadLength);
                        try
                        {
                            Array.Clear(payload, 0, payloadLength);
                            reader.Read(payload, 0, payloadLength);
                            Console.WriteLine(Convert.ToBase64String(payload, 0, payloadLength));
                        }
                        finally
                        {
                            ArrayPool<byte>.Shared.Return(payload);
                        }
                    }
                }
            }
            """,
    }.RunAsync();

    [Fact]
    public Task BreakContinueAndReturn_StayInsideTheTry() => new Test
    {
        TestCode = """
            using System.IO;

            class C
            {
                int M(Stream stream, string[] names)
                {
                    int total = 0;
                    foreach (var name in names)
                    {
                        var buffer = [|new byte[name.Length]|];
                        int read = stream.Read(buffer, 0, buffer.Length);
                        if (read == 0) break;
                        if (read == 1) continue;
                        if (buffer[0] == 42) return -1;
                        total += read;
                    }
                    return total;
                }
            }
            """,
        FixedCode = """
            using System;
            using System.Buffers;
            using System.IO;

            class C
            {
                int M(Stream stream, string[] names)
                {
                    int total = 0;
                    foreach (var name in names)
                    {
                        int bufferLength = name.Length;
                        var buffer = ArrayPool<byte>.Shared.Rent(bufferLength);
                        try
                        {
                            Array.Clear(buffer, 0, bufferLength);
                            int read = stream.Read(buffer, 0, bufferLength);
                            if (read == 0) break;
                            if (read == 1) continue;
                            if (buffer[0] == 42) return -1;
                            total += read;
                        }
                        finally
                        {
                            ArrayPool<byte>.Shared.Return(buffer);
                        }
                    }
                    return total;
                }
            }
            """,
    }.RunAsync();

    [Fact]
    public Task AsyncLoop_AwaitsInsideTheTry_AndBoundsSpansToTheReadCount() => new Test
    {
        TestCode = """
            using System;
            using System.IO;
            using System.Threading.Tasks;

            class C
            {
                async Task M(Stream input, Stream output, string[] names)
                {
                    foreach (var name in names)
                    {
                        var buffer = [|new byte[name.Length]|];
                        int read = await input.ReadAsync(buffer, 0, buffer.Length).ConfigureAwait(false);
                        await output.WriteAsync(buffer.AsMemory(0, read));
                    }
                }
            }
            """,
        FixedCode = """
            using System;
            using System.Buffers;
            using System.IO;
            using System.Threading.Tasks;

            class C
            {
                async Task M(Stream input, Stream output, string[] names)
                {
                    foreach (var name in names)
                    {
                        int bufferLength = name.Length;
                        var buffer = ArrayPool<byte>.Shared.Rent(bufferLength);
                        try
                        {
                            Array.Clear(buffer, 0, bufferLength);
                            int read = await input.ReadAsync(buffer, 0, bufferLength).ConfigureAwait(false);
                            await output.WriteAsync(buffer.AsMemory(0, read));
                        }
                        finally
                        {
                            ArrayPool<byte>.Shared.Return(buffer);
                        }
                    }
                }
            }
            """,
    }.RunAsync();

    [Fact]
    public Task WholeArrayUses_BecomeBoundedToTheRequestedSize() => new Test
    {
        TestCode = """
            using System;
            using System.IO;
            using System.Text;

            class C
            {
                void M(Stream stream, string[] names)
                {
                    foreach (var name in names)
                    {
                        var bytes = [|new byte[name.Length]|];
                        stream.Write(bytes);
                        stream.Write(bytes.AsSpan());
                        Console.WriteLine(Encoding.ASCII.GetString(bytes));
                        foreach (var b in bytes) Console.Write(b);
                        Array.Reverse(bytes);
                        Console.WriteLine(Array.IndexOf(bytes, (byte)1));
                        var copy = new MemoryStream(bytes);
                        Console.WriteLine(copy.Length);
                    }
                }
            }
            """,
        FixedCode = """
            using System;
            using System.Buffers;
            using System.IO;
            using System.Text;

            class C
            {
                void M(Stream stream, string[] names)
                {
                    foreach (var name in names)
                    {
                        int bytesLength = name.Length;
                        var bytes = ArrayPool<byte>.Shared.Rent(bytesLength);
                        try
                        {
                            Array.Clear(bytes, 0, bytesLength);
                            stream.Write(bytes.AsSpan(0, bytesLength));
                            stream.Write(bytes.AsSpan(0, bytesLength));
                            Console.WriteLine(Encoding.ASCII.GetString(bytes, 0, bytesLength));
                            foreach (var b in bytes.AsSpan(0, bytesLength)) Console.Write(b);
                            Array.Reverse(bytes, 0, bytesLength);
                            Console.WriteLine(Array.IndexOf(bytes, (byte)1, 0, bytesLength));
                            var copy = new MemoryStream(bytes, 0, bytesLength);
                            Console.WriteLine(copy.Length);
                        }
                        finally
                        {
                            ArrayPool<byte>.Shared.Return(bytes);
                        }
                    }
                }
            }
            """,
    }.RunAsync();

    [Fact]
    public Task FullWriteFirst_NeedsNoClear_AndUninitializedArraysNeedNone() => new Test
    {
        TestCode = """
            using System;
            using System.IO;

            class C
            {
                void M(Stream stream, string[] names, Random random)
                {
                    foreach (var name in names)
                    {
                        var a = [|new byte[name.Length]|];
                        stream.ReadExactly(a);
                        var b = [|GC.AllocateUninitializedArray<byte>(name.Length)|];
                        random.NextBytes(b);
                        var c = [|new int[name.Length]|];
                        for (int i = 0; i < c.Length; i++) c[i] = i * 2;
                        Console.WriteLine(a[0] + b[0] + c[0]);
                    }
                }
            }
            """,
        FixedCode = """
            using System;
            using System.Buffers;
            using System.IO;

            class C
            {
                void M(Stream stream, string[] names, Random random)
                {
                    foreach (var name in names)
                    {
                        int aLength = name.Length;
                        var a = ArrayPool<byte>.Shared.Rent(aLength);
                        try
                        {
                            stream.ReadExactly(a.AsSpan(0, aLength));
                            int bLength = name.Length;
                            var b = ArrayPool<byte>.Shared.Rent(bLength);
                            try
                            {
                                random.NextBytes(b.AsSpan(0, bLength));
                                int cLength = name.Length;
                                var c = ArrayPool<int>.Shared.Rent(cLength);
                                try
                                {
                                    for (int i = 0; i < cLength; i++) c[i] = i * 2;
                                    Console.WriteLine(a[0] + b[0] + c[0]);
                                }
                                finally
                                {
                                    ArrayPool<int>.Shared.Return(c);
                                }
                            }
                            finally
                            {
                                ArrayPool<byte>.Shared.Return(b);
                            }
                        }
                        finally
                        {
                            ArrayPool<byte>.Shared.Return(a);
                        }
                    }
                }
            }
            """,
    }.RunAsync();

    [Fact]
    public Task ReferenceElements_AreClearedOnReturn() => new Test
    {
        TestCode = """
            using System;

            class C
            {
                void M(string[][] rows)
                {
                    foreach (var row in rows)
                    {
                        var cells = [|new string[row.Length]|];
                        Array.Copy(row, cells, cells.Length);
                        Console.WriteLine(string.Join(",", cells, 0, cells.Length));
                    }
                }
            }
            """,
        FixedCode = """
            using System;
            using System.Buffers;

            class C
            {
                void M(string[][] rows)
                {
                    foreach (var row in rows)
                    {
                        int cellsLength = row.Length;
                        var cells = ArrayPool<string>.Shared.Rent(cellsLength);
                        try
                        {
                            Array.Copy(row, cells, cellsLength);
                            Console.WriteLine(string.Join(",", cells, 0, cellsLength));
                        }
                        finally
                        {
                            ArrayPool<string>.Shared.Return(cells, clearArray: true);
                        }
                    }
                }
            }
            """,
    }.RunAsync();

    [Fact]
    public Task NestedLoops_FixAllRewritesEveryLevel() => new Test
    {
        TestCode = """
            using System;
            using System.IO;

            class C
            {
                void M(Stream stream, string[] names)
                {
                    foreach (var name in names)
                    {
                        var outer = [|new byte[name.Length]|];
                        stream.Read(outer, 0, outer.Length);
                        for (int i = 0; i < outer.Length; i++)
                        {
                            var inner = [|new char[name.Length + i]|];
                            Console.Out.Write(inner, 0, inner.Length);
                        }
                    }
                }
            }
            """,
        FixedCode = """
            using System;
            using System.Buffers;
            using System.IO;

            class C
            {
                void M(Stream stream, string[] names)
                {
                    foreach (var name in names)
                    {
                        int outerLength = name.Length;
                        var outer = ArrayPool<byte>.Shared.Rent(outerLength);
                        try
                        {
                            Array.Clear(outer, 0, outerLength);
                            stream.Read(outer, 0, outerLength);
                            for (int i = 0; i < outerLength; i++)
                            {
                                int innerLength = name.Length + i;
                                var inner = ArrayPool<char>.Shared.Rent(checked((int)(uint)innerLength));
                                try
                                {
                                    Array.Clear(inner, 0, innerLength);
                                    Console.Out.Write(inner, 0, innerLength);
                                }
                                finally
                                {
                                    ArrayPool<char>.Shared.Return(inner);
                                }
                            }
                        }
                        finally
                        {
                            ArrayPool<byte>.Shared.Return(outer);
                        }
                    }
                }
            }
            """,
    }.RunAsync();

    [Fact]
    public Task FixAll_InSolutionScope_FixesEveryProject() => new Test
    {
        TestCode = Source("A"),
        AdditionalSources = { Source("B") },
        OtherProjectSources = { Source("D") },
        FixedCode = Fixed("A"),
        FixedAdditionalSources = { Fixed("B") },
        FixedOtherProjectSources = { Fixed("D") },
    }.RunAsync();

    private static string Source(string name) => $$"""
        class {{name}}
        {
            void M(System.IO.Stream stream, int[] sizes)
            {
                foreach (var size in sizes)
                {
                    var buffer = [|new byte[size & 0xFFFF]|];
                    stream.Write(buffer, 0, buffer.Length);
                }
            }
        }
        """;

    private static string Fixed(string name) => $$"""
        using System;
        using System.Buffers;

        class {{name}}
        {
            void M(System.IO.Stream stream, int[] sizes)
            {
                foreach (var size in sizes)
                {
                    int bufferLength = size & 0xFFFF;
                    var buffer = ArrayPool<byte>.Shared.Rent(bufferLength);
                    try
                    {
                        Array.Clear(buffer, 0, bufferLength);
                        stream.Write(buffer, 0, bufferLength);
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                    }
                }
            }
        }
        """;

    [Fact]
    public Task CSharp73_NetStandard20WithSystemBuffers_IsFixed() => new Test
    {
        ReferenceSet = ReferenceSet.NetStandard20,
        AdditionalReferences = { References.SystemBuffers },
        LanguageVersion = LanguageVersion.CSharp7_3,
        TestCode = """
            class C
            {
                void M(System.IO.Stream stream, string[] names)
                {
                    foreach (var name in names)
                    {
                        var buffer = [|new byte[name.Length]|];
                        stream.Read(buffer, 0, buffer.Length);
                    }
                }
            }
            """,
        FixedCode = """
            using System;
            using System.Buffers;

            class C
            {
                void M(System.IO.Stream stream, string[] names)
                {
                    foreach (var name in names)
                    {
                        int bufferLength = name.Length;
                        var buffer = ArrayPool<byte>.Shared.Rent(bufferLength);
                        try
                        {
                            Array.Clear(buffer, 0, bufferLength);
                            stream.Read(buffer, 0, bufferLength);
                        }
                        finally
                        {
                            ArrayPool<byte>.Shared.Return(buffer);
                        }
                    }
                }
            }
            """,
    }.RunAsync();

    [Fact]
    public Task CSharp14_Net100_IsFixed() => new Test
    {
        ReferenceSet = ReferenceSet.Net100,
        LanguageVersion = LanguageVersion.CSharp14,
        TestCode = """
            using System;

            class C
            {
                void M(ReadOnlySpan<string> names)
                {
                    foreach (var name in names)
                    {
                        var chars = [|new char[name.Length]|];
                        name.CopyTo(chars);
                        Console.WriteLine(chars.AsSpan().IndexOf('x'));
                    }
                }
            }
            """,
        FixedCode = """
            using System;
            using System.Buffers;

            class C
            {
                void M(ReadOnlySpan<string> names)
                {
                    foreach (var name in names)
                    {
                        int charsLength = name.Length;
                        var chars = ArrayPool<char>.Shared.Rent(charsLength);
                        try
                        {
                            Array.Clear(chars, 0, charsLength);
                            name.CopyTo(chars.AsSpan(0, charsLength));
                            Console.WriteLine(chars.AsSpan(0, charsLength).IndexOf('x'));
                        }
                        finally
                        {
                            ArrayPool<char>.Shared.Return(chars);
                        }
                    }
                }
            }
            """,
    }.RunAsync();

    [Fact]
    public Task CSharp14_InAnExtensionBlock_IsFixed() => new Test
    {
        ReferenceSet = ReferenceSet.Net100,
        LanguageVersion = LanguageVersion.CSharp14,
        TestCode = """
            using System;
            using System.IO;

            static class StreamExtensions
            {
                extension(Stream stream)
                {
                    public long Checksum(int size, int count)
                    {
                        long sum = 0;
                        for (int i = 0; i < count; i++)
                        {
                            var buffer = [|new byte[size]|];
                            stream.ReadExactly(buffer);
                            sum += Sum(buffer);
                        }
                        return sum;
                    }
                }

                static long Sum(ReadOnlySpan<byte> data) => data.Length == 0 ? 0 : data[0] + data.Length;
            }
            """,
        FixedCode = """
            using System;
            using System.Buffers;
            using System.IO;

            static class StreamExtensions
            {
                extension(Stream stream)
                {
                    public long Checksum(int size, int count)
                    {
                        long sum = 0;
                        for (int i = 0; i < count; i++)
                        {
                            var buffer = ArrayPool<byte>.Shared.Rent(checked((int)(uint)size));
                            try
                            {
                                stream.ReadExactly(buffer.AsSpan(0, size));
                                sum += Sum(buffer.AsSpan(0, size));
                            }
                            finally
                            {
                                ArrayPool<byte>.Shared.Return(buffer);
                            }
                        }
                        return sum;
                    }
                }

                static long Sum(ReadOnlySpan<byte> data) => data.Length == 0 ? 0 : data[0] + data.Length;
            }
            """,
    }.RunAsync();

    [Fact]
    public Task TheRulePageExample_IsWhatTheFixProduces() => new Test
    {
        TestCode = """
            using System.IO;
            using System.Security.Cryptography;

            record FileEntry(string Path, int Length);

            class C
            {
                void M(FileEntry[] files, HashAlgorithm hash)
                {
                    foreach (var file in files)
                    {
                        var buffer = [|new byte[file.Length]|];
                        using var stream = File.OpenRead(file.Path);
                        stream.ReadExactly(buffer);
                        hash.TransformBlock(buffer, 0, buffer.Length, null, 0);
                    }
                }
            }
            """,
        FixedCode = """
            using System;
            using System.Buffers;
            using System.IO;
            using System.Security.Cryptography;

            record FileEntry(string Path, int Length);

            class C
            {
                void M(FileEntry[] files, HashAlgorithm hash)
                {
                    foreach (var file in files)
                    {
                        int bufferLength = file.Length;
                        var buffer = ArrayPool<byte>.Shared.Rent(bufferLength);
                        try
                        {
                            Array.Clear(buffer, 0, bufferLength);
                            using var stream = File.OpenRead(file.Path);
                            stream.ReadExactly(buffer.AsSpan(0, bufferLength));
                            hash.TransformBlock(buffer, 0, bufferLength, null, 0);
                        }
                        finally
                        {
                            ArrayPool<byte>.Shared.Return(buffer);
                        }
                    }
                }
            }
            """,
    }.RunAsync();

    [Fact]
    public Task MethodsDeclaredNonRetaining_MoveToTheirBoundedOverload() => new Test
    {
        EditorConfig = """
            [*.cs]
            alloc_analyzers.non_retaining_methods = Lib.Hasher.Feed
            """,
        TestCode = """
            namespace Lib
            {
                public abstract class Hasher
                {
                    public abstract void Feed(byte[] data);
                    public abstract void Feed(byte[] data, int offset, int count);
                }

                class C
                {
                    void M(Hasher hasher, string[] names)
                    {
                        foreach (var name in names)
                        {
                            var buffer = [|new byte[name.Length]|];
                            hasher.Feed(buffer);
                        }
                    }
                }
            }
            """,
        FixedCode = """
            using System;
            using System.Buffers;

            namespace Lib
            {
                public abstract class Hasher
                {
                    public abstract void Feed(byte[] data);
                    public abstract void Feed(byte[] data, int offset, int count);
                }

                class C
                {
                    void M(Hasher hasher, string[] names)
                    {
                        foreach (var name in names)
                        {
                            int bufferLength = name.Length;
                            var buffer = ArrayPool<byte>.Shared.Rent(bufferLength);
                            try
                            {
                                Array.Clear(buffer, 0, bufferLength);
                                hasher.Feed(buffer, 0, bufferLength);
                            }
                            finally
                            {
                                ArrayPool<byte>.Shared.Return(buffer);
                            }
                        }
                    }
                }
            }
            """,
    }.RunAsync();

    // ---- not offered -------------------------------------------------------------------------------------------

    [Fact]
    public Task RentalNotOffered_OnNetStandard20WithoutSystemBuffers() => NoFix("""
        class C
        {
            void M(System.IO.Stream stream, string[] names)
            {
                foreach (var name in names)
                {
                    var buffer = [|new byte[name.Length]|];
                    stream.Read(buffer, 0, buffer.Length);
                }
            }
        }
        """, ReferenceSet.NetStandard20, PerIterationArrayFixer.RentEquivalenceKey);

    [Fact]
    public Task RentalNotOffered_OnNetFrameworkWithoutSystemBuffers() => NoFix("""
        class C
        {
            void M(System.IO.Stream stream, string[] names)
            {
                foreach (var name in names)
                {
                    var buffer = [|new byte[name.Length]|];
                    stream.Read(buffer, 0, buffer.Length);
                }
            }
        }
        """, ReferenceSet.Net472, PerIterationArrayFixer.RentEquivalenceKey);

    [Fact]
    public Task RentalNotOffered_InIterators() => NoFix("""
        using System.Collections.Generic;

        class C
        {
            IEnumerable<int> M(System.IO.Stream stream, string[] names)
            {
                foreach (var name in names)
                {
                    var buffer = [|new byte[name.Length]|];
                    yield return stream.Read(buffer, 0, buffer.Length);
                }
            }
        }
        """, key: PerIterationArrayFixer.RentEquivalenceKey);

    [Theory]
    [InlineData("Console.WriteLine(buffer[1]);")]
    [InlineData("Console.WriteLine(buffer[^1]);")]
    [InlineData("Console.WriteLine(BitConverter.ToInt32(buffer, 0));")]
    [InlineData("stream.Write(buffer, 0, name.Length + 1);")]
    [InlineData("Console.WriteLine(buffer.AsSpan(1).Length);")]
    [InlineData("Console.WriteLine(buffer.LongLength);")]
    [InlineData("Console.WriteLine(Sum(buffer));")]
    [InlineData("buffer.CopyTo(new byte[100], 0);")]
    [InlineData("buffer = new byte[2]; stream.Write(buffer, 0, 2);")]
    [InlineData("Console.WriteLine(Encoding.UTF8.GetBytes(name, 0, name.Length, buffer, 0));")]
    public Task NotOffered_WhenAUseDependsOnTheFullLengthOrBoundsCannotBeProven(string use) => NoFix($$"""
        using System;
        using System.IO;
        using System.Text;

        class C
        {
            void M(Stream stream, string[] names)
            {
                foreach (var name in names)
                {
                    var buffer = [|new byte[name.Length]|];
                    {{use}}
                }
            }

            static int Sum(byte[] data) { int s = 0; foreach (var b in data) s += b; return s; }
        }
        """);

    [Fact]
    public Task NotOffered_ForPinnedArrays() => NoFix("""
        using System;

        class C
        {
            void M(string[] names)
            {
                foreach (var name in names)
                {
                    var buffer = [|GC.AllocateArray<byte>(name.Length, pinned: true)|];
                    Console.WriteLine(buffer.Length);
                }
            }
        }
        """);

    [Fact]
    public Task NotOffered_ForEachOverTheArrayAcrossAnAwait_BeforeCSharp13() => new Test
    {
        LanguageVersion = LanguageVersion.CSharp12,
        TestCode = Awaiting,
        FixedCode = Awaiting,
    }.RunAsync();

    private const string Awaiting = """
        using System;
        using System.Threading.Tasks;

        class C
        {
            async Task M(string[] names)
            {
                foreach (var name in names)
                {
                    var buffer = [|new byte[name.Length]|];
                    foreach (var b in buffer) await Task.Delay(b);
                }
            }
        }
        """;

    [Fact]
    public Task NotOffered_WhenPassedStraightToTheCall() => NoFix("""
        class C
        {
            void M(System.IO.Stream stream, string[] names)
            {
                foreach (var name in names)
                {
                    stream.Write([|new byte[name.Length]|], 0, name.Length);
                }
            }
        }
        """);

    private static Task NoFix(string source, ReferenceSet references = ReferenceSet.Net80, string? key = null) => new Test
    {
        ReferenceSet = references,
        CodeActionEquivalenceKey = key,
        TestCode = source,
        FixedCode = source,
    }.RunAsync();
}
