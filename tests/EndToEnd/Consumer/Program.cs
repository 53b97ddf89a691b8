using System;
using System.IO;

namespace Consumer;

/// <summary>
/// Each loop below allocates a fresh array of varying size on every iteration (ALLOC001). The end-to-end test
/// rewrites them with the package's code fix and checks that the program prints the same lines afterwards.
/// The checksums read only the elements each iteration wrote, so a pooled array's leftover contents cannot
/// change them.
/// </summary>
internal static class Program
{
    private static int Main()
    {
        var data = CreateData(300_000);
        Console.WriteLine($"chunks: {ChecksumChunks(data)}");
        Console.WriteLine($"records: {ChecksumOddRecords(data)}");
        Console.WriteLine($"blocks: {ChecksumBlocks(data, new[] { 1000, 37, 4096, 0, 70_000, 513 })}");
        return 0;
    }

    /// <summary>Deterministic pseudo-random bytes (xorshift32).</summary>
    private static byte[] CreateData(int length)
    {
        var data = new byte[length];
        var state = 2463534242u;
        for (var i = 0; i < data.Length; i++)
        {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            data[i] = (byte)state;
        }

        return data;
    }

    /// <summary>Reads the stream in chunks whose size changes every iteration; the first empty read ends the loop.</summary>
    private static uint ChecksumChunks(byte[] data)
    {
        using var stream = new MemoryStream(data, writable: false);
        var checksum = 17u;
        var chunk = 0;
        while (true)
        {
            var size = 512 + chunk * 7919 % 8192;
            chunk++;
            var buffer = new byte[size];
            var read = stream.Read(buffer, 0, buffer.Length);
            if (read == 0)
            {
                break;
            }

            for (var i = 0; i < read; i++)
            {
                checksum = checksum * 31 + buffer[i];
            }
        }

        return checksum ^ (uint)chunk;
    }

    /// <summary>Reads length-prefixed records and sums only the odd-length ones; a truncated record ends the loop.</summary>
    private static uint ChecksumOddRecords(byte[] data)
    {
        using var stream = new MemoryStream(data, writable: false);
        var checksum = 0u;
        var records = 0;
        int prefix;
        while ((prefix = stream.ReadByte()) >= 0)
        {
            var length = prefix * 3 + 1;
            var record = new byte[length];
            var read = stream.Read(record, 0, record.Length);
            if (read < length)
            {
                break;
            }

            if (length % 2 == 0)
            {
                continue;
            }

            records++;
            for (var i = 0; i < length; i++)
            {
                checksum += (uint)(record[i] * (i + 1));
            }
        }

        return checksum + (uint)records;
    }

    /// <summary>Copies blocks of the given sizes out of the data and checksums them as integers.</summary>
    private static long ChecksumBlocks(byte[] data, int[] sizes)
    {
        var checksum = 0L;
        var offset = 0;
        foreach (var size in sizes)
        {
            if (size == 0)
            {
                continue;
            }

            var block = new int[size];
            for (var i = 0; i < size; i++)
            {
                block[i] = data[(offset + i) % data.Length] - 128;
            }

            offset += size;
            for (var i = 0; i < block.Length; i++)
            {
                checksum = checksum * 7 + block[i];
            }
        }

        return checksum;
    }
}
