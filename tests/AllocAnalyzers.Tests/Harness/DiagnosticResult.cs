using System;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace AllocAnalyzers.Tests.Harness;

/// <summary>An expected diagnostic: id, where (a markup key or a span), and optionally severity and message.</summary>
public sealed record DiagnosticResult
{
    public DiagnosticResult(string id) => Id = id;

    public string Id { get; init; }
    public DiagnosticSeverity? Severity { get; init; }
    public int? LocationKey { get; init; }
    /// <summary>0-based line/column span in document <see cref="DocumentIndex"/>.</summary>
    public LinePositionSpan? Span { get; init; }
    public int DocumentIndex { get; init; }
    public object?[]? Arguments { get; init; }
    public string? Message { get; init; }

    public static DiagnosticResult Diagnostic(string id) => new(id);

    public DiagnosticResult WithLocation(int markupKey) => this with { LocationKey = markupKey };

    /// <summary>1-based lines and columns, as printed by the compiler and by a failing test.</summary>
    public DiagnosticResult WithSpan(int startLine, int startColumn, int endLine, int endColumn) =>
        this with { Span = new LinePositionSpan(new LinePosition(startLine - 1, startColumn - 1), new LinePosition(endLine - 1, endColumn - 1)) };

    public DiagnosticResult InDocument(int index) => this with { DocumentIndex = index };

    public DiagnosticResult WithSeverity(DiagnosticSeverity severity) => this with { Severity = severity };

    public DiagnosticResult WithArguments(params object?[] arguments) => this with { Arguments = arguments };

    public DiagnosticResult WithMessage(string message) => this with { Message = message };

    /// <summary>The message this expectation checks, if any, given the descriptor that reports it.</summary>
    internal string? ExpectedMessage(DiagnosticDescriptor? descriptor)
    {
        if (Message is not null)
        {
            return Message;
        }

        if (Arguments is null || descriptor is null)
        {
            return null;
        }

        return string.Format(CultureInfo.InvariantCulture, descriptor.MessageFormat.ToString(CultureInfo.InvariantCulture), Arguments);
    }

    public override string ToString() =>
        FormattableString.Invariant($"{Id}{(Span is { } s ? $" at {s.Start.Line + 1}:{s.Start.Character + 1}-{s.End.Line + 1}:{s.End.Character + 1}" : LocationKey is { } k ? $" at #{k}" : "")}{(Severity is { } sev ? $" ({sev})" : "")}");
}
