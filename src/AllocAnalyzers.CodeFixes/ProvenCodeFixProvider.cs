using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using AllocAnalyzers.CodeFixes.FixAll;
using AllocAnalyzers.CodeFixes.Rewrites;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace AllocAnalyzers.CodeFixes;

/// <summary>
/// The base of every fixer in the package. Each fix is computed when it is offered, not when it is applied, so a fix
/// that cannot be shown to keep behaviour at a site — or whose result would not compile there — is never offered;
/// Fix All applies the same rewrite site by site in document order, re-planning each against the rewritten document.
/// </summary>
public abstract class ProvenCodeFixProvider : CodeFixProvider
{
    public sealed override FixAllProvider GetFixAllProvider() => new SequentialFixAllProvider(FixSiteAsync);

    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            var site = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            foreach (var (key, title) in GetCandidateFixes(diagnostic, site, model))
            {
                if (await FixSiteAsync(context.Document, site, key, context.CancellationToken).ConfigureAwait(false) is { } fixedDocument)
                {
                    context.RegisterCodeFix(CodeAction.Create(title, _ => Task.FromResult(fixedDocument), key), diagnostic);
                }
            }
        }
    }

    /// <summary>The fixes worth trying for a diagnostic, the preferred one first, as (equivalence key, title).</summary>
    protected abstract IEnumerable<(string EquivalenceKey, string Title)> GetCandidateFixes(Diagnostic diagnostic, SyntaxNode site, SemanticModel model);

    /// <summary>The document's new root with the fix applied at <paramref name="site"/>, or null when it cannot be proven safe there.</summary>
    protected abstract SyntaxNode? Rewrite(Document document, SemanticModel model, SyntaxNode root, SyntaxNode site, string equivalenceKey, CancellationToken cancellationToken);

    private async Task<Document?> FixSiteAsync(Document document, SyntaxNode site, string equivalenceKey, CancellationToken cancellationToken)
    {
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (model is null || root is null || Rewrite(document, model, root, site, equivalenceKey, cancellationToken) is not { } newRoot)
        {
            return null;
        }

        var newDocument = await DocumentRewrite.FinishAsync(document.WithSyntaxRoot(newRoot), cancellationToken).ConfigureAwait(false);
        return await DocumentRewrite.IntroducesErrorsAsync(document, newDocument, cancellationToken).ConfigureAwait(false) ? null : newDocument;
    }
}
