using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace AllocAnalyzers.Tests.Reliability;

/// <summary>
/// Valid files built from the syntax an analyzer author forgets: top-level statements, file-scoped namespaces, primary
/// constructors, collection expressions, ref structs, unsafe code, <c>dynamic</c>, <c>checked</c>, nested local
/// functions and lambdas, async streams, patterns and <c>#if</c>. Each has loops that allocate arrays, so the rules and
/// their fixes really run on it.
/// </summary>
internal static class UnusualSyntaxCorpus
{
    public sealed record Source(string Name, string Text, OutputKind OutputKind, ImmutableArray<string> PreprocessorSymbols);

    public static IReadOnlyList<Source> All { get; } = new[]
    {
        new Source("top-level statements", """
            using System;
            using System.Buffers;

            int total = 0;
            foreach (var size in args.Length > 0 ? new[] { 3, 4 } : new[] { 5, 6, 7 })
            {
                var buffer = new byte[size];
                buffer[0] = 1;
                foreach (var b in buffer) total += b;
                var digits = new int[10];
                digits[size % 10]++;
                total += digits[3];
            }

            for (int i = 0; i < 3; i++)
            {
                var rented = ArrayPool<char>.Shared.Rent(i + 1);
                rented[0] = 'x';
                total += rented[0];
                ArrayPool<char>.Shared.Return(rented);
            }

            Console.WriteLine(Local(total));

            static int Local(int n)
            {
                int sum = 0;
                while (n-- > 0)
                {
                    var scratch = new long[n % 5 + 1];
                    sum += scratch.Length;
                }
                return sum;
            }
            """, OutputKind.ConsoleApplication, ImmutableArray<string>.Empty),

        new Source("file-scoped namespace, primary constructors, collection expressions, records", """
            namespace Fuzz.Modern;

            using System;
            using System.Collections.Generic;
            using System.Linq;

            public record struct Point(int X, int Y);

            public sealed class Histogram(int buckets, IEnumerable<int> values)
            {
                private readonly int[] _seed = [1, 2, 3];

                public int[] Counts()
                {
                    int[] result = new int[buckets];
                    foreach (var value in values)
                    {
                        int[] local = [value, value + 1, .. _seed];
                        Span<int> span = [value, 2, 3];
                        var scratch = new int[buckets];
                        scratch[value % buckets]++;
                        result[value % buckets] += scratch[value % buckets] + local.Length + span[0];
                        List<int> list = [.. local];
                        result[0] += list.Count;
                    }

                    return result;
                }

                public int Points()
                {
                    var total = 0;
                    for (var i = 0; i < buckets; i++)
                    {
                        Point[] points = [new(i, i), new(0, i)];
                        var copy = new Point[i];
                        total += points.Length + copy.Length + points.Sum(p => p.X);
                    }

                    return total;
                }
            }
            """, OutputKind.DynamicallyLinkedLibrary, ImmutableArray<string>.Empty),

        new Source("ref structs, scoped, ref locals, spans, stackalloc", """
            using System;

            public ref struct Cursor
            {
                private Span<byte> _span;
                public Cursor(Span<byte> span) => _span = span;
                public ref byte First => ref _span[0];
            }

            public static class Spans
            {
                public static int Run(scoped ReadOnlySpan<int> sizes)
                {
                    int total = 0;
                    Span<byte> reused = stackalloc byte[32];
                    foreach (ref readonly int size in sizes)
                    {
                        var array = new byte[size + 1];
                        var cursor = new Cursor(array);
                        cursor.First = 7;
                        ref byte last = ref array[array.Length - 1];
                        last = 3;
                        Span<byte> view = array;
                        total += view[0] + reused[0] + array.AsSpan(0, 1)[0];
                        var small = new byte[16];
                        small.AsSpan().Fill(1);
                        total += small[15];
                    }

                    return total;
                }
            }
            """, OutputKind.DynamicallyLinkedLibrary, ImmutableArray<string>.Empty),

        new Source("unsafe, fixed, pointers, function pointers, checked", """
            using System;

            public unsafe struct Packet
            {
                public fixed byte Header[8];
            }

            public static unsafe class Native
            {
                public static int Sum(int n, delegate*<int, int> twice)
                {
                    int total = 0;
                    for (int i = 0; i < n; i++)
                    {
                        var buffer = new byte[n + i];
                        fixed (byte* p = buffer)
                        {
                            if (buffer.Length > 0) p[0] = (byte)i;
                        }

                        var kept = new int[n];
                        fixed (int* q = &kept[0]) { *q = twice(i); }
                        byte* scratch = stackalloc byte[4];
                        scratch[0] = 1;
                        Packet packet;
                        packet.Header[0] = scratch[0];
                        total += checked(kept[0] + buffer.Length + packet.Header[0]);
                        var values = new int[3];
                        values[1] = unchecked((int)uint.MaxValue);
                        total = checked(total + values[2]);
                    }

                    return total;
                }
            }
            """, OutputKind.DynamicallyLinkedLibrary, ImmutableArray<string>.Empty),

        new Source("dynamic, tuples, deconstruction, switch expressions, patterns", """
            using System;

            public static class Shapes
            {
                public static int Run(object[] items, dynamic bag)
                {
                    int total = 0;
                    foreach (var item in items)
                    {
                        var size = item switch
                        {
                            int i when i > 0 => i,
                            string { Length: > 2 and < 10 } s => s.Length,
                            int[] and [var first, .., var last] => first + last,
                            (int a, int b) => a + b,
                            null => 0,
                            _ => 1,
                        };
                        var buffer = new byte[size];
                        dynamic d = buffer;
                        total += d.Length;
                        bag.Add(size);
                        var (x, y) = (new int[size], new int[4]);
                        total += x.Length + y[0];
                        if (item is not (int or string)) continue;
                        var counts = new int[5];
                        counts[size % 5] = total switch { < 0 => -1, 0 => 0, _ => 1 };
                        total += counts is [_, _, ..] ? counts[0] : 0;
                        var dynamicSize = new byte[bag.Count];
                        total += dynamicSize.Length;
                    }

                    return total;
                }
            }
            """, OutputKind.DynamicallyLinkedLibrary, ImmutableArray<string>.Empty),

        new Source("local functions in lambdas in local functions, static lambdas, attributes", """
            using System;
            using System.Collections.Generic;

            [AttributeUsage(AttributeTargets.All)]
            sealed class HotPathAttribute : Attribute { }

            public static class Nest
            {
                public static int Run(int n)
                {
                    return Outer(n);

                    int Outer(int m)
                    {
                        Func<int, int> lambda = [HotPath] (x) =>
                        {
                            int Inner(int y)
                            {
                                int total = 0;
                                for (int i = 0; i < y; i++)
                                {
                                    var a = new byte[y + i];
                                    Func<int, int> deeper = static z =>
                                    {
                                        int sum = 0;
                                        foreach (var w in new[] { z, z + 1 })
                                        {
                                            var b = new int[w];
                                            sum += b.Length;
                                        }
                                        return sum;
                                    };
                                    total += a.Length + deeper(i);
                                }
                                return total;
                            }
                            return Inner(x);
                        };
                        return lambda(m) + Hot(m);
                    }

                    [HotPath]
                    static int Hot(int k)
                    {
                        var perCall = new byte[k];
                        var fixedPerCall = new int[8];
                        return perCall.Length + fixedPerCall[0];
                    }
                }
            }
            """, OutputKind.DynamicallyLinkedLibrary, ImmutableArray<string>.Empty),

        new Source("async streams, await foreach, await using, ValueTask, iterators", """
            using System;
            using System.Buffers;
            using System.Collections.Generic;
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;

            public static class Streams
            {
                public static async IAsyncEnumerable<int> Sizes([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken token = default)
                {
                    for (int i = 1; i < 4; i++)
                    {
                        await Task.Yield();
                        var chunk = new byte[i];
                        yield return chunk.Length;
                    }
                }

                public static async ValueTask<int> Consume(Stream stream)
                {
                    int total = 0;
                    await using var copy = new MemoryStream();
                    await foreach (var size in Sizes())
                    {
                        var buffer = new byte[size];
                        int read = await stream.ReadAsync(buffer, 0, buffer.Length);
                        await copy.WriteAsync(buffer.AsMemory(0, read));
                        var rented = ArrayPool<byte>.Shared.Rent(size);
                        await stream.ReadAsync(rented, 0, size);
                        total += rented[0];
                        ArrayPool<byte>.Shared.Return(rented);
                    }

                    return total;
                }

                public static IEnumerable<byte[]> Chunks(int n)
                {
                    for (int i = 0; i < n; i++)
                    {
                        var temp = new byte[i];
                        var kept = new byte[4];
                        yield return kept;
                        _ = temp.Length;
                    }
                }
            }
            """, OutputKind.DynamicallyLinkedLibrary, ImmutableArray<string>.Empty),

        new Source("#if regions, defined", IfRegions, OutputKind.DynamicallyLinkedLibrary, ImmutableArray.Create("FAST", "DEBUG")),
        new Source("#if regions, undefined", IfRegions, OutputKind.DynamicallyLinkedLibrary, ImmutableArray<string>.Empty),

        new Source("goto, labels, lock, using, try/catch/finally, exception filters, query expressions, generics", """
            using System;
            using System.Buffers;
            using System.IO;
            using System.Linq;

            public static class Flow<T> where T : struct
            {
                private static readonly object Gate = new();

                public static int Run(int n, T seed)
                {
                    int total = 0;
                    int i = 0;
                again:
                    lock (Gate)
                    {
                        var items = new T[n + i];
                        items[0] = seed;
                        using (var stream = new MemoryStream())
                        {
                            var bytes = new byte[i + 1];
                            stream.Write(bytes, 0, bytes.Length);
                            total += (int)stream.Length;
                        }

                        try
                        {
                            var rented = ArrayPool<T>.Shared.Rent(n);
                            rented[0] = seed;
                            if (i == 2) throw new InvalidOperationException();
                            ArrayPool<T>.Shared.Return(rented);
                        }
                        catch (InvalidOperationException e) when (e.Message.Length > 0)
                        {
                            total++;
                        }
                        finally
                        {
                            var cleanup = new int[i];
                            total += cleanup.Length;
                        }

                        var query = from x in new[] { 1, 2, i } where x > 1 select new int[x];
                        total += query.Sum(a => a.Length) + items.Length;
                    }

                    if (++i < 4) goto again;
                    return total;
                }
            }
            """, OutputKind.DynamicallyLinkedLibrary, ImmutableArray<string>.Empty),

        new Source("properties, indexers, operators, events, field keyword, init, required, static abstract members", """
            using System;
            using System.Numerics;

            public interface IHasZero<TSelf> where TSelf : IHasZero<TSelf>
            {
                static abstract TSelf Zero { get; }
            }

            public sealed class Store
            {
                public event Action<int>? Changed;
                public required int Size { get; init; }
                public int Cached { get => field; set => field = value; }

                public int this[int index]
                {
                    get
                    {
                        int total = 0;
                        for (int i = 0; i < index; i++)
                        {
                            var scratch = new int[index];
                            total += scratch.Length;
                        }
                        return total;
                    }
                }

                public static Store operator +(Store a, Store b)
                {
                    for (int i = 0; i < a.Size; i++)
                    {
                        var temp = new byte[b.Size];
                        a.Changed?.Invoke(temp.Length);
                    }
                    return a;
                }

                public static T Sum<T>(T[] values) where T : INumber<T>
                {
                    T total = T.Zero;
                    foreach (var value in values)
                    {
                        var copy = new T[values.Length];
                        copy[0] = value;
                        total += copy[0];
                    }
                    return total;
                }
            }
            """, OutputKind.DynamicallyLinkedLibrary, ImmutableArray<string>.Empty),
        new Source("C# 14: extension blocks, null-conditional assignment, implicit span conversions, modifiers on untyped lambda parameters, compound assignment operators, partial constructors and events, nameof of an unbound generic", """
            using System;
            using System.Collections.Generic;
            using System.IO;

            public delegate bool Parser<T>(string text, out T value);

            public static class BufferExtensions
            {
                extension(Stream stream)
                {
                    public long Checksum(int size, int count)
                    {
                        long sum = 0;
                        for (int i = 0; i < count; i++)
                        {
                            var buffer = new byte[size];
                            stream.ReadExactly(buffer);
                            sum += Sum(buffer);
                            Func<int, int> scaled = x => x * size;
                            sum += scaled(i);
                            object boxed = i;
                            sum += boxed.GetHashCode();
                        }
                        return sum;
                    }

                    public bool IsEmpty => stream.Length == 0;
                }

                extension<T>(List<T> list)
                {
                    public static List<T> Filled(T value, int count)
                    {
                        var result = new List<T>();
                        for (int i = 0; i < count; i++)
                        {
                            var copy = new T[count];
                            copy[0] = value;
                            result.Add(copy[0]);
                        }
                        return result;
                    }
                }

                private static long Sum(ReadOnlySpan<byte> data)
                {
                    long total = 0;
                    foreach (var b in data)
                    {
                        total += b;
                    }
                    return total;
                }
            }

            public sealed class Node
            {
                public Node? Next;
                public int Value;
            }

            public struct Counter
            {
                public int Count;
                public void operator +=(int amount) => Count += amount;
                public void operator ++() => Count++;
            }

            public partial class Session
            {
                public partial Session(int size);
                public partial event Action<int>? Tick;
            }

            public partial class Session
            {
                private readonly Dictionary<int, string> _names = new();
                private Action<int>? _tick;

                public partial Session(int size)
                {
                    for (int i = 0; i < size; i++)
                    {
                        var scratch = new char[size];
                        _names[i] = new string(scratch);
                    }
                }

                public partial event Action<int>? Tick { add => _tick += value; remove => _tick -= value; }

                public void Reset() => _names.Clear();

                public int Run(Node? head, string[] texts, int rounds)
                {
                    Parser<int> parse = (text, out value) => int.TryParse(text, out value);
                    var counter = new Counter();
                    for (int r = 0; r < rounds; r++)
                    {
                        head?.Value = r;
                        head?.Next?.Value = r + 1;
                        foreach (var text in texts)
                        {
                            if (parse(text, out var parsed))
                            {
                                counter += parsed;
                                counter++;
                            }
                            var bytes = new byte[text.Length];
                            ReadOnlySpan<byte> view = bytes;
                            counter += view.Length;
                            _tick?.Invoke(counter.Count);
                        }
                    }
                    return counter.Count + nameof(List<>).Length;
                }
            }
            """, OutputKind.DynamicallyLinkedLibrary, ImmutableArray<string>.Empty),
    };

    private const string IfRegions = """
        using System;
        using System.Buffers;

        namespace Fuzz.Regions
        {
        #nullable disable
            public static class Conditional
            {
                public static int Run(int n)
                {
                    int total = 0;
                    for (int i = 0; i < n; i++)
                    {
        #if FAST
                        var buffer = ArrayPool<byte>.Shared.Rent(n);
                        buffer[0] = 1;
        #else
                        var buffer = new byte[n];
        #endif
                        total += buffer[0];
        #if DEBUG && !FAST
                        var debugOnly = new int[n + i];
                        total += debugOnly.Length;
        #elif FAST
                        ArrayPool<byte>.Shared.Return(buffer);
        #endif
        #region scratch
                        var scratch = new int[4];
                        scratch[i % 4] = i;
                        total += scratch[0];
        #endregion
        #pragma warning disable ALLOC001
                        var quiet = new byte[n];
        #pragma warning restore ALLOC001
                        total += quiet.Length;
                    }
        #if NEVER
                    for (;;) { var x = new byte[
        #endif
                    return total;
                }
            }
        }
        """;
}
