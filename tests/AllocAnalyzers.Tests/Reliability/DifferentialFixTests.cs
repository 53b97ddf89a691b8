using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit.Abstractions;

namespace AllocAnalyzers.Tests.Reliability;

/// <summary>
/// The fixes keep what programs do: generated programs run before and after each fix plan must return the same text
/// or throw the same exception type, and the fixed code must compile with no new warning. CI runs
/// <see cref="ReliabilitySettings.SoakCount"/> programs; a soak sets <c>ALLOC_SOAK_COUNT</c> (see docs/reliability.md).
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class DifferentialFixTests
{
    private readonly ITestOutputHelper _output;

    public DifferentialFixTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task FixedPrograms_CompileWithoutNewWarnings_AndBehaveExactlyLikeTheOriginals()
    {
        var seed = ReliabilitySettings.SoakSeed;
        var statistics = await DifferentialFixCampaign.RunAsync(seed, ReliabilitySettings.SoakCount, ReliabilitySettings.SoakIncludesKnownBugs, parallelism: 2, _output.WriteLine, CancellationToken.None);
        var summary = statistics.Summary(seed);
        _output.WriteLine(summary);
        if (ReliabilitySettings.SoakReportPath is { } path)
        {
            DifferentialFixCampaign.WriteReport(path, seed, statistics);
            _output.WriteLine($"Report written to {path}");
        }

        var findings = statistics.Findings.OrderBy(f => f.Program.Index).ToList();
        Assert.True(findings.Count == 0, $"{summary}{Environment.NewLine}{string.Join(Environment.NewLine + new string('=', 100) + Environment.NewLine, findings.Take(3))}");

        // The sample must reach every fix kind of the rules it generates code for, or it proves nothing about the ones it missed.
        foreach (var kind in FixKind.All.Where(k => ProgramGenerator.CoveredRules.Contains(k.RuleId)))
        {
            Assert.True(statistics.FixRunsByPlan.TryGetValue(kind.Key, out var runs) && runs > 0, $"No generated program was changed by '{kind.Key}'.{Environment.NewLine}{summary}");
        }
    }

    [Fact]
    public void Generator_IsDeterministic()
    {
        Assert.Equal(ProgramGenerator.Generate(3, 17).Source, ProgramGenerator.Generate(3, 17).Source);
        Assert.NotEqual(ProgramGenerator.Generate(3, 17).Source, ProgramGenerator.Generate(3, 18).Source);
    }

    [Fact]
    public void FixKinds_OfTheGeneratedRules_AreThoseTheGeneratorWrites()
    {
        Assert.Equal(
            new[]
            {
                "ALLOC001.RentFromArrayPool", "ALLOC001.ReuseOneBuffer", "ALLOC002.HoistArray", "ALLOC002.UseStackallocSpan", "ALLOC003.ReturnInFinally", "ALLOC003.UseRequestedLength",
                "ALLOC010.RebuildCollection", "ALLOC010.TrimAfterClear", "ALLOC011.ShrinkAfterRemovals",
            },
            FixKind.All.Where(k => ProgramGenerator.CoveredRules.Contains(k.RuleId)).Select(k => k.Key).OrderBy(k => k, StringComparer.Ordinal));
        Assert.Equal(new[] { "ALLOC003.UseRequestedLength" }, FixKind.All.Where(k => !k.KeepsBehaviour).Select(k => k.Key));
    }
}
