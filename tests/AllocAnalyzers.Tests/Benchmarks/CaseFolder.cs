using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using AllocAnalyzers.Tests.Catalog;
using AllocAnalyzers.Tests.Harness;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace AllocAnalyzers.Tests.Benchmarks;

/// <summary>
/// A folder of checked-in case files that a measurement compiles (tests/AllocAnalyzers.Benchmarks/Cases,
/// tests/CacheRetention/Cases): each <c>&lt;Case&gt;.&lt;Fix&gt;.cs</c> must be exactly what a real fixer makes of
/// <c>&lt;Case&gt;.Before.cs</c>, only the namespace line changed (<c>namespace N.Before;</c> becomes
/// <c>namespace N.After&lt;Fix&gt;;</c>), and either file can run as a program beside a <c>Program.Run()</c>.
/// </summary>
internal sealed class CaseFolder
{
    /// <summary>Set to 1 to write the fixers' output over the After files instead of failing; review the diff, then rerun the measurement.</summary>
    public const string RegenerateVariable = "ALLOC_REGENERATE_BENCHMARK_CASES";

    private readonly string[] _folder;
    private readonly string _namespace;

    /// <param name="namespace">The case files' namespace without its last part ("CacheRetention").</param>
    /// <param name="folder">The folder, from the repository root.</param>
    public CaseFolder(string @namespace, params string[] folder)
    {
        _namespace = @namespace;
        _folder = folder;
    }

    public string BeforeNamespaceLine => $"namespace {_namespace}.Before;";

    /// <summary>The fix a real fixer offers for the first diagnostic, applied as the IDE would, against .NET 10's reference assemblies (the measurements target net10.0).</summary>
    public static Func<string, Task<string>> FixWith<TAnalyzer, TFixer>(string equivalenceKey)
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TFixer : CodeFixProvider, new() =>
        before => new CodeFixTest<TAnalyzer, TFixer> { TestCode = before, CodeActionEquivalenceKey = equivalenceKey, ReferenceSet = ReferenceSet.Net100 }.ApplyFixesAsync();

    public string Read(string caseName, string fileKind) => Normalize(File.ReadAllText(PathOf(caseName, fileKind)));

    /// <summary>
    /// Fails unless <c>&lt;Case&gt;.&lt;Fix&gt;.cs</c> is what <paramref name="apply"/> makes of the Before file (or, with
    /// <see cref="RegenerateVariable"/> set, writes it so). <paramref name="fixer"/>, <paramref name="testFilter"/> and
    /// <paramref name="rerun"/> only word the failure: who produced the file, which tests regenerate it, what to measure again.
    /// </summary>
    public async Task VerifyAfterFileAsync(string caseName, string fixName, Func<string, Task<string>> apply, string fixer, string testFilter, string rerun)
    {
        var before = Read(caseName, "Before");
        Assert.True(before.Split('\n').Count(line => line == BeforeNamespaceLine) == 1, $"{caseName}.Before.cs must have the line '{BeforeNamespaceLine}' once.");

        var produced = Normalize(await apply(before));
        Assert.True(produced != before, $"{fixer} offered no '{fixName}' fix for {caseName}.Before.cs, so the measurement would compare nothing.");
        var expected = produced.Replace(BeforeNamespaceLine, $"namespace {_namespace}.After{fixName};", StringComparison.Ordinal);

        var afterPath = PathOf(caseName, fixName);
        if (Environment.GetEnvironmentVariable(RegenerateVariable) == "1")
        {
            File.WriteAllText(afterPath, expected);
        }

        var actual = File.Exists(afterPath) ? Read(caseName, fixName) : "<missing>";
        Assert.True(expected == actual,
            $"{string.Join("/", _folder)}/{caseName}.{fixName}.cs is not what {fixer} now produces from {caseName}.Before.cs ({FirstDifference(expected, actual)}). " +
            $"If the fixer change is intended, regenerate the file with `{RegenerateVariable}=1 dotnet test tests/AllocAnalyzers.Tests --filter \"FullyQualifiedName~{testFilter}\"`, " +
            $"review the diff and rerun {rerun}.{Environment.NewLine}Produced:{Environment.NewLine}{expected}");
    }

    /// <summary>A case file as a program for <see cref="ProgramRunner"/>: its class moved to the global namespace, beside a <c>Program.Run()</c> with <paramref name="body"/>.</summary>
    public string AsProgram(string caseSource, string body)
    {
        var lines = caseSource.Split('\n').Where(line => !line.StartsWith($"namespace {_namespace}.", StringComparison.Ordinal));
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

    private string PathOf(string caseName, string fileKind) =>
        RuleCatalog.RepositoryFile(_folder.Append($"{caseName}.{fileKind}.cs").ToArray());

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
