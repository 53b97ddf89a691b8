// Benchmark case for ALLOC003. RecordDigest.Before.cs is the code as written; every other RecordDigest.*.cs file is
// exactly what one code fix makes of it (checked by BenchmarkCasesTests, which says how to regenerate them).
using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace AllocAnalyzers.Benchmarks.Before;

public static class RecordDigest
{
    /// <summary>
    /// Encodes each record as UTF-8 into a pooled buffer, then folds its base64 text (hashed with FNV-1a, as a stand-in
    /// for sending it) and its SHA-256 digest into a checksum.
    /// </summary>
    public static ulong Run(string[] records)
    {
        ulong checksum = 0;
        Span<byte> digest = stackalloc byte[32];
        foreach (var record in records)
        {
            var size = Encoding.UTF8.GetByteCount(record);
            var buffer = ArrayPool<byte>.Shared.Rent(size);
            try
            {
                Encoding.UTF8.GetBytes(record, buffer);
                var text = Convert.ToBase64String(buffer);
                SHA256.HashData(buffer, digest);
                checksum = checksum * 31 + Fnv1a(text) + BinaryPrimitives.ReadUInt64LittleEndian(digest);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        return checksum;
    }

    private static ulong Fnv1a(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }
}
