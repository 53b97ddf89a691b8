using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using AllocAnalyzers.Analysis;
using AllocAnalyzers.CodeFixes.FixAll;
using AllocAnalyzers.CodeFixes.Rewrites;
using AllocAnalyzers.Options;
using AllocAnalyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace AllocAnalyzers.CodeFixes.Rules;

/// <summary>
/// ALLOC003 fixes: "Use the requested length" where the rented length is read as data, and "Return the array in a
/// finally block" where a rented array is not returned on some path. Each site is analysed again in the document as it
/// is, so Fix All re-plans every site after the fixes before it.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ArrayPoolMisuseFixer)), Shared]
public sealed class ArrayPoolMisuseFixer : CodeFixProvider
{
    public const string UseRequestedLengthEquivalenceKey = RuleIds.ArrayPoolMisuse + ".UseRequestedLength";
    public const string ReturnInFinallyEquivalenceKey = RuleIds.ArrayPoolMisuse + ".ReturnInFinally";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.ArrayPoolMisuse);

    public override FixAllProvider GetFixAllProvider() => new SequentialFixAllProvider(FixSiteAsync);

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            var (key, title) = diagnostic.Properties.TryGetValue(ArrayPoolMisuseAnalyzer.CaseProperty, out var misuse) ? misuse switch
            {
                nameof(RentalMisuseKind.LengthAsDataLength) or nameof(RentalMisuseKind.WholeArrayAsData) => (UseRequestedLengthEquivalenceKey, "Use the requested length"),
                nameof(RentalMisuseKind.NotReturned) => (ReturnInFinallyEquivalenceKey, "Return the array in a finally block"),
                _ => (null, null),
            } : (null, null);
            if (key is null || title is null)
            {
                continue;
            }

            // Computed now, not when applied: a fix that cannot be shown to work here is not offered at all.
            var site = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            if (await FixSiteAsync(context.Document, site, key, context.CancellationToken).ConfigureAwait(false) is { } fixedDocument)
            {
                context.RegisterCodeFix(CodeAction.Create(title, _ => Task.FromResult(fixedDocument), key), diagnostic);
            }
        }
    }

    private static async Task<Document?> FixSiteAsync(Document document, SyntaxNode site, string equivalenceKey, CancellationToken cancellationToken)
    {
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (model is null || model.GetOperation(site, cancellationToken) is not { } operation)
        {
            return null;
        }

        var known = new KnownSymbols(model.Compilation);
        var userBorrowers = NonRetainingMethods.Read(document.Project.AnalyzerOptions.AnalyzerConfigOptionsProvider, model.SyntaxTree);
        RentalMisuse? found = null;
        foreach (var misuse in PoolRentals.FindMisusesAround(operation, known, userBorrowers, cancellationToken))
        {
            if (misuse.At.Span == site.Span && IsFixedBy(misuse.Kind, equivalenceKey))
            {
                found = misuse;
                break;
            }
        }

        if (found is not { } target)
        {
            return null;
        }

        var root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        var newRoot = equivalenceKey == UseRequestedLengthEquivalenceKey
            ? RequestedLengthRewrite.Apply(root, model, site, target, known, cancellationToken)
            : ReturnInFinallyRewrite.Apply(root, model, target, known, cancellationToken);
        if (newRoot is null)
        {
            return null;
        }

        var newDocument = await DocumentRewrite.FinishAsync(document.WithSyntaxRoot(newRoot), cancellationToken).ConfigureAwait(false);
        return await DocumentRewrite.IntroducesErrorsAsync(document, newDocument, cancellationToken).ConfigureAwait(false) ? null : newDocument;
    }

    private static bool IsFixedBy(RentalMisuseKind kind, string equivalenceKey) => equivalenceKey switch
    {
        UseRequestedLengthEquivalenceKey => kind is RentalMisuseKind.LengthAsDataLength or RentalMisuseKind.WholeArrayAsData,
        ReturnInFinallyEquivalenceKey => kind == RentalMisuseKind.NotReturned,
        _ => false,
    };
}
