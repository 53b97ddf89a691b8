using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using AllocAnalyzers.CodeFixes.Rewrites;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace AllocAnalyzers.CodeFixes.Rules;

/// <summary>
/// ALLOC010 fixes: "Trim after clearing" (<c>x.Clear(); x.TrimExcess();</c>, where the collection has
/// <c>TrimExcess()</c>) and "Rebuild the collection" (<c>x = new T(x.Comparer);</c>, where no one else can hold the
/// old instance). Each site is planned again in the document as it is, so Fix All re-plans after earlier fixes.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ClearedCollectionKeepsCapacityFixer)), Shared]
public sealed class ClearedCollectionKeepsCapacityFixer : ProvenCodeFixProvider
{
    public const string TrimAfterClearEquivalenceKey = RuleIds.ClearedCollectionKeepsCapacity + ".TrimAfterClear";
    public const string RebuildEquivalenceKey = RuleIds.ClearedCollectionKeepsCapacity + ".RebuildCollection";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.ClearedCollectionKeepsCapacity);

    protected override IEnumerable<(string EquivalenceKey, string Title)> GetCandidateFixes(Diagnostic diagnostic, SyntaxNode site, SemanticModel model) => new[]
    {
        (TrimAfterClearEquivalenceKey, "Trim after clearing"),
        (RebuildEquivalenceKey, "Rebuild the collection"),
    };

    protected override SyntaxNode? Rewrite(Document document, SemanticModel model, SyntaxNode root, SyntaxNode site, string equivalenceKey, CancellationToken cancellationToken)
    {
        if (CollectionCapacityRewrite.TryCreate(model, site, clear: true, cancellationToken) is not { } plan)
        {
            return null;
        }

        return equivalenceKey switch
        {
            TrimAfterClearEquivalenceKey => plan.TrimAfterClear(root),
            RebuildEquivalenceKey => plan.RebuildInsteadOfClear(root),
            _ => null,
        };
    }
}
