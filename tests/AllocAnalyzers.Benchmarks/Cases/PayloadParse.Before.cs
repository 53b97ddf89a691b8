// Benchmark case for ALLOC003. PayloadParse.Before.cs is the code as written; every other PayloadParse.*.cs file is
// exactly what one code fix makes of it (checked by BenchmarkCasesTests, which says how to regenerate them).
using System;
using System.Buffers;
using System.Buffers.Text;
using System.IO;
using System.Runtime.InteropServices;

namespace AllocAnalyzers.Benchmarks.Before;

public static class PayloadParse
{
    /// <summary>Decodes each message and adds its payload to the totals; a message that fails validation is counted and skipped.</summary>
    public static ulong Run(byte[][] messages)
    {
        var totals = new Totals();
        ulong rejected = 0;
        foreach (var message in messages)
        {
            try
            {
                Accept(message, totals);
            }
            catch (InvalidDataException)
            {
                rejected++;
            }
        }

        return totals.Checksum * 31 + rejected;
    }

    /// <summary>A message is base64 (UTF-8) of a payload followed by a check byte, the XOR of the payload's bytes.</summary>
    private static void Accept(byte[] message, Totals totals)
    {
        var decoded = ArrayPool<byte>.Shared.Rent(Base64.GetMaxDecodedFromUtf8Length(message.Length));
        if (Base64.DecodeFromUtf8(message, decoded, out _, out var length) != OperationStatus.Done || length < 2)
        {
            throw new InvalidDataException("The message is not the base64 of a payload and its check byte.");
        }

        if (CheckByte(decoded.AsSpan(0, length - 1)) != decoded[length - 1])
        {
            throw new InvalidDataException("The message's check byte does not match its payload.");
        }

        totals.Add(decoded.AsSpan(0, length - 1));
        ArrayPool<byte>.Shared.Return(decoded);
    }

    private static byte CheckByte(ReadOnlySpan<byte> payload)
    {
        var words = MemoryMarshal.Cast<byte, ulong>(payload);
        ulong wide = 0;
        foreach (var word in words)
        {
            wide ^= word;
        }

        var check = (byte)0;
        for (var shift = 0; shift < 64; shift += 8)
        {
            check ^= (byte)(wide >> shift);
        }

        for (var i = words.Length * sizeof(ulong); i < payload.Length; i++)
        {
            check ^= payload[i];
        }

        return check;
    }

    private sealed class Totals
    {
        public ulong Checksum { get; private set; }

        public void Add(ReadOnlySpan<byte> payload)
        {
            ulong sum = 0;
            foreach (var word in MemoryMarshal.Cast<byte, ulong>(payload))
            {
                sum += word;
            }

            Checksum = Checksum * 31 + sum + (ulong)payload.Length;
        }
    }
}
