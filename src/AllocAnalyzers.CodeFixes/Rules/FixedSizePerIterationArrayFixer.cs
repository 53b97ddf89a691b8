using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
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

/// <summary>ALLOC002 fixes: "Hoist the array out of the loop" (first) and "Use a stackalloc'd span".</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(FixedSizePerIterationArrayFixer)), Shared]
public sealed class FixedSizePerIterationArrayFixer : CodeFixProvider
{
    public const string HoistEquivalenceKey = RuleIds.FixedSizePerIterationArray + ".HoistArray";
    public const string StackallocEquivalenceKey = RuleIds.FixedSizePerIterationArray + ".UseStackallocSpan";

    /// <summary>The largest stackalloc the fix creates, in bytes: <c>ALLOC002.stackalloc_max_bytes</c>.</summary>
    public const string StackallocMaxBytesKey = RuleIds.FixedSizePerIterationArray + ".stackalloc_max_bytes";
    public const int DefaultStackallocMaxBytes = 1024;

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.FixedSizePerIterationArray);

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
            var site = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            foreach (var (key, title) in new[] { (HoistEquivalenceKey, "Hoist the array out of the loop"), (StackallocEquivalenceKey, "Use a stackalloc'd span") })
            {
                // Computed now, not when applied: a fix that cannot be proven safe here is not offered at all.
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
        var options = document.Project.AnalyzerOptions.AnalyzerConfigOptionsProvider;
        if (!ArrayAllocations.IsConstantSizeAllocation(allocation, out _) ||
            !ArrayEscape.IsPerIterationTemporary(allocation, known, NonRetainingMethods.Read(options, model.SyntaxTree), collectUses: true, cancellationToken, out var temporary, perCallOutsideLoops: true) ||
            temporary is null ||
            FixedArrayRewrite.TryCreate(temporary, model, known, cancellationToken) is not { } plan)
        {
            return null;
        }

        var root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        var generator = SyntaxGenerator.GetGenerator(document);
        var newRoot = equivalenceKey switch
        {
            HoistEquivalenceKey => plan.Hoist(root, generator),
            StackallocEquivalenceKey => plan.UseStackalloc(root, generator, StackallocMaxBytes(options, model.SyntaxTree)),
            _ => null,
        };
        if (newRoot is null)
        {
            return null;
        }

        var newDocument = await DocumentRewrite.FinishAsync(document.WithSyntaxRoot(newRoot), cancellationToken).ConfigureAwait(false);
        return await DocumentRewrite.IntroducesErrorsAsync(document, newDocument, cancellationToken).ConfigureAwait(false) ? null : newDocument;
    }

    private static int StackallocMaxBytes(Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptionsProvider provider, SyntaxTree tree) =>
        provider.GetOptions(tree).TryGetValue(StackallocMaxBytesKey, out var value) &&
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var bytes) && bytes >= 0
            ? bytes
            : DefaultStackallocMaxBytes;
}
