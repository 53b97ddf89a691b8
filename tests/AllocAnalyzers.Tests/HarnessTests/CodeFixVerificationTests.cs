using System.Threading.Tasks;
using AllocAnalyzers.Tests.Harness;

namespace AllocAnalyzers.Tests.HarnessTests;

/// <summary>
/// CodeFixTest applies fixes one at a time and checks the result: equal to FixedCode, compiling, converging without
/// loops, with only the diagnostics marked in FixedCode left; FixedCode == TestCode means no fix may be offered.
/// </summary>
public sealed class CodeFixVerificationTests
{
    private const string TwoAnswers = """
        class C
        {
            int M() => [|42|];
            int N() => 1 + [|42|];
        }
        """;

    private const string OneAnswer = """
        class C
        {
            int M() => [|42|];
        }
        """;

    [Fact]
    public Task Passes_WhenFixProducesFixedCode() => new CodeFixTest<FortyTwoAnalyzer, FortyThreeFixer>
    {
        TestCode = TwoAnswers,
        FixedCode = """
            class C
            {
                int M() => 43;
                int N() => 1 + 43;
            }
            """,
    }.RunAsync();

    [Fact]
    public async Task Fails_WhenFixedCodeDiffers()
    {
        var test = new CodeFixTest<FortyTwoAnalyzer, FortyThreeFixer>
        {
            TestCode = OneAnswer,
            FixedCode = """
                class C
                {
                    int M() => 44;
                }
                """,
        };

        var failure = await Assert.ThrowsAsync<VerificationException>(() => test.RunAsync());

        Assert.Contains("Fixed code (one fix at a time) of /0/Test0.cs differs", failure.Message);
        Assert.Contains("First difference: line 3", failure.Message);
        Assert.Contains("int M() => 43;", failure.Message);
    }

    [Fact]
    public async Task Fails_WhenFixDoesNotCompile()
    {
        var test = new CodeFixTest<FortyTwoAnalyzer, UncompilableFixer>
        {
            TestCode = OneAnswer,
            FixedCode = """
                class C
                {
                    int M() => fortyThree;
                }
                """,
        };

        var failure = await Assert.ThrowsAsync<VerificationException>(() => test.RunAsync());

        Assert.Contains("Fixed code (one fix at a time) has new compiler diagnostics", failure.Message);
        Assert.Contains("CS0103", failure.Message);
    }

    [Fact]
    public async Task Fails_WhenFixesLoop()
    {
        var test = new CodeFixTest<FortyTwoAnalyzer, TogglingFixer>
        {
            TestCode = OneAnswer,
            FixedCode = """
                class C
                {
                    int M() => 0x2A;
                }
                """,
        };

        var failure = await Assert.ThrowsAsync<VerificationException>(() => test.RunAsync());

        Assert.Contains("Fix loop detected", failure.Message);
    }

    [Fact]
    public async Task Fails_WhenFixesDoNotConverge()
    {
        var test = new CodeFixTest<FortyTwoAnalyzer, ParenthesizingFixer>
        {
            TestCode = OneAnswer,
            FixedCode = """
                class C
                {
                    int M() => ([|42|]);
                }
                """,
        };

        var failure = await Assert.ThrowsAsync<VerificationException>(() => test.RunAsync());

        Assert.Contains("did not converge", failure.Message);
    }

    [Fact]
    public async Task Fails_WhenFixedCodeKeepsAnUnmarkedDiagnostic()
    {
        var test = new CodeFixTest<FortyTwoAnalyzer, CommentingFixer>
        {
            TestCode = OneAnswer,
            FixedCode = """
                class C
                {
                    int M() => 42 /* answer */;
                }
                """,
        };

        var failure = await Assert.ThrowsAsync<VerificationException>(() => test.RunAsync());

        Assert.Contains("Diagnostics of the fixed code (one fix at a time) differ", failure.Message);
        Assert.Contains("{|TEST001:42|} /* answer */", failure.Message);
    }

    [Fact]
    public Task Passes_WhenDiagnosticLeftAfterFixIsMarkedInFixedCode() => new CodeFixTest<FortyTwoAnalyzer, CommentingFixer>
    {
        TestCode = OneAnswer,
        FixedCode = """
            class C
            {
                int M() => [|42|] /* answer */;
            }
            """,
    }.RunAsync();

    [Fact]
    public async Task Fails_WhenNoFixIsExpectedButOneIsOffered()
    {
        var test = new CodeFixTest<FortyTwoAnalyzer, FortyThreeFixer>
        {
            TestCode = OneAnswer,
            FixedCode = OneAnswer,
        };

        var failure = await Assert.ThrowsAsync<VerificationException>(() => test.RunAsync());

        Assert.Contains("Expected no fix for", failure.Message);
        Assert.Contains("the fixer offered: Use 43", failure.Message);
    }

    [Fact]
    public Task Passes_WhenNoFixIsExpectedAndNoneIsOffered() => new CodeFixTest<FortyTwoAnalyzer, NeverOffersFixer>
    {
        TestCode = OneAnswer,
        FixedCode = OneAnswer,
    }.RunAsync();

    [Fact]
    public Task AppliesFirstOfferedFix_WhenNoEquivalenceKeyIsGiven() => new CodeFixTest<FortyTwoAnalyzer, TwoChoicesFixer>
    {
        TestCode = TwoAnswers,
        FixedCode = """
            class C
            {
                int M() => 43;
                int N() => 1 + 43;
            }
            """,
    }.RunAsync();

    [Fact]
    public Task AppliesFixWithGivenEquivalenceKey_OneAtATimeAndInFixAll() => new CodeFixTest<FortyTwoAnalyzer, TwoChoicesFixer>
    {
        TestCode = TwoAnswers,
        CodeActionEquivalenceKey = "TEST001.To41",
        FixedCode = """
            class C
            {
                int M() => 41;
                int N() => 1 + 41;
            }
            """,
    }.RunAsync();

    [Fact]
    public async Task Fails_WhenFixedCodeExpectsTheOtherEquivalenceKey()
    {
        var test = new CodeFixTest<FortyTwoAnalyzer, TwoChoicesFixer>
        {
            TestCode = OneAnswer,
            CodeActionEquivalenceKey = "TEST001.To41",
            FixedCode = """
                class C
                {
                    int M() => 43;
                }
                """,
        };

        var failure = await Assert.ThrowsAsync<VerificationException>(() => test.RunAsync());

        Assert.Contains("First difference: line 3", failure.Message);
        Assert.Contains("int M() => 41;", failure.Message);
    }
}
