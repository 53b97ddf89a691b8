using System.Threading.Tasks;
using AllocAnalyzers.CodeFixes.Rules;
using AllocAnalyzers.Rules;
using AllocAnalyzers.Tests.Harness;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace AllocAnalyzers.Tests.Rules;

/// <summary>
/// The closure fixes keep what programs do: each program is run before and after the fix (compiled from the fixed text,
/// under de-DE) and must return the same text. The reliability tests run every fix kind over these programs too.
/// </summary>
public sealed class ClosureFixBehaviourTests
{
    /// <summary>A factory over a variable declared in the loop: the first value stored for a key wins, before and after.</summary>
    private const string PassStateProgram = """
        using System.Collections.Concurrent;
        using System.Text;

        public static class Program
        {
            public static string Run()
            {
                var cache = new ConcurrentDictionary<int, string>();
                var sb = new StringBuilder();
                foreach (var n in new[] { 3, 1, 3, 2, 1, 4 })
                {
                    var prefix = "k" + n;
                    sb.Append(cache.GetOrAdd(n % 2, k => prefix + ":" + k)).Append(';');
                }

                return sb.ToString() + cache.Count;
            }
        }
        """;

    private const string HoistProgram = """
        using System.Collections.Generic;
        using System.Linq;

        public static class Program
        {
            public static string Run()
            {
                var readings = new List<int> { 5, 12, 7, 30, 2 };
                var threshold = 6;
                var total = 0;
                for (var i = 0; i < 4; i++)
                {
                    total += readings.Count(r => r > threshold) * (i + 1);
                    readings.Add(i * 5);
                }

                return total.ToString() + "/" + readings.Count;
            }
        }
        """;

    /// <summary>The closure over the parameter is allocated on every call, though only the branch uses it.</summary>
    private const string MoveToLocalFunctionProgram = """
        using System;
        using System.Linq;
        using System.Text;

        [AttributeUsage(AttributeTargets.All)]
        public sealed class HotPathAttribute : Attribute
        {
        }

        public static class Program
        {
            public static string Run()
            {
                var sb = new StringBuilder();
                foreach (var v in new[] { 1, 5, 9, 2, 4 })
                {
                    sb.Append(Classify(v, new[] { 3, 4, 8 })).Append(';');
                }

                return sb.ToString();
            }

            [HotPath]
            private static int Classify(int value, int[] limits)
            {
                if (value > 4)
                {
                    return limits.Count(l => l < value);
                }

                return -value;
            }
        }
        """;

    private const string LocalFunctionProgram = """
        using System;

        public static class Program
        {
            public static string Run()
            {
                var factor = 3;
                var total = 0;
                for (var i = 0; i < 5; i++)
                {
                    Func<int, int> scale = x => checked(x * factor + i);
                    total += scale(i) + scale(1);
                    factor++;
                }

                return total.ToString() + "/" + factor;
            }
        }
        """;

    [Fact]
    public Task PassState_KeepsWhatTheProgramReturns() =>
        AssertSameBehaviourAsync<CapturingLambdaAnalyzer, CapturingLambdaFixer>(PassStateProgram, CapturingLambdaFixer.PassStateEquivalenceKey);

    [Fact]
    public Task HoistDelegate_KeepsWhatTheProgramReturns() =>
        AssertSameBehaviourAsync<CapturingLambdaAnalyzer, CapturingLambdaFixer>(HoistProgram, CapturingLambdaFixer.HoistEquivalenceKey);

    [Fact]
    public Task MoveToLocalFunction_KeepsWhatTheProgramReturns() =>
        AssertSameBehaviourAsync<ClosureOnUnusedPathAnalyzer, ClosureOnUnusedPathFixer>(MoveToLocalFunctionProgram, ClosureOnUnusedPathFixer.MoveToLocalFunctionEquivalenceKey);

    [Fact]
    public Task ConvertToLocalFunction_KeepsWhatTheProgramReturns() =>
        AssertSameBehaviourAsync<InvokedDelegateLocalAnalyzer, InvokedDelegateLocalFixer>(LocalFunctionProgram, InvokedDelegateLocalFixer.LocalFunctionEquivalenceKey);

    private static async Task AssertSameBehaviourAsync<TAnalyzer, TFixer>(string source, string key)
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TFixer : CodeFixProvider, new()
    {
        var fixedSource = await new CodeFixTest<TAnalyzer, TFixer> { TestCode = source, CodeActionEquivalenceKey = key }.ApplyFixesAsync();

        Assert.NotEqual(source, fixedSource); // the fix was offered and applied
        Assert.Equal(ProgramRunner.Run(source), ProgramRunner.Run(fixedSource));
    }
}
