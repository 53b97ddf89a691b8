using System.Threading.Tasks;
using AllocAnalyzers.Tests.Harness;
using Microsoft.CodeAnalysis;
using static AllocAnalyzers.Tests.Harness.DiagnosticResult;

namespace AllocAnalyzers.Tests.HarnessTests;

/// <summary>AnalyzerTest compares the reported diagnostics with the expected ones: id, span, severity and message.</summary>
public sealed class DiagnosticVerificationTests
{
    [Fact]
    public Task Passes_WhenMarkupMatchesEveryDiagnostic() => new AnalyzerTest<FortyTwoAnalyzer>
    {
        TestCode = """
            class C
            {
                int M() => [|42|];
                int N() => 41 + {|TEST001:0x2A|};
            }
            """,
    }.RunAsync();

    [Fact]
    public async Task Passes_WhenExpectedDiagnosticHasRightKeySeverityAndArguments()
    {
        var test = new AnalyzerTest<FortyTwoAnalyzer>
        {
            TestCode = """
                class C
                {
                    int M() => {|#0:42|};
                }
                """,
        };
        test.ExpectedDiagnostics.Add(Diagnostic(FortyTwo.Id).WithLocation(0).WithSeverity(DiagnosticSeverity.Warning).WithArguments("42"));
        await test.RunAsync();
    }

    [Fact]
    public Task Passes_WhenExpectedDiagnosticHasRightOneBasedSpan() => new AnalyzerTest<FortyTwoAnalyzer>
    {
        TestCode = """
            class C
            {
                int M() => 42;
            }
            """,
        ExpectedDiagnostics = { Diagnostic(FortyTwo.Id).WithSpan(3, 16, 3, 18) },
    }.RunAsync();

    [Fact]
    public async Task Fails_WhenExpectedSpanIsWrong()
    {
        var test = new AnalyzerTest<FortyTwoAnalyzer>
        {
            TestCode = """
                class C
                {
                    int M() => [|42;|]
                }
                """,
        };

        var failure = await Assert.ThrowsAsync<VerificationException>(() => test.RunAsync());

        Assert.Contains("missing: TEST001 at /0/Test0.cs 3:16-3:19", failure.Message);
        Assert.Contains("unexpected: TEST001 (Warning) at /0/Test0.cs 3:16-3:18", failure.Message);
    }

    [Fact]
    public async Task Fails_WhenExpectedDiagnosticIsMissing()
    {
        var test = new AnalyzerTest<FortyTwoAnalyzer>
        {
            TestCode = """
                class C
                {
                    int M() => [|41|];
                }
                """,
        };

        var failure = await Assert.ThrowsAsync<VerificationException>(() => test.RunAsync());

        Assert.Contains("missing: TEST001 at /0/Test0.cs 3:16-3:18", failure.Message);
        Assert.DoesNotContain("unexpected:", failure.Message);
    }

    [Fact]
    public async Task Fails_WhenDiagnosticIsUnexpected()
    {
        var test = new AnalyzerTest<FortyTwoAnalyzer>
        {
            TestCode = """
                class C
                {
                    int M() => 42;
                }
                """,
        };

        var failure = await Assert.ThrowsAsync<VerificationException>(() => test.RunAsync());

        Assert.Contains("unexpected: TEST001 (Warning) at /0/Test0.cs 3:16-3:18: Literal '42' is the answer", failure.Message);
        Assert.DoesNotContain("missing:", failure.Message);
    }

    [Fact]
    public async Task Fails_WhenDiagnosticIsReportedInAnotherDocumentThanExpected()
    {
        var test = new AnalyzerTest<FortyTwoAnalyzer>
        {
            TestCode = """
                class C
                {
                    int M() => 42;
                }
                """,
            AdditionalSources =
            {
                """
                class D
                {
                    int M() => 41;
                }
                """,
            },
            ExpectedDiagnostics = { Diagnostic(FortyTwo.Id).WithSpan(3, 16, 3, 18).InDocument(1) },
        };

        var failure = await Assert.ThrowsAsync<VerificationException>(() => test.RunAsync());

        Assert.Contains("missing: TEST001 at /0/Test1.cs 3:16-3:18", failure.Message);
        Assert.Contains("unexpected: TEST001 (Warning) at /0/Test0.cs 3:16-3:18", failure.Message);
    }

    [Fact]
    public async Task Fails_WhenMessageArgumentsAreWrong()
    {
        var test = new AnalyzerTest<FortyTwoAnalyzer>
        {
            TestCode = """
                class C
                {
                    int M() => {|#0:42|};
                }
                """,
            ExpectedDiagnostics = { Diagnostic(FortyTwo.Id).WithLocation(0).WithArguments("41") },
        };

        var failure = await Assert.ThrowsAsync<VerificationException>(() => test.RunAsync());

        Assert.Contains("expected message \"Literal '41' is the answer\"", failure.Message);
    }

    [Fact]
    public async Task Fails_WhenSeverityIsWrong()
    {
        var test = new AnalyzerTest<FortyTwoAnalyzer>
        {
            TestCode = """
                class C
                {
                    int M() => {|#0:42|};
                }
                """,
            ExpectedDiagnostics = { Diagnostic(FortyTwo.Id).WithLocation(0).WithSeverity(DiagnosticSeverity.Error) },
        };

        var failure = await Assert.ThrowsAsync<VerificationException>(() => test.RunAsync());

        Assert.Contains("expected severity Error, got Warning", failure.Message);
    }

    [Fact]
    public async Task Fails_WhenAnalyzerThrows()
    {
        var test = new AnalyzerTest<ThrowingAnalyzer>
        {
            TestCode = """
                class C
                {
                    int M() => 41;
                }
                """,
        };

        var failure = await Assert.ThrowsAsync<VerificationException>(() => test.RunAsync());

        Assert.Contains("The analyzer threw (AD0001)", failure.Message);
        Assert.Contains("ThrowingAnalyzer always throws", failure.Message);
    }

    [Fact]
    public async Task Fails_WhenTestCodeHasUnmarkedCompileError()
    {
        var test = new AnalyzerTest<FortyTwoAnalyzer>
        {
            TestCode = """
                class C
                {
                    int M() => fortyTwo;
                }
                """,
        };

        var failure = await Assert.ThrowsAsync<VerificationException>(() => test.RunAsync());

        Assert.Contains("unexpected: CS0103 (Error) at /0/Test0.cs 3:16-3:24", failure.Message);
    }

    [Fact]
    public Task Passes_WhenCompileErrorIsMarked() => new AnalyzerTest<FortyTwoAnalyzer>
    {
        TestCode = """
            class C
            {
                int M() => {|CS0103:fortyTwo|} + [|42|];
            }
            """,
    }.RunAsync();

    [Fact]
    public Task Passes_WhenDescriptorDisabledByDefaultReports_BecauseEveryDescriptorIsEnabled() => new AnalyzerTest<DisabledByDefaultAnalyzer>
    {
        TestCode = """
            class C
            {
                int M() => [|42|];
            }
            """,
    }.RunAsync();
}
