using System;
using System.Text;

namespace AllocAnalyzers.AnalyzerOverhead;

/// <summary>Indented C# text that counts its lines, so the corpus stops at the size asked for.</summary>
internal sealed class CodeWriter
{
    private readonly StringBuilder _text = new();
    private int _indent;
    private bool _continuesPrevious;

    public int Lines { get; private set; }

    /// <summary>Writes each line of <paramref name="block"/> at the current indentation; '{' and '}' lines indent.</summary>
    public void Write(string block)
    {
        foreach (var raw in block.Split('\n'))
        {
            Line(raw.TrimEnd('\r'));
        }
    }

    public void Line(string line = "")
    {
        var trimmed = line.Trim();
        if (trimmed.StartsWith('}'))
        {
            _indent--;
        }

        if (trimmed.Length == 0)
        {
            _text.Append('\n');
        }
        else
        {
            // Continuation lines (after '=>' or '(', of a fluent chain or a constraint) sit one level deeper than their statement.
            var continuation = (_continuesPrevious && !trimmed.StartsWith('{')) || trimmed.StartsWith('.') || trimmed.StartsWith("where ", StringComparison.Ordinal) ? 1 : 0;
            _text.Append(' ', 4 * Math.Max(_indent + continuation, 0)).Append(trimmed).Append('\n');
        }

        Lines++;
        _continuesPrevious = trimmed.EndsWith("=>", StringComparison.Ordinal) || trimmed.EndsWith('(');
        if (trimmed.EndsWith('{') || (trimmed.StartsWith('{') && !trimmed.EndsWith('}')))
        {
            _indent++;
        }
    }

    public override string ToString() => _text.ToString();
}
