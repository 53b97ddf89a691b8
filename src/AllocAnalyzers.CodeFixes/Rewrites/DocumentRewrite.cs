using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace AllocAnalyzers.CodeFixes.Rewrites;

/// <summary>Finishing and checking a rewritten document, the same way for every fix.</summary>
internal static class DocumentRewrite
{
    /// <summary>Adds the <c>using</c> directives the new code needs, simplifies annotated names and formats annotated nodes.</summary>
    public static async Task<Document> FinishAsync(Document document, CancellationToken cancellationToken)
    {
        document = await ImportAdder.AddImportsAsync(document, Simplifier.AddImportsAnnotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        document = await Simplifier.ReduceAsync(document, Simplifier.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await Formatter.FormatAsync(document, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Whether <paramref name="after"/> has more compiler errors than <paramref name="before"/>: the last guard that keeps
    /// a fix from being offered where the rewrite cannot be expressed (language version, async restrictions, …).
    /// </summary>
    public static async Task<bool> IntroducesErrorsAsync(Document before, Document after, CancellationToken cancellationToken)
    {
        // Judge the text, as the user's build will: a tree built in memory can bind and still print as code that does not parse.
        after = after.WithText(await after.GetTextAsync(cancellationToken).ConfigureAwait(false));
        var beforeModel = await before.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        var afterModel = await after.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (beforeModel is null || afterModel is null)
        {
            return true;
        }

        var beforeErrors = beforeModel.GetDiagnostics(cancellationToken: cancellationToken).Count(d => d.Severity == DiagnosticSeverity.Error);
        var afterErrors = afterModel.GetDiagnostics(cancellationToken: cancellationToken).Count(d => d.Severity == DiagnosticSeverity.Error);
        return afterErrors > beforeErrors;
    }
}
