using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using AllocAnalyzers.Analysis;
using AllocAnalyzers.CodeFixes.Rewrites;
using AllocAnalyzers.Options;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Editing;

namespace AllocAnalyzers.CodeFixes.Rules;

/// <summary>
/// ALLOC001 fixes: "Rent from ArrayPool&lt;T&gt;.Shared" (first) and "Reuse one buffer across iterations". Both share
/// <see cref="BufferRewrite"/>, which bounds length-dependent uses, proves indexes and clears stale contents.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PerIterationArrayFixer)), Shared]
public sealed class PerIterationArrayFixer : ProvenCodeFixProvider
{
    public const string RentEquivalenceKey = RuleIds.PerIterationArray + ".RentFromArrayPool";
    public const string ReuseEquivalenceKey = RuleIds.PerIterationArray + ".ReuseOneBuffer";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.PerIterationArray);

    protected override IEnumerable<(string EquivalenceKey, string Title)> GetCandidateFixes(Diagnostic diagnostic, SyntaxNode site, SemanticModel model)
    {
        var elementType = (model.GetTypeInfo(site).Type as IArrayTypeSymbol)?.ElementType;
        yield return (RentEquivalenceKey, $"Rent from ArrayPool<{elementType?.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) ?? "T"}>.Shared");
        yield return (ReuseEquivalenceKey, "Reuse one buffer across iterations");
    }

    protected override SyntaxNode? Rewrite(Document document, SemanticModel model, SyntaxNode root, SyntaxNode site, string equivalenceKey, CancellationToken cancellationToken)
    {
        if (model.GetOperation(site, cancellationToken) is not { } allocation)
        {
            return null;
        }

        var known = new KnownSymbols(model.Compilation);
        var userBorrowers = NonRetainingMethods.Read(document.Project.AnalyzerOptions.AnalyzerConfigOptionsProvider, model.SyntaxTree);
        if (!ArrayAllocations.IsVariableSizeAllocation(allocation, known, out _) ||
            !ArrayEscape.IsPerIterationTemporary(allocation, known, userBorrowers, collectUses: true, cancellationToken, out var temporary, perCallOutsideLoops: true) ||
            temporary is null ||
            ArrayAllocations.MayBePinned(allocation) ||
            BufferRewrite.TryCreate(temporary, model, known, cancellationToken) is not { } plan)
        {
            return null;
        }

        var generator = SyntaxGenerator.GetGenerator(document);
        return equivalenceKey switch
        {
            RentEquivalenceKey => ArrayPoolRentalRewrite.Apply(root, plan, known, generator),
            ReuseEquivalenceKey => ReusedBufferRewrite.Apply(root, plan, model, generator),
            _ => null,
        };
    }
}
