using System.Threading.Tasks;
using AllocAnalyzers.Tests.Harness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using static AllocAnalyzers.Tests.Harness.DiagnosticResult;

namespace AllocAnalyzers.Tests.HarnessTests;

/// <summary>What a test configures reaches the analyzer: .editorconfig, global config and the language version.</summary>
public sealed class ConfigurationTests
{
    [Fact]
    public Task EditorConfigOption_IsSeenByTheAnalyzer() => new AnalyzerTest<EditorConfigOptInAnalyzer>
    {
        TestCode = """
            class C
            {
                int M() => [|42|];
            }
            """,
        EditorConfig = """
            root = true

            [*.cs]
            test001.enabled = true
            """,
    }.RunAsync();

    [Fact]
    public Task EditorConfigOption_IsAbsentWithoutEditorConfig() => new AnalyzerTest<EditorConfigOptInAnalyzer>
    {
        TestCode = """
            class C
            {
                int M() => 42;
            }
            """,
    }.RunAsync();

    [Fact]
    public Task EditorConfigOption_AppliesOnlyToMatchingFiles() => new AnalyzerTest<EditorConfigOptInAnalyzer>
    {
        TestCode = """
            class C
            {
                int M() => 42;
            }
            """,
        EditorConfig = """
            root = true

            [*.vb]
            test001.enabled = true
            """,
    }.RunAsync();

    [Fact]
    public async Task EditorConfigSeverity_ChangesTheReportedSeverity()
    {
        var test = new AnalyzerTest<FortyTwoAnalyzer>
        {
            TestCode = """
                class C
                {
                    int M() => {|#0:42|};
                }
                """,
            EditorConfig = """
                root = true

                [*.cs]
                dotnet_diagnostic.TEST001.severity = error
                """,
            ExpectedDiagnostics = { Diagnostic(FortyTwo.Id).WithLocation(0).WithSeverity(DiagnosticSeverity.Error) },
        };

        await test.RunAsync();
    }

    [Fact]
    public async Task EditorConfigSeverity_MakesDefaultSeverityExpectationFail()
    {
        var test = new AnalyzerTest<FortyTwoAnalyzer>
        {
            TestCode = """
                class C
                {
                    int M() => [|42|];
                }
                """,
            EditorConfig = """
                root = true

                [*.cs]
                dotnet_diagnostic.TEST001.severity = error
                """,
        };

        var failure = await Assert.ThrowsAsync<VerificationException>(() => test.RunAsync());

        Assert.Contains("expected severity Warning, got Error", failure.Message);
    }

    [Fact]
    public Task EditorConfigSeverityNone_SilencesTheRule() => new AnalyzerTest<FortyTwoAnalyzer>
    {
        TestCode = """
            class C
            {
                int M() => 42;
            }
            """,
        EditorConfig = """
            root = true

            [*.cs]
            dotnet_diagnostic.TEST001.severity = none
            """,
    }.RunAsync();

    [Fact]
    public Task GlobalConfigBuildProperty_IsSeenThroughGlobalOptions() => new AnalyzerTest<BuildPropertyOptInAnalyzer>
    {
        TestCode = """
            class C
            {
                int M() => [|42|];
            }
            """,
        GlobalConfig = "build_property.ReportFortyTwo = true",
    }.RunAsync();

    [Fact]
    public Task GlobalConfigBuildProperty_IsAbsentWithoutGlobalConfig() => new AnalyzerTest<BuildPropertyOptInAnalyzer>
    {
        TestCode = """
            class C
            {
                int M() => 42;
            }
            """,
    }.RunAsync();

    [Fact]
    public async Task LanguageVersion_IsUsedToCompileTheTestCode()
    {
        var test = new AnalyzerTest<FortyTwoAnalyzer>
        {
            TestCode = """
                class C
                {
                    int? M(int? x) => x ??= 41;
                }
                """,
            LanguageVersion = LanguageVersion.CSharp7_3,
        };

        var failure = await Assert.ThrowsAsync<VerificationException>(() => test.RunAsync());

        Assert.Contains("unexpected: CS8370", failure.Message);
    }
}
