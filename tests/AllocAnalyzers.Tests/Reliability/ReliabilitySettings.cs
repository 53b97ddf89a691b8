using System;
using System.Globalization;

namespace AllocAnalyzers.Tests.Reliability;

/// <summary>
/// Sample sizes and seeds of the reliability tests. CI uses the defaults (a couple of minutes on two cores); a soak
/// sets the environment variables, e.g. <c>ALLOC_SOAK_COUNT=10000 ALLOC_SOAK_SEED=7</c>.
/// </summary>
internal static class ReliabilitySettings
{
    /// <summary>How many mutated rule-test sources the no-crash test analyses (<c>ALLOC_FUZZ_COUNT</c>).</summary>
    public static int FuzzCount => Read("ALLOC_FUZZ_COUNT", 300);

    /// <summary>Whether to compute fixes on the 10,000-statement method and the 60-deep lambdas too (<c>ALLOC_FUZZ_BIG_FIXES=1</c>): minutes.</summary>
    public static bool FixBigFiles => Read("ALLOC_FUZZ_BIG_FIXES", 0) == 1;

    public static int FuzzSeed => Read("ALLOC_FUZZ_SEED", 20261122);

    /// <summary>How many generated programs the differential test runs before and after the fixes (<c>ALLOC_SOAK_COUNT</c>).</summary>
    public static int SoakCount => Read("ALLOC_SOAK_COUNT", 300);

    public static int SoakSeed => Read("ALLOC_SOAK_SEED", 1);

    /// <summary>Whether the generator also writes the patterns of open bugs (<c>ALLOC_SOAK_KNOWN_BUGS=1</c>), to check whether they are fixed.</summary>
    public static bool SoakIncludesKnownBugs => Read("ALLOC_SOAK_KNOWN_BUGS", 0) == 1;

    /// <summary>Where to also write the differential summary and its findings (<c>ALLOC_SOAK_REPORT</c>), if set.</summary>
    public static string? SoakReportPath => Environment.GetEnvironmentVariable("ALLOC_SOAK_REPORT") is { Length: > 0 } path ? path : null;

    /// <summary>
    /// The bound on one file's analysis. The goal is under a second; the bound is generous so that a loaded two-core CI
    /// machine does not fail the build. The tests print the slowest file so a regression shows before it fails.
    /// </summary>
    public static TimeSpan PerFileAnalysisBound => TimeSpan.FromSeconds(Read("ALLOC_FUZZ_FILE_SECONDS", 5));

    private static int Read(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0 ? value : fallback;
}

/// <summary>
/// The reliability tests run one after another (beside the rest of the suite), so that the times they measure are
/// not inflated by each other.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ReliabilityCollection
{
    public const string Name = "Reliability";
}
