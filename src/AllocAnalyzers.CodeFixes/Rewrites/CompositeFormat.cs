using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace AllocAnalyzers.CodeFixes.Rewrites;

/// <summary>One piece of a composite format string: literal text, or a format item <c>{index[,alignment][:format]}</c>.</summary>
internal sealed class FormatPiece
{
    public FormatPiece(string? text, int index, string? alignment, string? format)
    {
        Text = text;
        Index = index;
        Alignment = alignment;
        Format = format;
    }

    public string? Text { get; }
    public int Index { get; }
    public string? Alignment { get; }
    public string? Format { get; }
    public bool IsItem => Text is null;
}

/// <summary>
/// A composite format string (<c>"{0,-8} {1:X2}"</c>) split the way <c>string.Format</c> reads it. Only the plain shapes
/// are accepted: anything unusual (braces or quotes inside a format specifier, bad indices) is not parsed, so no fix is offered.
/// </summary>
internal static class CompositeFormat
{
    public static List<FormatPiece>? Parse(string format, int argumentCount)
    {
        var pieces = new List<FormatPiece>();
        var text = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if (c == '}')
            {
                if (i + 1 < format.Length && format[i + 1] == '}')
                {
                    text.Append('}');
                    i++;
                    continue;
                }

                return null;
            }

            if (c != '{')
            {
                text.Append(c);
                continue;
            }

            if (i + 1 < format.Length && format[i + 1] == '{')
            {
                text.Append('{');
                i++;
                continue;
            }

            var close = format.IndexOf('}', i + 1);
            if (close < 0)
            {
                return null;
            }

            var item = format.Substring(i + 1, close - i - 1);
            if (ParseItem(item, argumentCount) is not { } piece)
            {
                return null;
            }

            if (text.Length > 0)
            {
                pieces.Add(new FormatPiece(text.ToString(), -1, null, null));
                text.Clear();
            }

            pieces.Add(piece);
            i = close;
        }

        if (text.Length > 0)
        {
            pieces.Add(new FormatPiece(text.ToString(), -1, null, null));
        }

        return pieces;
    }

    private static FormatPiece? ParseItem(string item, int argumentCount)
    {
        string? format = null;
        var colon = item.IndexOf(':');
        if (colon >= 0)
        {
            format = item.Substring(colon + 1);
            item = item.Substring(0, colon);
            if (format.Length == 0 || format.IndexOfAny(new[] { '{', '"', '\\', '\n', '\r' }) >= 0)
            {
                return null;
            }
        }

        string? alignment = null;
        var comma = item.IndexOf(',');
        if (comma >= 0)
        {
            alignment = item.Substring(comma + 1).Trim();
            item = item.Substring(0, comma);
            if (!int.TryParse(alignment, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
            {
                return null;
            }
        }

        return int.TryParse(item.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < argumentCount
            ? new FormatPiece(null, index, alignment, format)
            : null;
    }

    /// <summary>Literal text as the inside of a regular C# interpolated string literal.</summary>
    public static string EscapeForInterpolation(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            switch (c)
            {
                case '{': builder.Append("{{"); break;
                case '}': builder.Append("}}"); break;
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\0': builder.Append("\\0"); break;
                default:
                    if (char.IsControl(c) || char.IsSurrogate(c) || c is '\u2028' or '\u2029' or '\u0085')
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.ToString();
    }
}
