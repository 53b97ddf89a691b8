using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using AllocAnalyzers.Analysis;
using AllocAnalyzers.CodeFixes.FixAll;
using AllocAnalyzers.CodeFixes.Rewrites;
using AllocAnalyzers.Options;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Editing;

namespace AllocAnalyzers.CodeFixes.Rules;

/// <summary>
/// ALLOC001 fixes: "Rent from ArrayPool&lt;T&gt;.Shared" (first) and "Reuse one buffer across iterations". Both share
/// <see cref="BufferRewrite"/>, which bounds length-dependent uses, proves indexes and clears stale contents.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PerIterationArrayFixer)), Shared]
public sealed class PerIterationArrayFixer : CodeFixProvider
{
    public const string RentEquivalenceKey = RuleIds.PerIterationArray + ".RentFromArrayPool";
    public const string ReuseEquivalenceKey = RuleIds.PerIterationArray + ".ReuseOneBuffer";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.PerIterationArray);

    public override FixAllProvider GetFixAllProvider() => new SequentialFixAllProvider(FixSiteAsync);

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
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
            var elementType = (model.GetTypeInfo(site, context.CancellationToken).Type as IArrayTypeSymbol)?.ElementType;
            var elementName = elementType?.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) ?? "T";

            // Computed now, not when applied: a fix that cannot be proven safe here is not offered at all.
            foreach (var (key, title) in new[] { (RentEquivalenceKey, $"Rent from ArrayPool<{elementName}>.Shared"), (ReuseEquivalenceKey, "Reuse one buffer across iterations") })
            {
                if (await FixSiteAsync(context.Document, site, key, context.CancellationToken).ConfigureAwait(false) is { } fixedDocument)
                {
                    context.RegisterCodeFix(CodeAction.Create(title, _ => Task.FromResult(fixedDocument), key), diagnostic);
                }
            }
        }
    }

    private static async Task<Document?> FixSiteAsync(Document document, SyntaxNode site, string equivalenceKey, CancellationToken cancellationToken)
    {
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (model is null || model.GetOperation(site, cancellationToken) is not { } allocation)
        {
            return null;
        }

        var known = new KnownSymbols(model.Compilation);
        if (!ArrayAllocations.IsVariableSizeAllocation(allocation, known, out _) ||
            !ArrayEscape.IsPerIterationTemporary(allocation, known, NonRetainingMethods.Read(document.Project.AnalyzerOptions.AnalyzerConfigOptionsProvider, model.SyntaxTree), collectUses: true, cancellationToken, out var temporary, perCallOutsideLoops: true) ||
            temporary is null ||
            ArrayAllocations.MayBePinned(allocation) ||
            BufferRewrite.TryCreate(temporary, model, known, cancellationToken) is not { } plan)
        {
            return null;
        }

        var root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        var generator = SyntaxGenerator.GetGenerator(document);
        var newRoot = equivalenceKey switch
        {
            RentEquivalenceKey => ArrayPoolRentalRewrite.Apply(root, plan, known, generator),
            ReuseEquivalenceKey => ReusedBufferRewrite.Apply(root, plan, model, generator),
            _ => null,
        };
        if (newRoot is null)
        {
            return null;
        }

        var newDocument = await DocumentRewrite.FinishAsync(document.WithSyntaxRoot(newRoot), cancellationToken).ConfigureAwait(false);
        return await DocumentRewrite.IntroducesErrorsAsync(document, newDocument, cancellationToken).ConfigureAwait(false) ? null : newDocument;
    }

}
