using System;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;

namespace AllocAnalyzers.Benchmarks;

/// <summary>
/// ALLOC003 "Use the requested length": base64 text and SHA-256 digests of pooled UTF-8 buffers taken over the whole
/// rented array, against the fixed version that takes them over the requested bytes. The fix changes the result on
/// purpose, so the fixed version is checked against the same computation over exactly each record's bytes.
/// </summary>
// BenchmarkDotNet derives from benchmark classes, so they cannot be sealed.
[MemoryDiagnoser]
[Config(typeof(ExactBytesConfig))]
public class RecordDigestBenchmarks
{
    private string[] _records = null!;

    [GlobalSetup]
    public void Setup()
    {
        _records = Records();
        var intended = OfRequestedBytes(_records);
        if (UseRequestedLength() != intended || Before() == intended)
        {
            throw new InvalidOperationException(
                $"{nameof(RecordDigestBenchmarks)}: over exactly the requested bytes the checksum is {intended}; the '{nameof(UseRequestedLength)}' " +
                $"version returns {UseRequestedLength()} (it must be equal), the original {Before()} (it must differ).");
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    [Benchmark(Baseline = true)]
    public ulong Before() => Benchmarks.Before.RecordDigest.Run(_records);

    [Benchmark]
    public ulong UseRequestedLength() => AfterUseRequestedLength.RecordDigest.Run(_records);

    /// <summary>10,000 records of 16 to 1,024 characters, about one character in 36 not ASCII, so the pool hands out arrays of 16 to 2,048 bytes.</summary>
    private static string[] Records()
    {
        const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ,.;:=-_abcdefghijklmnopqrstuvwxyz0123456789\u00e9\u00fc\u20ac";
        var random = new Random(40_000);
        var records = new string[10_000];
        var chars = new char[1_024];
        for (var i = 0; i < records.Length; i++)
        {
            var length = random.Next(16, 1_025);
            for (var j = 0; j < length; j++)
            {
                chars[j] = Alphabet[random.Next(Alphabet.Length)];
            }

            records[i] = new string(chars, 0, length);
        }

        return records;
    }

    /// <summary>What the fixed code is meant to compute: the same checksum over exactly each record's UTF-8 bytes, with no pool.</summary>
    private static ulong OfRequestedBytes(string[] records)
    {
        ulong checksum = 0;
        Span<byte> digest = stackalloc byte[32];
        foreach (var record in records)
        {
            var bytes = Encoding.UTF8.GetBytes(record);
            var text = Convert.ToBase64String(bytes);
            SHA256.HashData(bytes, digest);
            var hash = 14695981039346656037UL;
            foreach (var c in text)
            {
                hash = (hash ^ c) * 1099511628211UL;
            }

            checksum = checksum * 31 + hash + BinaryPrimitives.ReadUInt64LittleEndian(digest);
        }

        return checksum;
    }
}
