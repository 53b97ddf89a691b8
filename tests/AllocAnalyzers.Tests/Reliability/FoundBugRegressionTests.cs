using System;
using System.Threading.Tasks;
using AllocAnalyzers.CodeFixes.Rules;
using AllocAnalyzers.Tests.Harness;
using ReuseTest = AllocAnalyzers.Tests.Harness.CodeFixTest<AllocAnalyzers.Rules.PerIterationArrayAnalyzer, AllocAnalyzers.CodeFixes.Rules.PerIterationArrayFixer>;

namespace AllocAnalyzers.Tests.Reliability;

/// <summary>
/// Bugs the reliability tests found, each reduced to its smallest program. A test of an open bug is marked
/// <c>[Fact(Skip = "bug: …")]</c> and the generator leaves its pattern out (<see cref="ProgramGenerator.KnownBugs"/>), so
/// that CI still catches everything else; when the fix lands the Skip and the pattern go, and the test stays.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class FoundBugRegressionTests
{
    /// <summary>Found by the differential tests (5 of 300 programs, seed 1); fixed in cf0d098.</summary>
    public const string ReuseIndexZeroOfEmptyArray =
        "ALLOC001 'Reuse one buffer across iterations' treats index 0 as inside the requested size, but the size may be 0: " +
        "new int[0][0] throws IndexOutOfRangeException, the reused buffer (still as long as an earlier, larger iteration needed) does not, " +
        "and returns the earlier iteration's element. The rental keeps the exception only because ArrayPool.Rent(0) returns an empty array.";

    /// <summary>Found by the differential tests (8 of 300 programs, seed 1); fixed in cf0d098.</summary>
    public const string ReuseJaggedArrayDoesNotParse =
        "ALLOC001 'Reuse one buffer across iterations' on an array of arrays (new int[size][]) writes the grown buffer as " +
        "'new int[][capacity]', which does not parse (CS1586, CS0178). ReusedBufferRewrite builds ArrayType(elementType: int[], rank [capacity]); " +
        "the capacity must go in the first rank specifier: new int[capacity][]. The in-memory tree binds, so neither " +
        "DocumentRewrite.IntroducesErrorsAsync nor the harness (which compiles the fixed trees, not their text) notices.";

    [Fact]
    public async Task ReuseOneBuffer_KeepsTheExceptionOfIndexZero_WhenTheSizeIsZero()
    {
        const string source = """
            public static class Program
            {
                public static string Run()
                {
                    int total = 0;
                    foreach (var size in new[] { 2, 0 })
                    {
                        var data = new int[size];
                        total += data[0];
                    }

                    return total.ToString();
                }
            }
            """;

        var fixedSource = await new ReuseTest { TestCode = source, CodeActionEquivalenceKey = PerIterationArrayFixer.ReuseEquivalenceKey }.ApplyFixesAsync();

        Assert.Equal("threw: System.IndexOutOfRangeException", ProgramRunner.Run(source));
        // Either the fix is not offered (the code stays), or the fixed code still throws.
        Assert.Equal("threw: System.IndexOutOfRangeException", ProgramRunner.Run(fixedSource));
    }

    [Fact]
    public async Task ReuseOneBuffer_WritesACompilableArrayOfArrays()
    {
        const string source = """
            public static class Program
            {
                public static string Run()
                {
                    int total = 0;
                    foreach (var size in new[] { 2, 3 })
                    {
                        var rows = new int[size][];
                        total += rows.Length;
                    }

                    return total.ToString();
                }
            }
            """;

        var fixedSource = await new ReuseTest { TestCode = source, CodeActionEquivalenceKey = PerIterationArrayFixer.ReuseEquivalenceKey }.ApplyFixesAsync();

        Assert.Contains("Array.Empty<int[]>()", fixedSource, StringComparison.Ordinal);
        // Compiled from the text, as a user's build would: ProgramRunner throws if it does not compile.
        Assert.Equal(ProgramRunner.Run(source), ProgramRunner.Run(fixedSource));
    }
}
