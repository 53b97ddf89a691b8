using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace AllocAnalyzers.Tests.Reliability;

/// <summary>
/// Differential testing of every fix on the runnable programs of the rule tests (those with a
/// <c>public static string Program.Run()</c>): each is run, fixed by every fix kind the package offers (one diagnostic at
/// a time and by Fix All, and all kinds in sequence), compiled with no new warning and run again, exactly as the generated
/// programs of <see cref="DifferentialFixTests"/> are. The generator writes the array rules' patterns in many variations;
/// this reaches every other rule's fixes through the programs written for their tests.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class CorpusDifferentialTests
{
    /// <summary>
    /// Fix kinds that no generated program and no runnable rule-test program exercises yet, each with the reason. Each
    /// entry is a gap in the evidence, listed in docs/reliability.md; the test fails when an entry is no longer needed.
    /// </summary>
    private static readonly ImmutableDictionary<string, string> s_notYetExercised = ImmutableDictionary<string, string>.Empty;

    private readonly ITestOutputHelper _output;

    public CorpusDifferentialTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task FixedRuleTestPrograms_CompileWithoutNewWarnings_AndBehaveExactlyLikeTheOriginals()
    {
        var programs = FuzzCorpus.HarvestRuleTestSources()
            .Where(s => IsRunnable(s.Text))
            .Select((s, i) => new GeneratedProgram(Seed: 0, Index: i, s.Text, new[] { s.Name }))
            .ToList();
        Assert.True(programs.Count >= 4, $"Expected the rule tests' runnable programs, found {programs.Count}.");

        var statistics = new CampaignStatistics();
        await Parallel.ForEachAsync(programs, new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (program, token) =>
            await DifferentialFixCampaign.CheckAsync(program, statistics, token));
        var summary = statistics.Summary(0).Replace("seed 0", "the rule tests' runnable programs", StringComparison.Ordinal);
        _output.WriteLine(summary);

        // A test program that does not compile against .NET 8 alone (it needs a stub) or is not deterministic is not a finding.
        var findings = statistics.Findings.Where(f => f.Kind != DifferentialFixCampaign.GeneratorProblem).OrderBy(f => f.Program.Index).ToList();
        Assert.True(findings.Count == 0, $"{summary}{Environment.NewLine}{string.Join(Environment.NewLine + new string('=', 100) + Environment.NewLine, findings.Take(3))}");

        // Every fix kind is exercised here or by the generated programs, or is a documented gap.
        var exercised = statistics.FixRunsByPlan.Where(p => p.Value > 0).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var kind in FixKind.All.Where(k => !ProgramGenerator.CoveredRules.Contains(k.RuleId)))
        {
            var covered = exercised.Contains(kind.Key) || exercised.Contains("Fix All " + kind.Key);
            if (covered && s_notYetExercised.ContainsKey(kind.Key))
            {
                missing.Add($"'{kind.Key}' is exercised now: remove it from the list of gaps (and from docs/reliability.md).");
            }
            else if (!covered && !s_notYetExercised.ContainsKey(kind.Key))
            {
                missing.Add($"No runnable rule-test program is changed by '{kind.Key}': add a ProgramRunner test of that fix to its rule's tests.");
            }
        }

        Assert.True(missing.Count == 0, string.Join(Environment.NewLine, missing) + Environment.NewLine + summary);
    }

    private static bool IsRunnable(string text) =>
        text.Contains("class Program", StringComparison.Ordinal) && text.Contains("public static string Run()", StringComparison.Ordinal);
}
