using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using AllocAnalyzers.CodeFixes.Rules;
using AllocAnalyzers.Rules;
using AllocAnalyzers.Tests.Catalog;
using AllocAnalyzers.Tests.Harness;

namespace AllocAnalyzers.Tests.Benchmarks;

/// <summary>
/// Keeps tests/AllocAnalyzers.Benchmarks honest: each <c>Cases/&lt;Case&gt;.&lt;Fix&gt;.cs</c> must be exactly what the real
/// fixer makes of <c>Cases/&lt;Case&gt;.Before.cs</c> (only the namespace line differs), and must compute the same result.
/// </summary>
public sealed class BenchmarkCasesTests
{
    /// <summary>Set to 1 to write the fixers' output over the After files instead of failing; review the diff, then rerun the benchmarks.</summary>
    private const string RegenerateVariable = "ALLOC_REGENERATE_BENCHMARK_CASES";

    private const string BeforeNamespaceLine = "namespace AllocAnalyzers.Benchmarks.Before;";

    private sealed record Fix(string Case, string Name, string Fixer, Func<string, Task<string>> Apply, string ProgramBody);

    private static readonly string ChunkChecksumProgram = """
        var random = new System.Random(1);
        var data = new byte[300_000];
        random.NextBytes(data);
        var sizes = new int[300];
        for (var i = 0; i < sizes.Length; i++) sizes[i] = i % 10 == 0 ? random.Next(1, 20) : random.Next(1, 100_000);
        return ChunkChecksum.Run(new System.IO.MemoryStream(data), sizes).ToString();
        """;

    private static readonly string DigitHistogramProgram = """
        var random = new System.Random(2);
        var values = new int[2_000];
        for (var i = 1; i < values.Length; i++) values[i] = i % 7 == 0 ? random.Next(0, 1_000) : random.Next();
        values[1] = int.MaxValue;
        return DigitHistogram.Run(values).ToString();
        """;

    private static readonly string Utf8ScratchProgram = """
        var random = new System.Random(3);
        var values = new int[2_000];
        for (var i = 2; i < values.Length; i++) values[i] = random.Next(int.MinValue, int.MaxValue);
        values[0] = int.MinValue;
        values[1] = int.MaxValue;
        return Utf8Scratch.Run(values).ToString();
        """;

    private static readonly IReadOnlyList<Fix> Fixes = new[]
    {
        new Fix("ChunkChecksum", "Rent", nameof(PerIterationArrayFixer), ApplyAlloc001(PerIterationArrayFixer.RentEquivalenceKey), ChunkChecksumProgram),
        new Fix("ChunkChecksum", "Reuse", nameof(PerIterationArrayFixer), ApplyAlloc001(PerIterationArrayFixer.ReuseEquivalenceKey), ChunkChecksumProgram),
        new Fix("DigitHistogram", "Hoist", nameof(FixedSizePerIterationArrayFixer), ApplyAlloc002(FixedSizePerIterationArrayFixer.HoistEquivalenceKey), DigitHistogramProgram),
        new Fix("DigitHistogram", "Stackalloc", nameof(FixedSizePerIterationArrayFixer), ApplyAlloc002(FixedSizePerIterationArrayFixer.StackallocEquivalenceKey), DigitHistogramProgram),
        new Fix("Utf8Scratch", "Hoist", nameof(FixedSizePerIterationArrayFixer), ApplyAlloc002(FixedSizePerIterationArrayFixer.HoistEquivalenceKey), Utf8ScratchProgram),
        new Fix("Utf8Scratch", "Stackalloc", nameof(FixedSizePerIterationArrayFixer), ApplyAlloc002(FixedSizePerIterationArrayFixer.StackallocEquivalenceKey), Utf8ScratchProgram),
    };

    public static TheoryData<string, string> CaseAndFix()
    {
        var data = new TheoryData<string, string>();
        foreach (var fix in Fixes)
        {
            data.Add(fix.Case, fix.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CaseAndFix))]
    public async Task AfterFile_IsExactlyWhatTheFixerProduces(string caseName, string fixName)
    {
        var fix = Find(caseName, fixName);
        var before = ReadCase(caseName, "Before");
        Assert.True(before.Split('\n').Count(line => line == BeforeNamespaceLine) == 1, $"{caseName}.Before.cs must have the line '{BeforeNamespaceLine}' once.");

        var produced = Normalize(await fix.Apply(before));
        Assert.True(produced != before, $"{fix.Fixer} offered no '{fixName}' fix for {caseName}.Before.cs, so the benchmark would measure nothing.");
        var expected = produced.Replace(BeforeNamespaceLine, $"namespace AllocAnalyzers.Benchmarks.After{fixName};", StringComparison.Ordinal);

        var afterPath = CasePath(caseName, fixName);
        if (Environment.GetEnvironmentVariable(RegenerateVariable) == "1")
        {
            File.WriteAllText(afterPath, expected);
        }

        var actual = File.Exists(afterPath) ? ReadCase(caseName, fixName) : "<missing>";
        Assert.True(expected == actual,
            $"Cases/{caseName}.{fixName}.cs is not what {fix.Fixer} now produces from Cases/{caseName}.Before.cs ({FirstDifference(expected, actual)}). " +
            $"If the fixer change is intended, regenerate the file with `{RegenerateVariable}=1 dotnet test tests/AllocAnalyzers.Tests --filter \"FullyQualifiedName~Benchmarks\"`, " +
            $"review the diff and rerun the benchmarks (docs/performance.md).{Environment.NewLine}Produced:{Environment.NewLine}{expected}");
    }

    [Theory]
    [MemberData(nameof(CaseAndFix))]
    public void AfterFile_ComputesWhatTheBeforeFileComputes(string caseName, string fixName)
    {
        var fix = Find(caseName, fixName);

        var before = ProgramRunner.Run(AsProgram(ReadCase(caseName, "Before"), fix.ProgramBody), ReferenceSet.Net100);
        var after = ProgramRunner.Run(AsProgram(ReadCase(caseName, fixName), fix.ProgramBody), ReferenceSet.Net100);

        Assert.StartsWith("returned: ", before, StringComparison.Ordinal);
        Assert.Equal(before, after);
    }

    // The benchmark project targets net10.0, so the fixes are computed against .NET 10's reference assemblies.
    private static Func<string, Task<string>> ApplyAlloc001(string key) => before =>
        new CodeFixTest<PerIterationArrayAnalyzer, PerIterationArrayFixer> { TestCode = before, CodeActionEquivalenceKey = key, ReferenceSet = ReferenceSet.Net100 }.ApplyFixesAsync();

    private static Func<string, Task<string>> ApplyAlloc002(string key) => before =>
        new CodeFixTest<FixedSizePerIterationArrayAnalyzer, FixedSizePerIterationArrayFixer> { TestCode = before, CodeActionEquivalenceKey = key, ReferenceSet = ReferenceSet.Net100 }.ApplyFixesAsync();

    private static Fix Find(string caseName, string fixName) => Fixes.Single(f => f.Case == caseName && f.Name == fixName);

    private static string CasePath(string caseName, string fileKind) =>
        RuleCatalog.RepositoryFile("tests", "AllocAnalyzers.Benchmarks", "Cases", $"{caseName}.{fileKind}.cs");

    private static string ReadCase(string caseName, string fileKind) => Normalize(File.ReadAllText(CasePath(caseName, fileKind)));

    /// <summary>A case file as a program for <see cref="ProgramRunner"/>: its class moved to the global namespace, beside a <c>Program.Run()</c> that calls it.</summary>
    private static string AsProgram(string caseSource, string body)
    {
        var lines = caseSource.Split('\n').Where(line => !line.StartsWith("namespace AllocAnalyzers.Benchmarks.", StringComparison.Ordinal));
        var indented = string.Join("\n", body.Split('\n').Select(line => "        " + line));
        return string.Join("\n", lines) + $$"""

            public static class Program
            {
                public static string Run()
                {
            {{indented}}
                }
            }
            """;
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);

    private static string FirstDifference(string expected, string actual)
    {
        var expectedLines = expected.Split('\n');
        var actualLines = actual.Split('\n');
        for (var i = 0; i < Math.Max(expectedLines.Length, actualLines.Length); i++)
        {
            var e = i < expectedLines.Length ? expectedLines[i] : "<end>";
            var a = i < actualLines.Length ? actualLines[i] : "<end>";
            if (e != a)
            {
                return $"first difference at line {i + 1}: the fixer produces \"{e.Trim()}\", the file has \"{a.Trim()}\"";
            }
        }

        return "they differ only in line endings";
    }
}
