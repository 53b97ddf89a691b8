using System;
using System.Threading.Tasks;
using AllocAnalyzers.CodeFixes.Rules;
using AllocAnalyzers.Tests.Harness;
using Test = AllocAnalyzers.Tests.Harness.CodeFixTest<AllocAnalyzers.Rules.ArrayPoolMisuseAnalyzer, AllocAnalyzers.CodeFixes.Rules.ArrayPoolMisuseFixer>;

namespace AllocAnalyzers.Tests.Rules;

/// <summary>
/// "Return the array in a finally block" keeps what the program does: each program runs before and after the fix and
/// prints the same; its pool counts what is rented and returned, and after the fix every array goes back exactly once,
/// whether the iteration ends normally, by <c>break</c>, <c>continue</c>, <c>return</c> or an exception.
/// </summary>
public sealed class ArrayPoolMisuseBehaviourTests
{
    [Theory]
    [InlineData("BreakAndContinue", """
        for (int i = 0; i < 6; i++)
        {
            var buffer = Pool.Rent(4);
            buffer[0] = (byte)i;
            if (i == 1) continue;
            if (i == 4) break;
            sb.Append(buffer[0]).Append(';');
            Pool.Return(buffer);
        }
        """)]
    [InlineData("EarlyReturn", """
        for (int i = 0; i < 5; i++)
        {
            var buffer = Pool.Rent(4);
            buffer[0] = (byte)(i * 3);
            if (buffer[0] > 6) return;
            sb.Append(buffer[0]).Append(',');
            Pool.Return(buffer);
        }
        """)]
    [InlineData("Exception", """
        foreach (var divisor in new[] { 2, 1, 0, 5 })
        {
            var buffer = Pool.Rent(4);
            buffer[0] = (byte)(10 / divisor);
            sb.Append(buffer[0]).Append(',');
            Pool.Return(buffer);
        }
        """)]
    [InlineData("NeverReturnedAndNested", """
        var outer = Pool.Rent(8);
        outer[0] = 7;
        for (int i = 0; i < 3; i++)
        {
            var inner = Pool.Rent(2);
            inner[0] = (byte)(outer[0] + i);
            sb.Append(inner[0]).Append(' ');
            if (i == 1) break;
        }

        using (var stream = new MemoryStream())
        {
            stream.Write(outer, 0, 1);
            sb.Append(stream.Length);
        }
        """)]
    public async Task FixedProgram_PrintsTheSame_AndReturnsEveryArrayOnce(string name, string body)
    {
        var source = $$"""
            using System;
            using System.Buffers;
            using System.Collections.Generic;
            using System.IO;
            using System.Text;

            public sealed class CountingPool : ArrayPool<byte>
            {
                private readonly HashSet<byte[]> _rented = new(ReferenceEqualityComparer.Instance);

                public int ReturnedTwice { get; private set; }

                public int Outstanding => _rented.Count;

                public override byte[] Rent(int minimumLength)
                {
                    var array = new byte[minimumLength + 7];
                    _rented.Add(array);
                    return array;
                }

                public override void Return(byte[] array, bool clearArray = false)
                {
                    if (!_rented.Remove(array)) ReturnedTwice++;
                }
            }

            public static class Program
            {
                private static readonly CountingPool Pool = new();

                public static string Run()
                {
                    var sb = new StringBuilder();
                    try
                    {
                        Body(sb);
                    }
                    catch (Exception e)
                    {
                        sb.Append("caught ").Append(e.GetType().Name);
                    }

                    return sb + "|pool outstanding=" + Pool.Outstanding + " twice=" + Pool.ReturnedTwice;
                }

                private static void Body(StringBuilder sb)
                {
            {{body}}
                }
            }
            """;

        var before = ProgramRunner.Run(source);
        var fixedSource = await new Test { TestCode = source, CodeActionEquivalenceKey = ArrayPoolMisuseFixer.ReturnInFinallyEquivalenceKey }.ApplyFixesAsync();
        var after = ProgramRunner.Run(fixedSource);

        Assert.True(fixedSource.Contains("finally", StringComparison.Ordinal), $"{name}: the fix was not applied.{Environment.NewLine}{fixedSource}");
        Assert.Equal(Output(before), Output(after));
        Assert.False(before.EndsWith("|pool outstanding=0 twice=0", StringComparison.Ordinal), $"{name}: the original program should leak an array: {before}");
        Assert.EndsWith("|pool outstanding=0 twice=0", after, StringComparison.Ordinal);
    }

    /// <summary>What the program printed, without the pool's counts.</summary>
    private static string Output(string run) => run.Substring(0, run.LastIndexOf('|'));
}
