using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace AllocAnalyzers.Tests.Harness;

/// <summary>A span marked in test source: <c>[|…|]</c> (no name), <c>{|ID:…|}</c> or <c>{|#0:…|}</c>.</summary>
public sealed record MarkedSpan(string? Name, TextSpan Span)
{
    public bool IsLocationKey => Name is not null && Name.StartsWith("#", StringComparison.Ordinal);
}

/// <summary>Parses diagnostic markup out of test source.</summary>
public static class Markup
{
    public static (string Text, IReadOnlyList<MarkedSpan> Spans) Parse(string markup)
    {
        var text = new StringBuilder(markup.Length);
        var spans = new List<MarkedSpan>();
        var open = new Stack<(string? Name, int Start)>();
        for (var i = 0; i < markup.Length; i++)
        {
            if (Starts(markup, i, "[|"))
            {
                open.Push((null, text.Length));
                i++;
            }
            else if (Starts(markup, i, "{|"))
            {
                var colon = markup.IndexOf(':', i + 2);
                if (colon < 0)
                {
                    throw new FormatException($"Markup '{{|' at offset {i} has no ':' after its name.");
                }

                var name = markup.Substring(i + 2, colon - i - 2);
                if (name.Length == 0 || !name.All(c => char.IsLetterOrDigit(c) || c == '_' || c == '#'))
                {
                    // Otherwise a missing ':' would take everything up to the next one as the name.
                    throw new FormatException($"Markup '{{|' at offset {i} has name '{name}', which is neither a diagnostic id nor a #key.");
                }

                open.Push((name, text.Length));
                i = colon;
            }
            else if (Starts(markup, i, "|]") || Starts(markup, i, "|}"))
            {
                var closesNamed = markup[i + 1] == '}';
                if (open.Count == 0 || (open.Peek().Name is not null) != closesNamed)
                {
                    throw new FormatException($"Markup '{markup.Substring(i, 2)}' at offset {i} closes nothing that it matches.");
                }

                var (name, start) = open.Pop();
                spans.Add(new MarkedSpan(name, TextSpan.FromBounds(start, text.Length)));
                i++;
            }
            else
            {
                text.Append(markup[i]);
            }
        }

        if (open.Count > 0)
        {
            throw new FormatException("Markup has an unclosed span.");
        }

        return (text.ToString(), spans);
    }

    private static bool Starts(string text, int index, string token) =>
        string.CompareOrdinal(text, index, token, 0, token.Length) == 0;
}
