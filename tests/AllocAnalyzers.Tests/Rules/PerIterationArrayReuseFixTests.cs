using System.Threading.Tasks;
using AllocAnalyzers.CodeFixes.Rules;
using AllocAnalyzers.Tests.Harness;
using Test = AllocAnalyzers.Tests.Harness.CodeFixTest<AllocAnalyzers.Rules.PerIterationArrayAnalyzer, AllocAnalyzers.CodeFixes.Rules.PerIterationArrayFixer>;

namespace AllocAnalyzers.Tests.Rules;

/// <summary>ALLOC001's second fix, "Reuse one buffer across iterations".</summary>
public sealed class PerIterationArrayReuseFixTests
{
    [Fact]
    public Task HoistsOneBuffer_GrowsItToPowersOfTwo_AndBoundsUses() => new Test
    {
        CodeActionEquivalenceKey = PerIterationArrayFixer.ReuseEquivalenceKey,
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
                        stream.Write(buffer);
                    }
                }
            }
            """,
        FixedCode = """
            using System;
            using System.IO;
            using System.Numerics;

            class C
            {
                void M(Stream stream, string[] names)
                {
                    var buffer = Array.Empty<byte>();
                    foreach (var name in names)
                    {
                        var size = name.Length;
                        if (buffer.Length < size)
                        {
                            buffer = new byte[size <= 1 << 30 ? (int)BitOperations.RoundUpToPowerOf2((uint)size) : size];
                        }

                        Array.Clear(buffer, 0, size);
                        stream.Read(buffer, 0, size);
                        stream.Write(buffer.AsSpan(0, size));
                    }
                }
            }
            """,
    }.RunAsync();

    [Fact]
    public Task NetStandard20_GrowsByDoubling_AndNeedsNoPool() => new Test
    {
        ReferenceSet = ReferenceSet.NetStandard20,
        CodeActionEquivalenceKey = PerIterationArrayFixer.ReuseEquivalenceKey,
        TestCode = """
            class C
            {
                void M(System.IO.Stream stream, int[] sizes)
                {
                    for (int i = 0; i < sizes.Length; i++)
                    {
                        byte[] buffer = [|new byte[sizes[i]]|];
                        stream.Read(buffer, 0, buffer.Length);
                    }
                }
            }
            """,
        FixedCode = """
            using System;

            class C
            {
                void M(System.IO.Stream stream, int[] sizes)
                {
                    byte[] buffer = Array.Empty<byte>();
                    for (int i = 0; i < sizes.Length; i++)
                    {
                        int bufferLength = sizes[i];
                        if (buffer.Length < checked((int)(uint)bufferLength))
                        {
                            buffer = new byte[Math.Max(bufferLength, buffer.Length * 2)];
                        }

                        Array.Clear(buffer, 0, bufferLength);
                        stream.Read(buffer, 0, bufferLength);
                    }
                }
            }
            """,
    }.RunAsync();

    [Fact]
    public Task NestedLoops_HoistAboveTheOutermostLoop() => new Test
    {
        CodeActionEquivalenceKey = PerIterationArrayFixer.ReuseEquivalenceKey,
        TestCode = """
            using System;

            class C
            {
                void M(string[] names)
                {
                    foreach (var name in names)
                    {
                        for (int i = 0; i < name.Length; i++)
                        {
                            var chars = [|new char[name.Length - i]|];
                            for (int j = 0; j < chars.Length; j++) chars[j] = name[i + j];
                            Console.WriteLine(chars, 0, chars.Length);
                        }
                    }
                }
            }
            """,
        FixedCode = """
            using System;
            using System.Numerics;

            class C
            {
                void M(string[] names)
                {
                    var chars = Array.Empty<char>();
                    foreach (var name in names)
                    {
                        for (int i = 0; i < name.Length; i++)
                        {
                            int charsLength = name.Length - i;
                            if (chars.Length < checked((int)(uint)charsLength))
                            {
                                chars = new char[charsLength <= 1 << 30 ? (int)BitOperations.RoundUpToPowerOf2((uint)charsLength) : charsLength];
                            }

                            for (int j = 0; j < charsLength; j++) chars[j] = name[i + j];
                            Console.WriteLine(chars, 0, charsLength);
                        }
                    }
                }
            }
            """,
    }.RunAsync();

    [Fact]
    public Task IsOfferedInIterators_WhereRentingIsNot() => new Test
    {
        CodeActionEquivalenceKey = PerIterationArrayFixer.ReuseEquivalenceKey,
        TestCode = """
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
            """,
        FixedCode = """
            using System;
            using System.Collections.Generic;
            using System.Numerics;

            class C
            {
                IEnumerable<int> M(System.IO.Stream stream, string[] names)
                {
                    var buffer = Array.Empty<byte>();
                    foreach (var name in names)
                    {
                        int bufferLength = name.Length;
                        if (buffer.Length < bufferLength)
                        {
                            buffer = new byte[bufferLength <= 1 << 30 ? (int)BitOperations.RoundUpToPowerOf2((uint)bufferLength) : bufferLength];
                        }

                        Array.Clear(buffer, 0, bufferLength);
                        yield return stream.Read(buffer, 0, bufferLength);
                    }
                }
            }
            """,
    }.RunAsync();

    [Fact]
    public Task NotOffered_WhenHoistingWouldCollideWithALaterLocalOfTheSameName()
    {
        const string source = """
            class C
            {
                void M(System.IO.Stream stream, string[] names)
                {
                    foreach (var name in names)
                    {
                        var buffer = [|new byte[name.Length]|];
                        stream.Read(buffer, 0, buffer.Length);
                    }
                    foreach (var name in names)
                    {
                        var buffer = [|new byte[name.Length + 1]|];
                        stream.Write(buffer, 0, buffer.Length);
                    }
                }
            }
            """;
        return new Test
        {
            CodeActionEquivalenceKey = PerIterationArrayFixer.ReuseEquivalenceKey,
            TestCode = source,
            FixedCode = source,
        }.RunAsync();
    }

    [Fact]
    public Task NotOffered_WhenIndexZeroReliesOnAZeroSizeThrowing()
    {
        // new int[0][0] throws; a buffer kept from a larger iteration would return stale data instead.
        const string source = """
            class C
            {
                int M(int[] sizes)
                {
                    int total = 0;
                    foreach (var size in sizes)
                    {
                        var data = [|new int[size]|];
                        total += data[0];
                    }
                    return total;
                }
            }
            """;
        return new Test { CodeActionEquivalenceKey = PerIterationArrayFixer.ReuseEquivalenceKey, TestCode = source, FixedCode = source }.RunAsync();
    }

    [Fact]
    public Task ArraysOfArrays_GrowWithTheLengthInTheFirstRank() => new Test
    {
        CodeActionEquivalenceKey = PerIterationArrayFixer.ReuseEquivalenceKey,
        TestCode = """
            class C
            {
                int M(string[] names)
                {
                    int total = 0;
                    foreach (var name in names)
                    {
                        var rows = [|new int[name.Length][]|];
                        total += rows.Length;
                    }
                    return total;
                }
            }
            """,
        FixedCode = """
            using System;
            using System.Numerics;

            class C
            {
                int M(string[] names)
                {
                    int total = 0;
                    var rows = Array.Empty<int[]>();
                    foreach (var name in names)
                    {
                        int rowsLength = name.Length;
                        if (rows.Length < rowsLength)
                        {
                            rows = new int[rowsLength <= 1 << 30 ? (int)BitOperations.RoundUpToPowerOf2((uint)rowsLength) : rowsLength][];
                        }

                        Array.Clear(rows, 0, rowsLength);
                        total += rowsLength;
                    }
                    return total;
                }
            }
            """,
    }.RunAsync();

    [Fact]
    public Task FixAll_ReusesEveryBufferOfTheDocument() => new Test
    {
        CodeActionEquivalenceKey = PerIterationArrayFixer.ReuseEquivalenceKey,
        TestCode = """
            class C
            {
                void M(System.IO.Stream stream, string[] names)
                {
                    foreach (var name in names)
                    {
                        var a = [|new byte[name.Length]|];
                        var b = [|new byte[name.Length]|];
                        stream.ReadExactly(a);
                        stream.ReadExactly(b);
                    }
                }
            }
            """,
        FixedCode = """
            using System;
            using System.Numerics;

            class C
            {
                void M(System.IO.Stream stream, string[] names)
                {
                    var a = Array.Empty<byte>();
                    var b = Array.Empty<byte>();
                    foreach (var name in names)
                    {
                        int aLength = name.Length;
                        if (a.Length < aLength)
                        {
                            a = new byte[aLength <= 1 << 30 ? (int)BitOperations.RoundUpToPowerOf2((uint)aLength) : aLength];
                        }

                        Array.Clear(a, 0, aLength);
                        int bLength = name.Length;
                        if (b.Length < bLength)
                        {
                            b = new byte[bLength <= 1 << 30 ? (int)BitOperations.RoundUpToPowerOf2((uint)bLength) : bLength];
                        }

                        Array.Clear(b, 0, bLength);
                        stream.ReadExactly(a.AsSpan(0, aLength));
                        stream.ReadExactly(b.AsSpan(0, bLength));
                    }
                }
            }
            """,
    }.RunAsync();
}
