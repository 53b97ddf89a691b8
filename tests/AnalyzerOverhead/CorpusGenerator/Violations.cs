using System;
using System.Collections.Generic;

namespace AllocAnalyzers.AnalyzerOverhead;

/// <summary>
/// One member per rule that the rule must report exactly once, written the way such code is found in the wild.
/// The corpus manifest counts them so measure.sh can check that the analyzers ran and saw what they should.
/// </summary>
internal static class Violations
{
    public static readonly IReadOnlyList<(string RuleId, Func<MemberContext, string> Write)> All =
    [
        ("ALLOC001", BufferPerChunk),
        ("ALLOC002", DigitCountsPerValue),
        ("ALLOC003", RentalReturnedOutsideFinally),
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
}
