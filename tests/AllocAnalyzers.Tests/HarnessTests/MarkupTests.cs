using System;
using AllocAnalyzers.Tests.Harness;
using Microsoft.CodeAnalysis.Text;

namespace AllocAnalyzers.Tests.HarnessTests;

/// <summary>Markup: <c>[|…|]</c>, <c>{|ID:…|}</c> and <c>{|#0:…|}</c>, nested, with unbalanced markup rejected.</summary>
public sealed class MarkupTests
{
    [Fact]
    public void RemovesMarkup_AndKeepsTheText()
    {
        var (text, _) = Markup.Parse("int x = [|42|] + {|CS0103:y|} + {|#0:z|};");

        Assert.Equal("int x = 42 + y + z;", text);
    }

    [Fact]
    public void NamesEachKindOfSpan()
    {
        var (_, spans) = Markup.Parse("a [|b|] {|TEST001:c|} {|#3:d|}");

        Assert.Equal(
            new[] { new MarkedSpan(null, new TextSpan(2, 1)), new MarkedSpan("TEST001", new TextSpan(4, 1)), new MarkedSpan("#3", new TextSpan(6, 1)) },
            spans);
        Assert.True(spans[2].IsLocationKey);
        Assert.False(spans[1].IsLocationKey);
    }

    [Fact]
    public void HandlesNestedSpans()
    {
        var (text, spans) = Markup.Parse("x = {|#0:f([|42|], {|CS0103:y|})|};");

        Assert.Equal("x = f(42, y);", text);
        Assert.Contains(new MarkedSpan("#0", TextSpan.FromBounds(4, 12)), spans);
        Assert.Contains(new MarkedSpan(null, TextSpan.FromBounds(6, 8)), spans);
        Assert.Contains(new MarkedSpan("CS0103", TextSpan.FromBounds(10, 11)), spans);
    }

    [Fact]
    public void HandlesEmptySpans()
    {
        var (text, spans) = Markup.Parse("a[||]b");

        Assert.Equal("ab", text);
        Assert.Equal(new MarkedSpan(null, new TextSpan(1, 0)), Assert.Single(spans));
    }

    [Theory]
    [InlineData("int x = [|42;")]
    [InlineData("int x = 42|];")]
    [InlineData("int x = {|TEST001:42;")]
    [InlineData("int x = 42|};")]
    [InlineData("int x = [|42|};")]
    [InlineData("int x = {|TEST001:42|];")]
    [InlineData("int x = {|TEST001 42|};")]
    [InlineData("int x = [|{|#0:42|]|};")]
    public void RejectsUnbalancedMarkup(string markup)
    {
        Assert.Throws<FormatException>(() => Markup.Parse(markup));
    }

    [Theory]
    [InlineData("int x = {|TEST001 42|} + {|#0:y|};")]
    [InlineData("int x = {|:42|};")]
    public void RejectsSpanNameThatIsNotAnIdOrKey(string markup)
    {
        var failure = Assert.Throws<FormatException>(() => Markup.Parse(markup));

        Assert.Contains("name", failure.Message);
    }
}
