using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Threading;
using AllocAnalyzers.CodeFixes.Rewrites;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AllocAnalyzers.CodeFixes.Rules;

/// <summary>
/// ALLOC011 fix: "Shrink periodically after removals". After the removal, the collection is trimmed when its live count
/// fell below 1/<c>shrink_ratio</c> of its capacity; where the capacity cannot be read it is trimmed, and where it
/// cannot be trimmed (<c>ConcurrentDictionary</c>, <c>Dictionary</c> on .NET Framework) it is rebuilt, every
/// <c>removals_between_checks</c> removals once they outnumber the live entries.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(EvictingCollectionNeverShrinksFixer)), Shared]
public sealed class EvictingCollectionNeverShrinksFixer : ProvenCodeFixProvider
{
    public const string ShrinkEquivalenceKey = RuleIds.EvictingCollectionNeverShrinks + ".ShrinkAfterRemovals";

    /// <summary>Trim once the count is below capacity / this: <c>ALLOC011.shrink_ratio</c>.</summary>
    public const string ShrinkRatioKey = RuleIds.EvictingCollectionNeverShrinks + ".shrink_ratio";
    public const int DefaultShrinkRatio = 4;

    /// <summary>How often the counter-driven variants look at the count: <c>ALLOC011.removals_between_checks</c>.</summary>
    public const string RemovalsBetweenChecksKey = RuleIds.EvictingCollectionNeverShrinks + ".removals_between_checks";
    public const int DefaultRemovalsBetweenChecks = 1024;

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.EvictingCollectionNeverShrinks);

    protected override IEnumerable<(string EquivalenceKey, string Title)> GetCandidateFixes(Diagnostic diagnostic, SyntaxNode site, SemanticModel model) => new[]
    {
        (ShrinkEquivalenceKey, "Shrink periodically after removals"),
    };

    protected override SyntaxNode? Rewrite(Document document, SemanticModel model, SyntaxNode root, SyntaxNode site, string equivalenceKey, CancellationToken cancellationToken)
    {
        if (equivalenceKey != ShrinkEquivalenceKey ||
            CollectionCapacityRewrite.TryCreate(model, site, clear: false, cancellationToken) is not { } plan)
        {
            return null;
        }

        var options = document.Project.AnalyzerOptions.AnalyzerConfigOptionsProvider;
        return plan.ShrinkAfterRemoval(
            root,
            ReadInt(options, model.SyntaxTree, ShrinkRatioKey, DefaultShrinkRatio, minimum: 2),
            ReadInt(options, model.SyntaxTree, RemovalsBetweenChecksKey, DefaultRemovalsBetweenChecks, minimum: 1));
    }

    private static int ReadInt(AnalyzerConfigOptionsProvider provider, SyntaxTree tree, string key, int defaultValue, int minimum) =>
        provider.GetOptions(tree).TryGetValue(key, out var value) &&
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) && number >= minimum
            ? number
            : defaultValue;
}
