using System;
using System.Collections.Generic;

namespace AllocAnalyzers.AnalyzerOverhead;

/// <summary>
/// One member (or a field with the members that use it) per rule, which the rules must report exactly as listed,
/// written the way such code is found in the wild. The corpus manifest counts them so measure.sh can check that the
/// analyzers ran and saw what they should.
/// </summary>
internal static class Violations
{
    /// <summary>
    /// Each violation with the rules that report it, once each. Written in this order, in turn, so that every rule is
    /// seeded about as often as the others.
    /// </summary>
    public static readonly IReadOnlyList<(string[] RuleIds, Func<MemberContext, string> Write)> All =
    [
        (["ALLOC001"], BufferPerChunk),
        (["ALLOC010"], CacheClearedAtEndOfDay),
        (["ALLOC020"], PrefixedLookupPerKey),
        (["ALLOC002"], DigitCountsPerValue),
        (["ALLOC011"], SessionsRemovedOneByOne),
        (["ALLOC030"], FormatIdsWithStringFormat),
        (["ALLOC003"], RentalReturnedOutsideFinally),
        (["ALLOC022"], ScaleFunctionPerValue),
        (["ALLOC031"], StructKeyWithoutEquality),
        (["ALLOC020", "ALLOC021"], LookupOnMissInHotPath),
    ];

    // ALLOC001: a buffer of the chunk's size on every iteration, read into and summed.
    private static string BufferPerChunk(MemberContext c) => $$"""
        public static long {{c.Name("Sum")}}(Stream stream, IReadOnlyList<Chunk> chunks)
        {
            ArgumentNullException.ThrowIfNull(stream);
            ArgumentNullException.ThrowIfNull(chunks);
            long sum = 0;
            foreach (var chunk in chunks)
            {
                var buffer = new byte[chunk.Length];
                stream.ReadExactly(buffer);
                for (var i = 0; i < buffer.Length; i++)
                {
                    sum += buffer[i] * {{c.Int(1, 7)}};
                }
            }

            return sum;
        }

        """;

    // ALLOC002: a ten-slot digit histogram per value.
    private static string DigitCountsPerValue(MemberContext c) => $$"""
        public static int[] {{c.Name("CommonDigits")}}(IReadOnlyList<int> values)
        {
            ArgumentNullException.ThrowIfNull(values);
            var result = new int[values.Count];
            for (var v = 0; v < values.Count; v++)
            {
                var counts = new int[10];
                var n = values[v] & int.MaxValue;
                do
                {
                    counts[n % 10]++;
                    n /= 10;
                }
                while (n > 0);

                var best = 0;
                for (var d = 1; d < counts.Length; d++)
                {
                    if (counts[d] > counts[best])
                    {
                        best = d;
                    }
                }

                result[v] = best + {{c.Int(0, 2)}};
            }

            return result;
        }

        """;

    // ALLOC003 (Info, raised to a warning by Overhead.globalconfig): a throwing call between Rent and Return, no finally.
    private static string RentalReturnedOutsideFinally(MemberContext c) => $$"""
        public static uint {{c.Name("Hash")}}(Stream stream, int size)
        {
            ArgumentNullException.ThrowIfNull(stream);
            var buffer = ArrayPool<byte>.Shared.Rent(size);
            stream.ReadExactly(buffer, 0, size);
            var hash = Checksums.Fnv1a(buffer.AsSpan(0, size)) + {{c.Int(1, 1000)}}u;
            ArrayPool<byte>.Shared.Return(buffer);
            return hash;
        }

        """;

    // ALLOC010: a field dictionary filled all day and cleared at its end, keeping the buckets of the busiest day.
    private static string CacheClearedAtEndOfDay(MemberContext c)
    {
        var field = "_" + c.Name("recent", "Names");
        return $$"""
            private readonly Dictionary<int, string> {{field}} = new();

            public void {{c.Name("Remember")}}(int id, string name) => {{field}}[id] = name;

            public bool {{c.Name("TryRecall")}}(int id, out string? name) => {{field}}.TryGetValue(id, out name);

            public void {{c.Name("EndDay")}}() => {{field}}.Clear();

            """;
    }

    // ALLOC011 (Info, raised to a warning by Overhead.globalconfig): entries removed one by one, never trimmed.
    private static string SessionsRemovedOneByOne(MemberContext c)
    {
        var field = "_" + c.Name("open", "Sessions");
        return $$"""
            private readonly Dictionary<string, DateTime> {{field}} = new(StringComparer.Ordinal);

            public void {{c.Name("Open")}}(string id) => {{field}}[id] = _clock.UtcNow;

            public bool {{c.Name("Close")}}(string id) => {{field}}.Remove(id);

            """;
    }

    // ALLOC020: a lambda capturing a variable of the loop body, so a closure and a delegate per key.
    private static string PrefixedLookupPerKey(MemberContext c) => $$"""
        public static int {{c.Name("Resolve")}}(IReadOnlyList<string> keys, ConcurrentDictionary<string, string> cache, string prefix)
        {
            ArgumentNullException.ThrowIfNull(keys);
            ArgumentNullException.ThrowIfNull(cache);
            var total = 0;
            foreach (var key in keys)
            {
                var scoped = prefix + key.Trim();
                total += cache.GetOrAdd(key, k => scoped + k).Length + {{c.Int(0, 5)}};
            }

            return total;
        }

        """;

    // ALLOC022: a delegate local that is only invoked, created once per value.
    private static string ScaleFunctionPerValue(MemberContext c) => $$"""
        public static long {{c.Name("Scale")}}(IReadOnlyList<int> values, int offset)
        {
            ArgumentNullException.ThrowIfNull(values);
            long total = 0;
            foreach (var value in values)
            {
                Func<int, long> scale = x => (long)x * value + offset;
                total += scale({{c.Int(2, 9)}}) + scale({{c.Int(10, 99)}});
            }

            return total;
        }

        """;

    // ALLOC030: string.Format boxes the int id on every order.
    private static string FormatIdsWithStringFormat(MemberContext c) => $$"""
        public static List<string> {{c.Name("Describe")}}(IReadOnlyList<Order> orders)
        {
            ArgumentNullException.ThrowIfNull(orders);
            var lines = new List<string>(orders.Count);
            foreach (var order in orders)
            {
                lines.Add(string.Format(CultureInfo.InvariantCulture, "{0} #{1}", order.Customer, order.Id));
            }

            return lines;
        }

        """;

    // ALLOC031: a struct key without IEquatable<T>: every Add boxes it for ValueType.Equals and GetHashCode.
    private static string StructKeyWithoutEquality(MemberContext c)
    {
        var key = c.Name("Cell", "Key");
        return $$"""
            private struct {{key}}
            {
                public int X;
                public int Y;
            }

            public static int {{c.Name("CountCells")}}(IReadOnlyList<Measurement> measurements)
            {
                ArgumentNullException.ThrowIfNull(measurements);
                var cells = new HashSet<{{key}}>();
                foreach (var m in measurements)
                {
                    cells.Add(new {{key}} { X = (int)(m.Value * {{c.Int(2, 50)}}), Y = m.At.Hour });
                }

                return cells.Count;
            }

            """;
    }

    // ALLOC021 (Info, raised to a warning): in a method marked hot, the closure for 'prefix' is allocated on every
    // call although only the miss branch uses it; ALLOC020 reports the lambda itself (a closure and a delegate per call).
    private static string LookupOnMissInHotPath(MemberContext c) => $$"""
        [HotPath]
        public static string {{c.Name("Lookup")}}(ConcurrentDictionary<string, string> cache, string key, string prefix, bool miss)
        {
            ArgumentNullException.ThrowIfNull(cache);
            if (miss && key.Length > {{c.Int(0, 4)}})
            {
                return cache.GetOrAdd(key, k => prefix + k);
            }

            return key;
        }

        """;
}
