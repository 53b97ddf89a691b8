using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using AllocAnalyzers.CodeFixes.Rules;
using AllocAnalyzers.Rules;
using AllocAnalyzers.Tests.Harness;

namespace AllocAnalyzers.Tests.Benchmarks;

/// <summary>
/// Keeps tests/AllocAnalyzers.Benchmarks honest: each <c>Cases/&lt;Case&gt;.&lt;Fix&gt;.cs</c> must be exactly what the real
/// fixer makes of <c>Cases/&lt;Case&gt;.Before.cs</c> (only the namespace line differs), and must compute the same result
/// (or, for a fix that changes behaviour on purpose, the result the fix is for).
/// </summary>
public sealed class BenchmarkCasesTests
{
    private static readonly CaseFolder Cases = new("AllocAnalyzers.Benchmarks", "tests", "AllocAnalyzers.Benchmarks", "Cases");

    /// <param name="IntendedProgramBody">
    /// For a fix that changes behaviour on purpose: a program body computing what the fixed code must return, which the
    /// code before the fix does not. Such a fix is checked against it instead of against the Before file.
    /// </param>
    private sealed record Fix(string Case, string Name, string Fixer, Func<string, Task<string>> Apply, string ProgramBody, string? IntendedProgramBody = null);

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

    // About one message in ten fails validation (a wrong check byte) and one is not base64: both throw.
    private static readonly string PayloadParseProgram = """
        var random = new System.Random(4);
        var messages = new byte[600][];
        for (var i = 0; i < messages.Length; i++)
        {
            var payload = new byte[random.Next(2, 300)];
            random.NextBytes(payload);
            byte check = 0;
            for (var j = 0; j < payload.Length - 1; j++) check ^= payload[j];
            payload[^1] = i % 10 == 3 ? (byte)~check : check;
            messages[i] = System.Text.Encoding.ASCII.GetBytes(System.Convert.ToBase64String(payload));
        }
        messages[7] = System.Text.Encoding.ASCII.GetBytes("not base64!");
        return PayloadParse.Run(messages).ToString();
        """;

    private static readonly string RecordDigestRecords = """
        var random = new System.Random(5);
        var alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ,.;:=-_\u00e9\u00fc\u20ac";
        var records = new string[500];
        for (var i = 1; i < records.Length; i++)
        {
            var chars = new char[random.Next(1, 300)];
            for (var j = 0; j < chars.Length; j++) chars[j] = alphabet[random.Next(alphabet.Length)];
            records[i] = new string(chars);
        }
        records[0] = "";

        """;

    private static readonly string RecordDigestProgram = RecordDigestRecords + "return RecordDigest.Run(records).ToString();";

    // What "Use the requested length" is for: the same checksum over exactly each record's UTF-8 bytes, with no pool.
    private static readonly string RecordDigestOfRequestedBytes = RecordDigestRecords + """
        ulong checksum = 0;
        System.Span<byte> digest = stackalloc byte[32];
        foreach (var record in records)
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(record);
            var text = System.Convert.ToBase64String(bytes);
            System.Security.Cryptography.SHA256.HashData(bytes, digest);
            var hash = 14695981039346656037UL;
            foreach (var c in text) hash = (hash ^ c) * 1099511628211UL;
            checksum = checksum * 31 + hash + System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(digest);
        }
        return checksum.ToString();
        """;

    private static readonly string KeyCacheProgram = """
        var random = new System.Random(6);
        var keys = new string[2_000];
        for (var i = 0; i < keys.Length; i++) keys[i] = new string('k', random.Next(1, 13)) + random.Next(300);
        var cache = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
        var first = KeyCache.Run(cache, keys);
        return first + " " + KeyCache.Run(cache, keys) + " " + cache["k0"] + cache.Count;
        """;

    private static readonly string ThresholdCountProgram = """
        var random = new System.Random(7);
        var readings = new System.Collections.Generic.List<int>();
        for (var i = 0; i < 16; i++) readings.Add(random.Next(100));
        var probes = new int[2_000];
        for (var i = 0; i < probes.Length; i++) probes[i] = random.Next();
        return ThresholdCount.Run(readings, probes, 50).ToString() + " " + ThresholdCount.Run(readings, probes, -1);
        """;

    private static readonly string ScaleSumProgram = """
        var random = new System.Random(8);
        var values = new int[2_000];
        for (var i = 0; i < values.Length; i++) values[i] = random.Next(int.MinValue, int.MaxValue);
        return ScaleSum.Run(values).ToString();
        """;

    private static readonly string PrefixLookupProgram = """
        var random = new System.Random(9);
        var names = new string[2_000];
        for (var i = 0; i < names.Length; i++) names[i] = "n" + random.Next(400);
        var cache = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
        return PrefixLookup.Run(cache, names, "p:") + " " + PrefixLookup.Run(cache, names, "q:") + " " + cache.Count;
        """;

    private static readonly string OrderLinesProgram = """
        var random = new System.Random(6);
        var ids = new int[500];
        var prices = new double[ids.Length];
        for (var i = 0; i < ids.Length; i++) { ids[i] = random.Next(); prices[i] = random.Next(0, 10_000_000) / 1000.0; }
        prices[0] = double.NaN;
        prices[1] = -0.005;
        return OrderLines.Run(ids, prices).ToString();
        """;

    private static readonly string MatchCountProgram = """
        var random = new System.Random(7);
        var left = new int[1_000];
        var right = new int[left.Length];
        for (var i = 0; i < left.Length; i++) { left[i] = random.Next(0, 3); right[i] = random.Next(0, 3); }
        return MatchCount.Run(left, right).ToString();
        """;

    private static readonly string GridVisitsProgram = """
        var random = new System.Random(8);
        var steps = new int[3_000];
        for (var i = 0; i < steps.Length; i++) steps[i] = random.Next();
        return GridVisits.Run(steps).ToString();
        """;

    private static readonly string ShapeAreasProgram = """
        var random = new System.Random(9);
        var values = new int[1_000];
        for (var i = 0; i < values.Length; i++) values[i] = random.Next(-5, 100);
        return ShapeAreas.Run(values).ToString();
        """;

    private static readonly string RunningMedianProgram = """
        var random = new System.Random(10);
        var values = new int[1_000];
        for (var i = 0; i < values.Length; i++) values[i] = random.Next(int.MinValue, int.MaxValue);
        return RunningMedian.Run(values).ToString();
        """;

    private static readonly IReadOnlyList<Fix> Fixes = new[]
    {
        new Fix("ChunkChecksum", "Rent", nameof(PerIterationArrayFixer), CaseFolder.FixWith<PerIterationArrayAnalyzer, PerIterationArrayFixer>(PerIterationArrayFixer.RentEquivalenceKey), ChunkChecksumProgram),
        new Fix("ChunkChecksum", "Reuse", nameof(PerIterationArrayFixer), CaseFolder.FixWith<PerIterationArrayAnalyzer, PerIterationArrayFixer>(PerIterationArrayFixer.ReuseEquivalenceKey), ChunkChecksumProgram),
        new Fix("DigitHistogram", "Hoist", nameof(FixedSizePerIterationArrayFixer), CaseFolder.FixWith<FixedSizePerIterationArrayAnalyzer, FixedSizePerIterationArrayFixer>(FixedSizePerIterationArrayFixer.HoistEquivalenceKey), DigitHistogramProgram),
        new Fix("DigitHistogram", "Stackalloc", nameof(FixedSizePerIterationArrayFixer), CaseFolder.FixWith<FixedSizePerIterationArrayAnalyzer, FixedSizePerIterationArrayFixer>(FixedSizePerIterationArrayFixer.StackallocEquivalenceKey), DigitHistogramProgram),
        new Fix("Utf8Scratch", "Hoist", nameof(FixedSizePerIterationArrayFixer), CaseFolder.FixWith<FixedSizePerIterationArrayAnalyzer, FixedSizePerIterationArrayFixer>(FixedSizePerIterationArrayFixer.HoistEquivalenceKey), Utf8ScratchProgram),
        new Fix("Utf8Scratch", "Stackalloc", nameof(FixedSizePerIterationArrayFixer), CaseFolder.FixWith<FixedSizePerIterationArrayAnalyzer, FixedSizePerIterationArrayFixer>(FixedSizePerIterationArrayFixer.StackallocEquivalenceKey), Utf8ScratchProgram),
        new Fix("PayloadParse", "ReturnInFinally", nameof(ArrayPoolMisuseFixer), CaseFolder.FixWith<ArrayPoolMisuseAnalyzer, ArrayPoolMisuseFixer>(ArrayPoolMisuseFixer.ReturnInFinallyEquivalenceKey), PayloadParseProgram),
        new Fix("KeyCache", "PassState", nameof(CapturingLambdaFixer), CaseFolder.FixWith<CapturingLambdaAnalyzer, CapturingLambdaFixer>(CapturingLambdaFixer.PassStateEquivalenceKey), KeyCacheProgram),
        new Fix("ThresholdCount", "Hoist", nameof(CapturingLambdaFixer), CaseFolder.FixWith<CapturingLambdaAnalyzer, CapturingLambdaFixer>(CapturingLambdaFixer.HoistEquivalenceKey), ThresholdCountProgram),
        new Fix("PrefixLookup", "MoveToLocalFunction", nameof(ClosureOnUnusedPathFixer), CaseFolder.FixWith<ClosureOnUnusedPathAnalyzer, ClosureOnUnusedPathFixer>(ClosureOnUnusedPathFixer.MoveToLocalFunctionEquivalenceKey), PrefixLookupProgram),
        new Fix("ScaleSum", "LocalFunction", nameof(InvokedDelegateLocalFixer), CaseFolder.FixWith<InvokedDelegateLocalAnalyzer, InvokedDelegateLocalFixer>(InvokedDelegateLocalFixer.LocalFunctionEquivalenceKey), ScaleSumProgram),
        new Fix("OrderLines", "FormatWithoutBoxing", nameof(BoxingFixer), CaseFolder.FixWith<BoxingAnalyzer, BoxingFixer>(BoxingFixer.FormatWithoutBoxingEquivalenceKey), OrderLinesProgram),
        new Fix("MatchCount", "TypedOverload", nameof(BoxingFixer), CaseFolder.FixWith<BoxingAnalyzer, BoxingFixer>(BoxingFixer.TypedOverloadEquivalenceKey), MatchCountProgram),
        new Fix("ShapeAreas", "GenericParameter", nameof(BoxingFixer), CaseFolder.FixWith<BoxingAnalyzer, BoxingFixer>(BoxingFixer.GenericParameterEquivalenceKey), ShapeAreasProgram),
        new Fix("RunningMedian", "GenericCollection", nameof(BoxingFixer), CaseFolder.FixWith<BoxingAnalyzer, BoxingFixer>(BoxingFixer.GenericCollectionEquivalenceKey), RunningMedianProgram),
        new Fix("GridVisits", "ImplementIEquatable", nameof(ImplicitStructBoxingFixer), CaseFolder.FixWith<ImplicitStructBoxingAnalyzer, ImplicitStructBoxingFixer>(ImplicitStructBoxingFixer.ImplementIEquatableEquivalenceKey), GridVisitsProgram),
        new Fix("RecordDigest", "UseRequestedLength", nameof(ArrayPoolMisuseFixer), CaseFolder.FixWith<ArrayPoolMisuseAnalyzer, ArrayPoolMisuseFixer>(ArrayPoolMisuseFixer.UseRequestedLengthEquivalenceKey), RecordDigestProgram, RecordDigestOfRequestedBytes),
    };

    public static TheoryData<string, string> CaseAndFix() => ToTheoryData(Fixes);

    public static TheoryData<string, string> CaseAndBehaviourKeepingFix() => ToTheoryData(Fixes.Where(f => f.IntendedProgramBody is null));

    public static TheoryData<string, string> CaseAndBehaviourChangingFix() => ToTheoryData(Fixes.Where(f => f.IntendedProgramBody is not null));

    private static TheoryData<string, string> ToTheoryData(IEnumerable<Fix> fixes)
    {
        var data = new TheoryData<string, string>();
        foreach (var fix in fixes)
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
        await Cases.VerifyAfterFileAsync(caseName, fixName, fix.Apply, fix.Fixer, "Benchmarks", "the benchmarks (docs/performance.md)");
    }

    [Theory]
    [MemberData(nameof(CaseAndBehaviourKeepingFix))]
    public void AfterFile_ComputesWhatTheBeforeFileComputes(string caseName, string fixName)
    {
        var fix = Find(caseName, fixName);

        var before = RunCase(caseName, "Before", fix.ProgramBody);
        var after = RunCase(caseName, fixName, fix.ProgramBody);

        Assert.StartsWith("returned: ", before, StringComparison.Ordinal);
        Assert.Equal(before, after);
    }

    [Theory]
    [MemberData(nameof(CaseAndBehaviourChangingFix))]
    public void AfterFile_ComputesTheIntendedResult_WhichTheBeforeFileGotWrong(string caseName, string fixName)
    {
        var fix = Find(caseName, fixName);

        var intended = ProgramRunner.Run(Cases.AsProgram(string.Empty, fix.IntendedProgramBody!), ReferenceSet.Net100);
        var before = RunCase(caseName, "Before", fix.ProgramBody);
        var after = RunCase(caseName, fixName, fix.ProgramBody);

        Assert.StartsWith("returned: ", intended, StringComparison.Ordinal);
        Assert.Equal(intended, after);
        Assert.NotEqual(intended, before);
    }

    private static Fix Find(string caseName, string fixName) => Fixes.Single(f => f.Case == caseName && f.Name == fixName);

    private static string RunCase(string caseName, string fileKind, string programBody) =>
        ProgramRunner.Run(Cases.AsProgram(Cases.Read(caseName, fileKind), programBody), ReferenceSet.Net100);
}
