using System.Threading.Tasks;
using AllocAnalyzers.CodeFixes.Rules;
using AllocAnalyzers.Tests.Harness;
using Test = AllocAnalyzers.Tests.Harness.CodeFixTest<AllocAnalyzers.Rules.PerIterationArrayAnalyzer, AllocAnalyzers.CodeFixes.Rules.PerIterationArrayFixer>;

namespace AllocAnalyzers.Tests.Rules;

/// <summary>
/// Both ALLOC001 fixes keep behaviour: each program is compiled and run before and after applying every offered fix,
/// and must return the same text (or throw the same exception type). The programs are built around the ways a
/// pooled array differs from a fresh one: it is longer, it is not zeroed, and it must go back exactly once.
/// </summary>
public sealed class PerIterationArrayBehaviourTests
{
    [Theory]
    [InlineData("StaleContents", """
        // Iteration 1 dirties the array; later iterations write one element and read them all.
        var sb = new StringBuilder();
        foreach (var size in new[] { 64, 64, 32, 64 })
        {
            var buffer = new byte[size];
            if (size == 64 && sb.Length == 0) Array.Fill(buffer, (byte)0xFF);
            buffer[0] = 1;
            int sum = 0;
            foreach (var b in buffer) sum += b;
            sb.Append(sum).Append(' ').Append(buffer.Length).Append(';');
        }
        return sb.ToString();
        """)]
    [InlineData("LengthDependentLoops", """
        var sb = new StringBuilder();
        for (int round = 1; round < 6; round++)
        {
            var squares = new long[round * 3];
            for (int i = 0; i < squares.Length; i++) squares[i] = (long)i * i;
            long total = 0;
            for (int i = 0; i < squares.Length; i++) total += squares[i];
            sb.Append(total).Append(',').Append(squares.Length).Append(';');
        }
        return sb.ToString();
        """)]
    [InlineData("BreakContinueReturn", """
        var source = new MemoryStream(Enumerable.Range(0, 200).Select(i => (byte)i).ToArray());
        var sb = new StringBuilder();
        foreach (var size in new[] { 5, 0, 7, 1, 50, 90, 9 })
        {
            var chunk = new byte[size];
            int read = source.Read(chunk, 0, chunk.Length);
            if (read == 0) continue;
            if (chunk[0] > 150) break;
            sb.Append(Convert.ToBase64String(chunk)).Append('|').Append(read).Append(';');
            if (read == 1) return sb.Append("early").ToString();
        }
        return sb.ToString();
        """)]
    [InlineData("ExceptionInsideTheIteration", """
        var sb = new StringBuilder();
        try
        {
            for (int size = 1; size < 10; size++)
            {
                var buffer = new int[size];
                for (int i = 0; i < buffer.Length; i++) buffer[i] = 100 / (5 - size);
                sb.Append(buffer[0]).Append(';');
            }
        }
        catch (DivideByZeroException)
        {
            sb.Append("caught");
        }
        // The pool still works after the exception: the array went back exactly once.
        for (int size = 1; size < 4; size++)
        {
            var again = new int[size];
            sb.Append(again[0]).Append(again.Length);
        }
        return sb.ToString();
        """)]
    [InlineData("NegativeSizeThrowsOverflow", """
        int total = 0;
        foreach (var size in new[] { 3, 2, -1 })
        {
            var buffer = new byte[size];
            total += buffer.Length;
        }
        return total.ToString();
        """)]
    [InlineData("WholeArrayApisAndViews", """
        var sb = new StringBuilder();
        foreach (var word in new[] { "alpha", "be", "gamma-ray", "d" })
        {
            var bytes = new byte[word.Length];
            for (int i = 0; i < bytes.Length; i++) bytes[i] = (byte)word[i];
            sb.Append(Encoding.ASCII.GetString(bytes)).Append(':');
            Array.Reverse(bytes);
            sb.Append(Convert.ToBase64String(bytes)).Append(':');
            sb.Append(Array.IndexOf(bytes, (byte)'a')).Append(':');
            sb.Append(bytes.AsSpan().IndexOf((byte)'m')).Append(':');
            using var stream = new MemoryStream(bytes);
            sb.Append(stream.Length).Append(';');
        }
        return sb.ToString();
        """)]
    [InlineData("AsyncReadsAwaitedInTheIteration", """
        return Body().GetAwaiter().GetResult();

        static async Task<string> Body()
        {
            var input = new MemoryStream(Enumerable.Range(0, 100).Select(i => (byte)(i * 7)).ToArray());
            var output = new MemoryStream();
            foreach (var size in new[] { 10, 3, 40, 25, 60 })
            {
                var buffer = new byte[size];
                int read = await input.ReadAsync(buffer, 0, buffer.Length);
                await output.WriteAsync(buffer.AsMemory(0, read));
                await Task.Yield();
            }
            return Convert.ToBase64String(output.ToArray());
        }
        """)]
    [InlineData("NestedLoopsWithReferenceElements", """
        var sb = new StringBuilder();
        foreach (var n in new[] { 3, 1, 4 })
        {
            var names = new string[n];
            for (int i = 0; i < names.Length; i++)
            {
                var chars = new char[i + 1];
                for (int j = 0; j < chars.Length; j++) chars[j] = (char)('a' + j);
                names[i] = new string(chars);
            }
            sb.Append(string.Join(",", names)).Append(';');
        }
        return sb.ToString();
        """)]
    public async Task FixedProgram_BehavesExactlyLikeTheOriginal(string name, string body)
    {
        var source = $$"""
            using System;
            using System.IO;
            using System.Linq;
            using System.Text;
            using System.Threading.Tasks;

            public static class Program
            {
                public static string Run()
                {
            {{body}}
                }
            }
            """;

        var before = ProgramRunner.Run(source);
        foreach (var (key, marker) in new[] { (PerIterationArrayFixer.RentEquivalenceKey, "ArrayPool<"), (PerIterationArrayFixer.ReuseEquivalenceKey, "Array.Empty<") })
        {
            var fixedSource = await new Test { TestCode = source, CodeActionEquivalenceKey = key }.ApplyFixesAsync();

            var applied = fixedSource.Contains(marker, System.StringComparison.Ordinal);

            // The rental applies to every program; the reuse fix stands back where an index 0 relies on a zero size
            // giving an empty array (ArrayPool.Rent(0) does, a kept buffer does not).
            Assert.True(applied || key == PerIterationArrayFixer.ReuseEquivalenceKey && source.Contains("[0]", System.StringComparison.Ordinal),
                $"{name}: {key} was not applied.{System.Environment.NewLine}{fixedSource}");
            Assert.Equal(before, ProgramRunner.Run(fixedSource));
        }
    }

    [Fact]
    public void StaleContentsProgram_WouldDifferWithoutTheClear()
    {
        // Guards the test above: a rental without the clear really does read stale bytes, so the comparison can fail.
        const string unsafeRewrite = """
            using System;
            using System.Buffers;
            using System.Text;

            public static class Program
            {
                public static string Run()
                {
                    var sb = new StringBuilder();
                    foreach (var size in new[] { 64, 64 })
                    {
                        var buffer = ArrayPool<byte>.Shared.Rent(size);
                        try
                        {
                            if (sb.Length == 0) Array.Fill(buffer, (byte)0xFF, 0, size);
                            buffer[0] = 1;
                            int sum = 0;
                            foreach (var b in buffer.AsSpan(0, size)) sum += b;
                            sb.Append(sum).Append(';');
                        }
                        finally
                        {
                            ArrayPool<byte>.Shared.Return(buffer);
                        }
                    }
                    return sb.ToString();
                }
            }
            """;

        // The original program prints 16066;1; a rental that skipped the clear sees the first iteration's 0xFF bytes again.
        Assert.Equal("returned: 16066;16066;", ProgramRunner.Run(unsafeRewrite));
    }
}
