using System;
using System.Text;
using BenchmarkDotNet.Attributes;

namespace AllocAnalyzers.Benchmarks;

/// <summary>
/// ALLOC003 "Return the array in a finally block": a parser that rents a buffer per message and skips its <c>Return</c>
/// when the message fails validation and throws, against the fixed version that returns it in <c>finally</c>.
/// </summary>
// BenchmarkDotNet derives from benchmark classes, so they cannot be sealed.
[MemoryDiagnoser]
[Config(typeof(ExactBytesConfig))]
public class PayloadParseBenchmarks
{
    private byte[][] _messages = null!;

    [GlobalSetup]
    public void Setup()
    {
        _messages = Messages();
        Workloads.RequireSameResult(nameof(PayloadParseBenchmarks), Before(), (nameof(ReturnInFinally), ReturnInFinally()));
    }

    [Benchmark(Baseline = true)]
    public ulong Before() => Benchmarks.Before.PayloadParse.Run(_messages);

    [Benchmark]
    public ulong ReturnInFinally() => AfterReturnInFinally.PayloadParse.Run(_messages);

    /// <summary>
    /// 10,000 messages: base64 (UTF-8) of 63 to 2,047 random bytes and their check byte (the XOR of those bytes), so the
    /// parser rents arrays of 128 to 4,096 bytes (mostly 1,024 and 2,048); in 1,000 of them the check byte is wrong.
    /// </summary>
    private static byte[][] Messages()
    {
        var random = new Random(30_000);
        var messages = new byte[10_000][];
        for (var i = 0; i < messages.Length; i++)
        {
            var payload = new byte[random.Next(64, 2_049)];
            random.NextBytes(payload);
            byte check = 0;
            for (var j = 0; j < payload.Length - 1; j++)
            {
                check ^= payload[j];
            }

            payload[^1] = random.Next(10) == 0 ? (byte)~check : check;
            messages[i] = Encoding.ASCII.GetBytes(Convert.ToBase64String(payload));
        }

        return messages;
    }
}
