using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using AllocAnalyzers.CodeFixes.Rewrites;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Editing;

namespace AllocAnalyzers.CodeFixes.Rules;

/// <summary>ALLOC030 fixes: "Use the typed overload", "Format without boxing", "Make the parameter generic" and "Use a generic collection", each offered only where it keeps behaviour.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(BoxingFixer)), Shared]
public sealed class BoxingFixer : ProvenCodeFixProvider
{
    public const string TypedOverloadEquivalenceKey = RuleIds.BoxingInHotPath + ".TypedOverload";
    public const string FormatWithoutBoxingEquivalenceKey = RuleIds.BoxingInHotPath + ".FormatWithoutBoxing";
    public const string GenericParameterEquivalenceKey = RuleIds.BoxingInHotPath + ".GenericParameter";
    public const string GenericCollectionEquivalenceKey = RuleIds.BoxingInHotPath + ".GenericCollection";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.BoxingInHotPath);

    protected override IEnumerable<(string EquivalenceKey, string Title)> GetCandidateFixes(Diagnostic diagnostic, SyntaxNode site, SemanticModel model) => new[]
    {
        (TypedOverloadEquivalenceKey, "Use the typed overload"),
        (FormatWithoutBoxingEquivalenceKey, "Format without boxing"),
        (GenericParameterEquivalenceKey, "Make the parameter generic"),
        (GenericCollectionEquivalenceKey, "Use a generic collection"),
    };

    protected override SyntaxNode? Rewrite(Document document, SemanticModel model, SyntaxNode root, SyntaxNode site, string equivalenceKey, CancellationToken cancellationToken) => equivalenceKey switch
    {
        TypedOverloadEquivalenceKey => TypedOverloadRewrite.Apply(root, model, site, SyntaxGenerator.GetGenerator(document), cancellationToken),
        FormatWithoutBoxingEquivalenceKey => FormatWithoutBoxingRewrite.Apply(root, model, site, cancellationToken),
        GenericParameterEquivalenceKey => GenericParameterRewrite.Apply(root, model, site, cancellationToken),
        GenericCollectionEquivalenceKey => GenericCollectionRewrite.Apply(root, model, site, SyntaxGenerator.GetGenerator(document), cancellationToken),
        _ => null,
    };
}
