// Benchmark case for ALLOC001. ChunkChecksum.Before.cs is the code as written; every other ChunkChecksum.*.cs file is
// exactly what one code fix makes of it (checked by BenchmarkCasesTests, which says how to regenerate them).
using System;
using System.Buffers;
using System.IO;
using System.Numerics;
using System.Runtime.InteropServices;

namespace AllocAnalyzers.Benchmarks.AfterRent;

public static class ChunkChecksum
{
    /// <summary>Reads chunks of the given sizes one after another (from the start again when the input runs out) and checksums each one.</summary>
    public static ulong Run(Stream input, int[] chunkSizes)
    {
        ulong checksum = 0;
        foreach (var size in chunkSizes)
        {
            if (input.Length - input.Position < size)
            {
                input.Position = 0;
            }

            var chunk = ArrayPool<byte>.Shared.Rent(checked((int)(uint)size));
            try
            {
                input.ReadExactly(chunk.AsSpan(0, size));
                checksum = checksum * 31 + Sum(chunk.AsSpan(0, size)) + (ulong)size;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }
        }

        return checksum;
    }

    private static ulong Sum(ReadOnlySpan<byte> data)
    {
        var words = MemoryMarshal.Cast<byte, ulong>(data);
        var vectors = MemoryMarshal.Cast<ulong, Vector<ulong>>(words);
        var total = Vector<ulong>.Zero;
        foreach (var vector in vectors)
        {
            total += vector;
        }

        var sum = Vector.Sum(total);
        for (var i = vectors.Length * Vector<ulong>.Count; i < words.Length; i++)
        {
            sum += words[i];
        }

        for (var i = words.Length * sizeof(ulong); i < data.Length; i++)
        {
            sum += data[i];
        }

        return sum;
    }
}
