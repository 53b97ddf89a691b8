// Benchmark case for ALLOC002. Utf8Scratch.Before.cs is the code as written; every other Utf8Scratch.*.cs file is
// exactly what one code fix makes of it (checked by BenchmarkCasesTests, which says how to regenerate them).
using System;
using System.Buffers.Text;

namespace AllocAnalyzers.Benchmarks.AfterStackalloc;

public static class Utf8Scratch
{
    /// <summary>Formats each value as UTF-8 decimal text into a 16-byte scratch buffer and hashes the text (FNV-1a).</summary>
    public static ulong Run(int[] values)
    {
        var hash = 14695981039346656037UL;
        Span<byte> scratch = stackalloc byte[16];
        foreach (var value in values)
        {
            scratch.Clear();
            Utf8Formatter.TryFormat(value, scratch, out var written);
            for (var i = 0; i < written; i++)
            {
                hash = (hash ^ scratch[i]) * 1099511628211UL;
            }
        }

        return hash;
    }
}
