using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using AllocAnalyzers.CodeFixes.Rewrites;
using AllocAnalyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace AllocAnalyzers.CodeFixes.Rules;

/// <summary>ALLOC031 fix: "Implement IEquatable&lt;T&gt;" on a struct used as a key or compared without its own equality.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ImplicitStructBoxingFixer)), Shared]
public sealed class ImplicitStructBoxingFixer : ProvenCodeFixProvider
{
    public const string ImplementIEquatableEquivalenceKey = RuleIds.ImplicitStructBoxing + ".ImplementIEquatable";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.ImplicitStructBoxing);

    protected override IEnumerable<(string EquivalenceKey, string Title)> GetCandidateFixes(Diagnostic diagnostic, SyntaxNode site, SemanticModel model) =>
        diagnostic.Properties.TryGetValue(ImplicitStructBoxingAnalyzer.KeyTypeProperty, out var type) && type is not null
            ? new[] { (ImplementIEquatableEquivalenceKey, $"Implement IEquatable<{type}>") }
            : Enumerable.Empty<(string, string)>();

    protected override SyntaxNode? Rewrite(Document document, SemanticModel model, SyntaxNode root, SyntaxNode site, string equivalenceKey, CancellationToken cancellationToken) =>
        equivalenceKey == ImplementIEquatableEquivalenceKey ? EquatableStructRewrite.Apply(root, model, site, cancellationToken) : null;
}
