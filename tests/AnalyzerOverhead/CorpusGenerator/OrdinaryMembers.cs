using System;
using System.Collections.Generic;

namespace AllocAnalyzers.AnalyzerOverhead;

/// <summary>
/// Members of the kinds an application's code is made of: loops, LINQ, collections, streams, async, generics,
/// formatting. None of them is an ALLOC diagnostic, but many are the near misses the rules must look at and let go:
/// arrays allocated before a loop, arrays that escape the iteration, rentals returned in a <c>finally</c>.
/// The fields they use (<c>_counts</c>, <c>_orders</c>, <c>_seen</c>, <c>_clock</c>, <c>_threshold</c>,
/// <c>_cache</c>) are declared by <see cref="CorpusWriter"/> in every class.
/// </summary>
internal static class OrdinaryMembers
{
    /// <summary>Every template with its weight: how many times it is drawn relative to the others.</summary>
    public static readonly IReadOnlyList<(Func<MemberContext, string> Write, int Weight)> All =
    [
        (LinqTopCustomers, 3),
        (CountWords, 3),
        (DistinctRemainders, 2),
        (CopyStreamWithBufferBeforeLoop, 3),
        (ChecksumPooledRead, 2),
        (CountLinesAsync, 2),
        (FormatMeasurements, 3),
        (GetOrAddGeneric, 2),
        (SplitIntoRows, 2),
        (BackoffForPriority, 2),
        (BuildOrderFilter, 2),
        (TryParseThreshold, 2),
        (MovingAverage, 2),
        (PairsIterator, 2),
        (CountKeysInParallel, 1),
        (TotalsBySku, 3),
        (FormatWithStackalloc, 2),
        (EncodeTexts, 2),
        (ValidateOrder, 3),
        (WeightedScoreWithTable, 2),
        (ReadLengthsAsync, 1),
        (PooledChunksInLoop, 1),
        (KeepSnapshots, 2),
        (Properties, 2),
        (CachedDescription, 2),
        (MergeSortedLists, 2),
        (HistogramWithArrayBeforeLoop, 2),
        (GroupMeasurementsBySensor, 2),
        (ResolveWithStaticLambda, 2),
        (HotLookupWithoutCapture, 2),
        (DailyCacheTrimmedAfterClear, 1),
        (CountDistinctPairs, 2),
        (AppendIdsWithoutBoxing, 2),
    ];

    private static string Doc(MemberContext context, string summary) =>
        context.Random.Chance(0.5) ? $"/// <summary>{summary}</summary>\n" : "";

    private static string LinqTopCustomers(MemberContext c) => Doc(c, "The customers with the largest totals above a floor.") + $$"""
        public IReadOnlyList<string> {{c.Name("Top")}}(IEnumerable<Order> orders, int count)
        {
            ArgumentNullException.ThrowIfNull(orders);
            return orders
                .Where(o => o.Total > {{c.Int(10, 5000)}}m && o.Lines.Count > 0)
                .GroupBy(o => o.Customer, StringComparer.OrdinalIgnoreCase)
                .Select(g => new { Customer = g.Key, Total = g.Sum(o => o.Total) })
                .OrderByDescending(x => x.Total)
                .ThenBy(x => x.Customer, StringComparer.Ordinal)
                .Take(count)
                .Select(x => string.Format(CultureInfo.InvariantCulture, "{0}: {1:N2}", x.Customer, x.Total))
                .ToList();
        }

        """;

    private static string CountWords(MemberContext c) => Doc(c, "Counts each word, case-insensitively, and returns how many were new.") + $$"""
        public int {{c.Name("Count")}}(IEnumerable<string> words)
        {
            var added = 0;
            foreach (var word in words)
            {
                if (string.IsNullOrWhiteSpace(word))
                {
                    continue;
                }

                var key = word.Trim().ToUpperInvariant();
                if (_counts.TryGetValue(key, out var current))
                {
                    _counts[key] = current + {{c.Int(1, 3)}};
                }
                else
                {
                    _counts.Add(key, 1);
                    added++;
                }
            }

            return added;
        }

        """;

    private static string DistinctRemainders(MemberContext c) => $$"""
        public List<int> {{c.Name("Distinct")}}(int[] values)
        {
            ArgumentNullException.ThrowIfNull(values);
            var result = new List<int>(values.Length);
            for (var i = 0; i < values.Length; i++)
            {
                var remainder = values[i] % {{c.Int(7, 997)}};
                if (_seen.Add(remainder))
                {
                    result.Add(remainder);
                }
            }

            result.Sort();
            return result;
        }

        """;

    private static string CopyStreamWithBufferBeforeLoop(MemberContext c) => Doc(c, "Copies a stream and returns the number of bytes copied.") + $$"""
        public static long {{c.Name("Copy")}}(Stream source, Stream destination, int bufferSize)
        {
            ArgumentNullException.ThrowIfNull(source);
            ArgumentNullException.ThrowIfNull(destination);
            var buffer = new byte[Math.Max(bufferSize, {{c.Pick(new[] { 512, 4096, 8192, 81920 })}})];
            long total = 0;
            int read;
            while ((read = source.Read(buffer, 0, buffer.Length)) > 0)
            {
                destination.Write(buffer, 0, read);
                total += read;
            }

            return total;
        }

        """;

    private static string ChecksumPooledRead(MemberContext c) => $$"""
        public static uint {{c.Name("Checksum")}}(Stream stream, int length)
        {
            ArgumentNullException.ThrowIfNull(stream);
            var buffer = ArrayPool<byte>.Shared.Rent(length);
            try
            {
                var filled = 0;
                while (filled < length)
                {
                    var read = stream.Read(buffer, filled, length - filled);
                    if (read == 0)
                    {
                        break;
                    }

                    filled += read;
                }

                return Checksums.Fnv1a(buffer.AsSpan(0, filled)) ^ {{c.Int(1, 100000)}}u;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        """;

    private static string CountLinesAsync(MemberContext c) => Doc(c, "Counts the line feeds of a stream.") + $$"""
        public async Task<int> {{c.Name("CountLinesIn", "Async")}}(Stream stream, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(stream);
            var buffer = new byte[{{c.Pick(new[] { 1024, 4096, 16384 })}}];
            var lines = 0;
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(0, buffer.Length), cancellationToken).ConfigureAwait(false)) > 0)
            {
                for (var i = 0; i < read; i++)
                {
                    if (buffer[i] == (byte)'\n')
                    {
                        lines++;
                    }
                }
            }

            return lines;
        }

        """;

    private static string FormatMeasurements(MemberContext c) => Doc(c, "One line per measurement above the floor.") + $$"""
        public string {{c.Name("Format")}}(IReadOnlyList<Measurement> measurements)
        {
            ArgumentNullException.ThrowIfNull(measurements);
            var builder = new StringBuilder();
            builder.Append("{{c.Noun()}} report, ").Append(_clock.UtcNow.ToString("u", CultureInfo.InvariantCulture)).AppendLine();
            foreach (var m in measurements)
            {
                if (m.Value < {{c.Int(0, 100)}}.5)
                {
                    continue;
                }

                builder.Append(CultureInfo.InvariantCulture, $"{m.Sensor,-12} {m.Value,10:F3} {m.At:O}").AppendLine();
            }

            return builder.ToString();
        }

        """;

    private static string GetOrAddGeneric(MemberContext c) => $$"""
        public static TValue {{c.Name("GetOrAdd")}}<TKey, TValue>(IDictionary<TKey, TValue> map, TKey key, Func<TKey, TValue> factory)
            where TKey : notnull
        {
            ArgumentNullException.ThrowIfNull(map);
            ArgumentNullException.ThrowIfNull(factory);
            if (!map.TryGetValue(key, out var value))
            {
                value = factory(key);
                map[key] = value;
            }

            return value;
        }

        """;

    // Near miss for ALLOC001: a new array per iteration, but each one is kept in the result.
    private static string SplitIntoRows(MemberContext c) => $$"""
        public static List<double[]> {{c.Name("Split")}}(IReadOnlyList<Measurement> measurements, int width)
        {
            ArgumentNullException.ThrowIfNull(measurements);
            var rows = new List<double[]>();
            for (var start = 0; start < measurements.Count; start += width)
            {
                var row = new double[Math.Min(width, measurements.Count - start)];
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = measurements[start + i].Value * {{c.Int(1, 10)}};
                }

                rows.Add(row);
            }

            return rows;
        }

        """;

    private static string BackoffForPriority(MemberContext c) => $$"""
        public static TimeSpan {{c.Name("Backoff")}}(Priority priority, int attempt) => priority switch
        {
            Priority.Critical => TimeSpan.FromMilliseconds({{c.Int(1, 20)}} * attempt),
            Priority.High => TimeSpan.FromMilliseconds({{c.Int(20, 100)}} * attempt),
            Priority.Normal => TimeSpan.FromMilliseconds({{c.Int(100, 500)}} * attempt * attempt),
            Priority.Low => TimeSpan.FromSeconds(Math.Min({{c.Int(30, 300)}}, attempt * attempt)),
            _ => throw new ArgumentOutOfRangeException(nameof(priority), priority, null),
        };

        """;

    private static string BuildOrderFilter(MemberContext c) => $$"""
        public Func<Order, bool> {{c.Name("Filter")}}(decimal minimum, ISet<string> customers)
        {
            var since = _clock.UtcNow.AddDays(-{{c.Int(1, 90)}});
            return order => order.Total >= minimum && order.Created >= since && customers.Contains(order.Customer);
        }

        """;

    private static string TryParseThreshold(MemberContext c) => Doc(c, "Parses a count and says whether it reaches the threshold.") + $$"""
        public bool {{c.Name("TryParse")}}(string? text, out int value)
        {
            value = 0;
            if (string.IsNullOrEmpty(text))
            {
                return false;
            }

            try
            {
                value = int.Parse(text.AsSpan().Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture);
                return value >= _threshold + {{c.Int(0, 50)}};
            }
            catch (FormatException)
            {
                return false;
            }
            catch (OverflowException)
            {
                value = int.MaxValue;
                return true;
            }
        }

        """;

    private static string MovingAverage(MemberContext c) => $$"""
        public static double {{c.Name("Average")}}(double[] values, int window)
        {
            ArgumentNullException.ThrowIfNull(values);
            if (window <= 0 || values.Length < window)
            {
                return 0;
            }

            var sum = 0.0;
            for (var i = 0; i < window; i++)
            {
                sum += values[i];
            }

            var best = sum;
            for (var i = window; i < values.Length; i++)
            {
                sum += values[i] - values[i - window];
                best = Math.Max(best, sum);
            }

            return best / window * {{c.Int(1, 4)}}.0;
        }

        """;

    // Near miss for ALLOC002: a constant-size array per iteration, but it is yielded.
    private static string PairsIterator(MemberContext c) => $$"""
        public static IEnumerable<int[]> {{c.Name("Pairs")}}(IEnumerable<int> source)
        {
            ArgumentNullException.ThrowIfNull(source);
            foreach (var value in source)
            {
                yield return new[] { value, value * 2, value % {{c.Int(3, 50)}} };
            }
        }

        """;

    private static string CountKeysInParallel(MemberContext c) => $$"""
        public static int {{c.Name("CountParallel")}}(IReadOnlyList<string> keys)
        {
            ArgumentNullException.ThrowIfNull(keys);
            var map = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
            Parallel.For(0, keys.Count, i => map.AddOrUpdate(keys[i], 1, (_, count) => count + 1));
            var total = 0;
            foreach (var pair in map)
            {
                if (pair.Value > {{c.Int(1, 5)}})
                {
                    Interlocked.Add(ref total, pair.Value);
                }
            }

            return total;
        }

        """;

    private static string TotalsBySku(MemberContext c) => Doc(c, "Sums quantity times price per SKU over the stored orders.") + $$"""
        public Dictionary<string, decimal> {{c.Name("Totals")}}()
        {
            var totals = new Dictionary<string, decimal>(StringComparer.Ordinal);
            foreach (var order in _orders)
            {
                if (order.Created < _clock.UtcNow.AddDays(-{{c.Int(7, 365)}}))
                {
                    continue;
                }

                foreach (var line in order.Lines)
                {
                    totals.TryGetValue(line.Sku, out var sum);
                    totals[line.Sku] = sum + line.Quantity * line.Price;
                }
            }

            return totals
                .Where(pair => pair.Value > 0)
                .ToDictionary(pair => pair.Key, pair => decimal.Round(pair.Value, 2), StringComparer.Ordinal);
        }

        """;

    private static string FormatWithStackalloc(MemberContext c) => $$"""
        public static string {{c.Name("Pad")}}(int value)
        {
            Span<char> digits = stackalloc char[16];
            if (value.TryFormat(digits, out var written, "D{{c.Int(4, 10)}}", CultureInfo.InvariantCulture))
            {
                return new string(digits[..written]);
            }

            return value.ToString(CultureInfo.InvariantCulture);
        }

        """;

    private static string EncodeTexts(MemberContext c) => $$"""
        public static byte[] {{c.Name("Encode")}}(IEnumerable<string> texts)
        {
            ArgumentNullException.ThrowIfNull(texts);
            using var output = new MemoryStream();
            foreach (var text in texts)
            {
                var bytes = Encoding.UTF8.GetBytes(text);
                output.Write(BitConverter.GetBytes(bytes.Length + {{c.Int(0, 4)}}));
                output.Write(bytes);
            }

            return output.ToArray();
        }

        """;

    private static string ValidateOrder(MemberContext c) => Doc(c, "Throws when the order cannot be accepted.") + $$"""
        public void {{c.Name("Validate")}}(Order order)
        {
            ArgumentNullException.ThrowIfNull(order);
            if (order.Lines.Count == 0)
            {
                throw new InvalidOperationException($"Order {order.Id} of {order.Customer} has no lines.");
            }

            if (order.Lines.Any(line => line.Quantity <= 0 || line.Price < 0))
            {
                throw new InvalidOperationException($"Order {order.Id} has a line with a bad quantity or price.");
            }

            if (order.Total > {{c.Int(1000, 100000)}}m && !_seen.Contains(order.Id))
            {
                throw new InvalidOperationException($"Order {order.Id} needs approval above {order.Total:N2}.");
            }

            _orders.Add(order);
        }

        """;

    private static string WeightedScoreWithTable(MemberContext c)
    {
        var weights = c.Name("Weights");
        var field = "s_" + char.ToLowerInvariant(weights[0]) + weights[1..];
        return $$"""
            private static readonly int[] {{field}} = { {{c.Int(1, 9)}}, {{c.Int(1, 9)}}, {{c.Int(1, 9)}}, {{c.Int(1, 9)}}, {{c.Int(1, 9)}}, {{c.Int(1, 9)}}, {{c.Int(1, 9)}} };

            public static int {{c.Name("Score")}}(ReadOnlySpan<byte> data)
            {
                var score = 0;
                for (var i = 0; i < data.Length; i++)
                {
                    score += data[i] * {{field}}[i % {{field}}.Length];
                }

                return score;
            }

            """;
    }

    private static string ReadLengthsAsync(MemberContext c) => $$"""
        public static async Task<IReadOnlyList<int>> {{c.Name("ReadLengths", "Async")}}(IEnumerable<string> paths, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(paths);
            var tasks = paths.Select(async path =>
            {
                var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
                return text.Length + {{c.Int(0, 3)}};
            });
            return await Task.WhenAll(tasks).ConfigureAwait(false);
        }

        """;

    // The rental is per iteration and returned in a finally: what ALLOC001's first fix writes.
    private static string PooledChunksInLoop(MemberContext c) => $$"""
        public static long {{c.Name("SumPooled")}}(Stream stream, IReadOnlyList<Chunk> chunks)
        {
            ArgumentNullException.ThrowIfNull(stream);
            ArgumentNullException.ThrowIfNull(chunks);
            long sum = 0;
            foreach (var chunk in chunks)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(chunk.Length);
                try
                {
                    stream.ReadExactly(buffer, 0, chunk.Length);
                    for (var i = 0; i < chunk.Length; i++)
                    {
                        sum += buffer[i] ^ {{c.Int(1, 255)}};
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }

            return sum;
        }

        """;

    // Near miss for ALLOC001: the per-iteration copy is stored in a collection.
    private static string KeepSnapshots(MemberContext c) => $$"""
        public static Dictionary<int, int[]> {{c.Name("Snapshot")}}(IReadOnlyList<int[]> frames)
        {
            ArgumentNullException.ThrowIfNull(frames);
            var snapshots = new Dictionary<int, int[]>();
            for (var f = 0; f < frames.Count; f++)
            {
                var copy = new int[frames[f].Length];
                Array.Copy(frames[f], copy, copy.Length);
                if (copy.Length > {{c.Int(0, 16)}})
                {
                    snapshots[f] = copy;
                }
            }

            return snapshots;
        }

        """;

    private static string Properties(MemberContext c) => $$"""
        public int {{c.Name("Max")}} { get; set; } = {{c.Int(1, 1000)}};

        public string {{c.Name("Label")}} => string.Create(CultureInfo.InvariantCulture, $"{{c.ClassName}}[{_orders.Count}/{_seen.Count}]");

        public bool {{c.Name("Has")}} => _orders.Count > {{c.Int(0, 10)}} && _counts.Count > 0;

        """;

    private static string CachedDescription(MemberContext c) => $$"""
        public string {{c.Name("Describe")}}(Order order)
        {
            ArgumentNullException.ThrowIfNull(order);
            return _cache.GetOrAdd(
                order.Customer,
                customer => string.Join(
                    ", ",
                    _orders.Where(o => o.Customer == customer).Select(o => o.Id.ToString(CultureInfo.InvariantCulture)).Take({{c.Int(3, 20)}})));
        }

        """;

    private static string MergeSortedLists(MemberContext c) => $$"""
        public static List<T> {{c.Name("Merge")}}<T>(IReadOnlyList<T> left, IReadOnlyList<T> right, IComparer<T> comparer)
        {
            ArgumentNullException.ThrowIfNull(left);
            ArgumentNullException.ThrowIfNull(right);
            ArgumentNullException.ThrowIfNull(comparer);
            var merged = new List<T>(left.Count + right.Count);
            int i = 0, j = 0;
            while (i < left.Count && j < right.Count)
            {
                merged.Add(comparer.Compare(left[i], right[j]) <= 0 ? left[i++] : right[j++]);
            }

            while (i < left.Count)
            {
                merged.Add(left[i++]);
            }

            while (j < right.Count)
            {
                merged.Add(right[j++]);
            }

            return merged;
        }

        """;

    // Near miss for ALLOC002: the constant-size array is allocated once, before the loop.
    private static string HistogramWithArrayBeforeLoop(MemberContext c) => $$"""
        public static int[] {{c.Name("Histogram")}}(IEnumerable<int> values)
        {
            ArgumentNullException.ThrowIfNull(values);
            var buckets = new int[{{c.Pick(new[] { 8, 10, 16, 32 })}}];
            foreach (var value in values)
            {
                buckets[(value & int.MaxValue) % buckets.Length]++;
            }

            return buckets;
        }

        """;

    private static string GroupMeasurementsBySensor(MemberContext c) => $$"""
        public static IReadOnlyDictionary<string, (double Min, double Max, int Count)> {{c.Name("Summarize")}}(IEnumerable<Measurement> measurements)
        {
            ArgumentNullException.ThrowIfNull(measurements);
            return measurements
                .Where(m => !double.IsNaN(m.Value))
                .GroupBy(m => m.Sensor, StringComparer.Ordinal)
                .ToDictionary(
                    g => g.Key,
                    g => (g.Min(m => m.Value), g.Max(m => m.Value) * {{c.Int(1, 3)}}, g.Count()),
                    StringComparer.Ordinal);
        }

        """;
    // Near miss for ALLOC020: a static lambda that gets its state through GetOrAdd's state argument.
    private static string ResolveWithStaticLambda(MemberContext c) => $$"""
        public static int {{c.Name("ResolveStatic")}}(IReadOnlyList<string> keys, ConcurrentDictionary<string, string> cache, string prefix)
        {
            ArgumentNullException.ThrowIfNull(keys);
            ArgumentNullException.ThrowIfNull(cache);
            var total = 0;
            foreach (var key in keys)
            {
                total += cache.GetOrAdd(key, static (k, p) => p + k, prefix).Length;
            }

            return total + {{c.Int(0, 9)}};
        }

        """;

    // Near misses for ALLOC020, ALLOC021 and ALLOC030 in code marked hot: no capture, and value types formatted
    // through the interpolated string handler and a span-based overload.
    private static string HotLookupWithoutCapture(MemberContext c) => $$"""
        [HotPath]
        public static string {{c.Name("HotLookup")}}(ConcurrentDictionary<string, string> cache, string key, int attempt, bool miss)
        {
            ArgumentNullException.ThrowIfNull(cache);
            if (miss)
            {
                return cache.GetOrAdd(key, static k => k.ToUpperInvariant());
            }

            return string.Create(CultureInfo.InvariantCulture, $"{key}#{attempt}/{{c.Int(2, 9)}}");
        }

        """;

    // Near miss for ALLOC010: a field dictionary cleared and trimmed, and a concurrent one, whose Clear() shrinks.
    private static string DailyCacheTrimmedAfterClear(MemberContext c)
    {
        var field = "_" + c.Name("daily", "Totals");
        var concurrent = "_" + c.Name("live", "Totals");
        return $$"""
            private readonly Dictionary<int, decimal> {{field}} = new();
            private readonly ConcurrentDictionary<int, decimal> {{concurrent}} = new();

            public void {{c.Name("Record")}}(int id, decimal amount)
            {
                {{field}}[id] = amount;
                {{concurrent}}[id] = amount;
            }

            public void {{c.Name("Close")}}()
            {
                {{field}}.Clear();
                {{field}}.TrimExcess();
                {{concurrent}}.Clear();
            }

            """;
    }

    // Near miss for ALLOC031: a tuple key, which implements IEquatable<T>.
    private static string CountDistinctPairs(MemberContext c) => $$"""
        public static int {{c.Name("CountPairs")}}(IReadOnlyList<Measurement> measurements)
        {
            ArgumentNullException.ThrowIfNull(measurements);
            var pairs = new HashSet<(int Hour, int Bucket)>();
            foreach (var m in measurements)
            {
                pairs.Add((m.At.Hour, (int)(m.Value / {{c.Int(2, 20)}})));
            }

            return pairs.Count;
        }

        """;

    // Near miss for ALLOC030: StringBuilder.Append(int) and List<int>.Add take the value as it is.
    private static string AppendIdsWithoutBoxing(MemberContext c) => $$"""
        public static string {{c.Name("JoinIds")}}(IReadOnlyList<Order> orders, List<int> ids)
        {
            ArgumentNullException.ThrowIfNull(orders);
            ArgumentNullException.ThrowIfNull(ids);
            var text = new StringBuilder();
            foreach (var order in orders)
            {
                ids.Add(order.Id);
                text.Append(order.Id).Append('{{c.Pick(new[] { ",", ";", "|" })}}');
            }

            return text.ToString();
        }

        """;
}
