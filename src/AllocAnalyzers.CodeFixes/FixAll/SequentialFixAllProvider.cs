using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace AllocAnalyzers.CodeFixes.FixAll;

/// <summary>
/// Fix All that applies a document's fixes one after another in document order (as one-at-a-time fixing does),
/// re-planning each against the already-rewritten document. Merging independent text edits would lose overlapping rewrites (a fix that wraps the
/// rest of a block in <c>try</c> contains the next site), so each site is found again through an annotation.
/// </summary>
internal sealed class SequentialFixAllProvider : FixAllProvider
{
    private const string TargetAnnotationKind = "AllocAnalyzers.FixAllTarget";

    /// <summary>Rewrites the annotated site in a document, or returns null when the fix cannot be applied there.</summary>
    public delegate Task<Document?> FixSite(Document document, SyntaxNode site, string equivalenceKey, CancellationToken cancellationToken);

    private readonly FixSite _fixSite;

    public SequentialFixAllProvider(FixSite fixSite) => _fixSite = fixSite;

    public override IEnumerable<FixAllScope> GetSupportedFixAllScopes() =>
        new[] { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution };

    public override async Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext)
    {
        var diagnosticsByDocument = await GetDiagnosticsByDocumentAsync(fixAllContext).ConfigureAwait(false);
        if (diagnosticsByDocument.Count == 0)
        {
            return null;
        }

        var equivalenceKey = fixAllContext.CodeActionEquivalenceKey ?? "";
        var solution = fixAllContext.Solution;
        return CodeAction.Create(
            fixAllContext.CodeActionEquivalenceKey is { } key ? "Fix all: " + key : "Fix all",
            async cancellationToken =>
            {
                var result = solution;
                foreach (var pair in diagnosticsByDocument)
                {
                    var fixedDocument = await FixDocumentAsync(pair.Key, pair.Value, equivalenceKey, cancellationToken).ConfigureAwait(false);
                    result = result.WithDocumentSyntaxRoot(pair.Key.Id, (await fixedDocument.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!);
                }

                return result;
            },
            equivalenceKey);
    }

    private async Task<Document> FixDocumentAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string equivalenceKey, CancellationToken cancellationToken)
    {
        var root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        var annotations = new List<SyntaxAnnotation>();
        var sites = new Dictionary<SyntaxNode, SyntaxAnnotation>();
        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            if (!sites.ContainsKey(node))
            {
                var annotation = new SyntaxAnnotation(TargetAnnotationKind, annotations.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
                annotations.Add(annotation);
                sites.Add(node, annotation);
            }
        }

        document = document.WithSyntaxRoot(root.ReplaceNodes(sites.Keys, (original, rewritten) => rewritten.WithAdditionalAnnotations(sites[original])));
        for (var i = 0; i < annotations.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var currentRoot = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
            var site = currentRoot.GetAnnotatedNodes(annotations[i]).FirstOrDefault();
            if (site is null)
            {
                continue;
            }

            var fixedDocument = await _fixSite(document, site, equivalenceKey, cancellationToken).ConfigureAwait(false);
            if (fixedDocument is not null)
            {
                document = fixedDocument;
            }
        }

        return document;
    }

    private static async Task<Dictionary<Document, ImmutableArray<Diagnostic>>> GetDiagnosticsByDocumentAsync(FixAllContext context)
    {
        var result = new Dictionary<Document, ImmutableArray<Diagnostic>>();
        IEnumerable<Document> documents = context.Scope switch
        {
            FixAllScope.Document when context.Document is not null => new[] { context.Document },
            FixAllScope.Project => context.Project.Documents,
            FixAllScope.Solution => context.Solution.Projects.SelectMany(p => p.Documents),
            _ => Array.Empty<Document>(),
        };

        foreach (var document in documents)
        {
            var diagnostics = await context.GetDocumentDiagnosticsAsync(document).ConfigureAwait(false);
            if (!diagnostics.IsEmpty)
            {
                result[document] = diagnostics;
            }
        }

        return result;
    }
}
