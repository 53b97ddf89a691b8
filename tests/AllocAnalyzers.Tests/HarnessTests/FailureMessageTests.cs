using System.Linq;
using System.Threading.Tasks;
using AllocAnalyzers.Tests.Harness;

namespace AllocAnalyzers.Tests.HarnessTests;

/// <summary>A failing test prints the actual diagnostics as markup that can be pasted back into the test.</summary>
public sealed class FailureMessageTests
{
    [Fact]
    public async Task ShowsActualDiagnosticsAsMarkup()
    {
        var test = new AnalyzerTest<FortyTwoAnalyzer>
        {
            TestCode = """
                class C
                {
                    int M() => 42;
                    int N() => 0x2A + [|41|];
                }
                """,
        };

        var failure = await Assert.ThrowsAsync<VerificationException>(() => test.RunAsync());

        Assert.Contains(Lines("""
            class C
            {
                int M() => {|TEST001:42|};
                int N() => {|TEST001:0x2A|} + 41;
            }
            """), Lines(failure.Message));
    }

    [Fact]
    public async Task ShowsActualDiagnosticsAsMarkup_ForEveryDocument()
    {
        var test = new AnalyzerTest<FortyTwoAnalyzer>
        {
            TestCode = "class C { int M() => 41; }",
            AdditionalSources = { "class D { int M() => 42; }" },
            OtherProjectSources = { "class E { int M() => 42; }" },
        };

        var failure = await Assert.ThrowsAsync<VerificationException>(() => test.RunAsync());

        Assert.Contains(Lines("""
            // /0/Test0.cs
            class C { int M() => 41; }
            """), Lines(failure.Message));
        Assert.Contains(Lines("""
            // /0/Test1.cs
            class D { int M() => {|TEST001:42|}; }
            """), Lines(failure.Message));
        Assert.Contains(Lines("""
            // /1/Test2.cs
            class E { int M() => {|TEST001:42|}; }
            """), Lines(failure.Message));
    }

    [Theory]
    [InlineData("class C { int M() => {|TEST003:{|TEST001:42|} + 1|}; }")]
    [InlineData("class C { int M() => {|TEST003:1 + {|TEST001:42|}|}; }")]
    [InlineData("class C { int M() => {|TEST003:{|TEST001:42|} + {|TEST001:42|}|}; }")]
    [InlineData("class C { int M() => {|TEST001:42|}{|CS1002:x|}{|CS1519:{|CS1519:;|}|} }")]
    [InlineData("class C { int M() => {|TEST001:42|}{|CS1513:{|CS1002:|}|}")]
    [InlineData("class C { int M() => ({|TEST001:42|}{|CS1026:;|} }")]
    public async Task ShowsNestedAdjacentAndEmptySpansAsMarkupThatParsesBackToThem(string expected)
    {
        var test = new AnalyzerTest<NestedSumAnalyzer> { TestCode = Markup.Parse(expected).Text };

        var failure = await Assert.ThrowsAsync<VerificationException>(() => test.RunAsync());

        var shown = Lines(failure.Message).Split('\n').Single(line => line.StartsWith("class C", System.StringComparison.Ordinal));
        Assert.Equal(expected, shown);
    }

    private static string Lines(string text) => text.ReplaceLineEndings("\n");
}
