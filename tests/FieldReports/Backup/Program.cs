using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading.Tasks;
using FieldReports;

namespace FieldReports.Backup;

/// <summary>
/// The backup process of the field report: four workers read "files" of random sizes between 1 byte and 16 MiB, each
/// into a <c>new byte[size]</c> buffer, and hash every byte. Every buffer of 85,000 bytes or more is allocated on the
/// large object heap, which only a gen2 collection cleans up; the process grew to 20 GB where 2 GB did. The files are
/// slices of one block of seeded random bytes, read through a stream, so the run needs no disk and the same seed
/// reads the same bytes.
/// </summary>
internal static class Program
{
    private const int Workers = 4;
    private const int MaxFileSize = 16 * 1024 * 1024;

    private static int Main(string[] args)
    {
        var filesPerWorker = 60;
        string? samplesPath = null;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--size":
                    filesPerWorker = args[i + 1] == "full" ? 400 : 60;
                    break;
                case "--samples":
                    samplesPath = args[i + 1];
                    break;
                default:
                    Console.Error.WriteLine("usage: Backup [--size small|full] [--samples FILE.csv]");
                    return 2;
            }
        }

        var disk = CreateDisk(MaxFileSize + 1024 * 1024, seed: 20_000);
        var monitor = new MemoryMonitor();
        var workers = new Task<ulong>[Workers];
        for (var worker = 0; worker < Workers; worker++)
        {
            var seed = 1_000 + worker;
            workers[worker] = Task.Run(() => BackUpFiles(disk, filesPerWorker, seed));
        }

        Task.WaitAll(workers);
        ulong checksum = 0;
        foreach (var worker in workers)
        {
            checksum = checksum * 31 + worker.Result;
        }

        monitor.Report(Console.Out, $"{Workers * filesPerWorker} files, checksum {checksum:x16}", samplesPath);
        return 0;
    }

    /// <summary>Reads <paramref name="files"/> files of random sizes and hashes each one, as one backup worker.</summary>
    private static ulong BackUpFiles(byte[] disk, int files, int seed)
    {
        var random = new Random(seed);
        using var input = new MemoryStream(disk, writable: false);
        ulong checksum = 0;
        for (var file = 0; file < files; file++)
        {
            var size = random.Next(1, MaxFileSize + 1);
            input.Position = random.Next(0, disk.Length - size);

            var buffer = new byte[size];
            input.ReadExactly(buffer);
            checksum = checksum * 31 + Hash(buffer);
        }

        return checksum;
    }

    /// <summary>
    /// A checksum of every byte, read eight at a time as a backup tool's block checksum would be, so that memory
    /// traffic rather than arithmetic sets the pace.
    /// </summary>
    private static ulong Hash(ReadOnlySpan<byte> data)
    {
        var words = MemoryMarshal.Cast<byte, ulong>(data);
        ulong sum = 0, mixed = 0;
        foreach (var word in words)
        {
            sum += word;
            mixed = (mixed ^ word) * 31;
        }

        for (var i = words.Length * sizeof(ulong); i < data.Length; i++)
        {
            sum += data[i];
        }

        return sum ^ mixed ^ (ulong)data.Length;
    }

    /// <summary>Seeded random bytes (xorshift64) standing in for the disk being backed up.</summary>
    private static byte[] CreateDisk(int length, ulong seed)
    {
        var disk = new byte[length];
        var state = seed;
        for (var i = 0; i < disk.Length; i++)
        {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            disk[i] = (byte)state;
        }

        return disk;
    }
}
