using System.Threading.Tasks;
using AllocAnalyzers.Tests.Harness;
using Microsoft.CodeAnalysis.CodeFixes;

namespace AllocAnalyzers.Tests.HarnessTests;

/// <summary>CodeFixTest also applies Fix All in Document, Project and Solution scope and expects FixedCode from each.</summary>
public sealed class FixAllVerificationTests
{
    private const string OneAnswer = """
        class C
        {
            int M() => [|42|];
        }
        """;

    private const string OneAnswerFixed = """
        class C
        {
            int M() => 43;
        }
        """;

    [Fact]
    public Task Passes_InEveryScope_ForSeveralDocumentsInTwoProjects() => new CodeFixTest<FortyTwoAnalyzer, FortyThreeFixer>
    {
        TestCode = """
            class C
            {
                int M() => [|42|] + [|42|];
            }
            """,
        AdditionalSources =
        {
            """
            class D
            {
                int M() => [|0x2A|];
            }
            """,
        },
        OtherProjectSources =
        {
            """
            class E
            {
                int M() => [|42|];
            }
            """,
            """
            class F
            {
                int M() => 41 + [|42|];
            }
            """,
        },
        FixedCode = """
            class C
            {
                int M() => 43 + 43;
            }
            """,
        FixedAdditionalSources =
        {
            """
            class D
            {
                int M() => 43;
            }
            """,
        },
        FixedOtherProjectSources =
        {
            """
            class E
            {
                int M() => 43;
            }
            """,
            """
            class F
            {
                int M() => 41 + 43;
            }
            """,
        },
        FixAllScopes = new[] { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution },
    }.RunAsync();

    [Fact]
    public async Task Fails_WhenFixerHasNoFixAllProvider()
    {
        var test = new CodeFixTest<FortyTwoAnalyzer, NoFixAllFixer> { TestCode = OneAnswer, FixedCode = OneAnswerFixed };

        var failure = await Assert.ThrowsAsync<VerificationException>(() => test.RunAsync());

        Assert.Contains("NoFixAllFixer has no Fix All provider", failure.Message);
    }

    [Fact]
    public async Task Fails_WhenFixAllDoesNotSupportProjectScope()
    {
        var test = new CodeFixTest<FortyTwoAnalyzer, DocumentOnlyFixAllFixer> { TestCode = OneAnswer, FixedCode = OneAnswerFixed };

        var failure = await Assert.ThrowsAsync<VerificationException>(() => test.RunAsync());

        Assert.Contains("DocumentOnlyFixAllFixer does not support Fix All in Project scope", failure.Message);
    }

    [Theory]
    [InlineData(FixAllScope.Document)]
    [InlineData(FixAllScope.Project)]
    [InlineData(FixAllScope.Solution)]
    public async Task Fails_WhenFixAllResultDiffersFromOneAtATime(FixAllScope scope)
    {
        var test = new CodeFixTest<FortyTwoAnalyzer, InconsistentFixAllFixer>
        {
            TestCode = OneAnswer,
            FixedCode = OneAnswerFixed,
            FixAllScopes = new[] { scope },
        };

        var failure = await Assert.ThrowsAsync<VerificationException>(() => test.RunAsync());

        Assert.Contains($"Fixed code (Fix All in {scope} scope) of /0/Test0.cs differs", failure.Message);
    }

    [Fact]
    public Task Passes_WhenBatchFixedCodeStatesTheDifferentFixAllResult() => new CodeFixTest<FortyTwoAnalyzer, InconsistentFixAllFixer>
    {
        TestCode = OneAnswer,
        FixedCode = OneAnswerFixed,
        BatchFixedCode = """
            class C
            {
                int M() => 44;
            }
            """,
    }.RunAsync();

    [Fact]
    public async Task Fails_WhenFixedCodeOfTheSecondProjectDiffers()
    {
        var test = new CodeFixTest<FortyTwoAnalyzer, FortyThreeFixer>
        {
            TestCode = OneAnswer,
            OtherProjectSources = { OneAnswer },
            FixedCode = OneAnswerFixed,
            FixedOtherProjectSources =
            {
                """
                class C
                {
                    int M() => 42;
                }
                """,
            },
        };

        var failure = await Assert.ThrowsAsync<VerificationException>(() => test.RunAsync());

        Assert.Contains("of /1/Test1.cs differs", failure.Message);
    }
}
