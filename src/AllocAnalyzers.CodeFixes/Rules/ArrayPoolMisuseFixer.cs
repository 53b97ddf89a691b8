using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using AllocAnalyzers.Analysis;
using AllocAnalyzers.CodeFixes.Rewrites;
using AllocAnalyzers.Options;
using AllocAnalyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace AllocAnalyzers.CodeFixes.Rules;

/// <summary>
/// ALLOC003 fixes: "Use the requested length" where the rented length is read as data, and "Return the array in a
/// finally block" where a rented array is not returned on some path. Each site is analysed again in the document as it
/// is, so Fix All re-plans every site after the fixes before it.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ArrayPoolMisuseFixer)), Shared]
public sealed class ArrayPoolMisuseFixer : ProvenCodeFixProvider
{
    public const string UseRequestedLengthEquivalenceKey = RuleIds.ArrayPoolMisuse + ".UseRequestedLength";
    public const string ReturnInFinallyEquivalenceKey = RuleIds.ArrayPoolMisuse + ".ReturnInFinally";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.ArrayPoolMisuse);

    protected override IEnumerable<(string EquivalenceKey, string Title)> GetCandidateFixes(Diagnostic diagnostic, SyntaxNode site, SemanticModel model)
    {
        if (diagnostic.Properties.TryGetValue(ArrayPoolMisuseAnalyzer.CaseProperty, out var misuse))
        {
            switch (misuse)
            {
                case nameof(RentalMisuseKind.LengthAsDataLength) or nameof(RentalMisuseKind.WholeArrayAsData):
                    yield return (UseRequestedLengthEquivalenceKey, "Use the requested length");
                    break;
                case nameof(RentalMisuseKind.NotReturned):
                    yield return (ReturnInFinallyEquivalenceKey, "Return the array in a finally block");
                    break;
            }
        }
    }

    protected override SyntaxNode? Rewrite(Document document, SemanticModel model, SyntaxNode root, SyntaxNode site, string equivalenceKey, CancellationToken cancellationToken)
    {
        if (model.GetOperation(site, cancellationToken) is not { } operation)
        {
            return null;
        }

        var known = new KnownSymbols(model.Compilation);
        var userBorrowers = NonRetainingMethods.Read(document.Project.AnalyzerOptions.AnalyzerConfigOptionsProvider, model.SyntaxTree);
        foreach (var misuse in PoolRentals.FindMisusesAround(operation, known, userBorrowers, cancellationToken))
        {
            if (misuse.At.Span == site.Span && IsFixedBy(misuse.Kind, equivalenceKey))
            {
                return equivalenceKey == UseRequestedLengthEquivalenceKey
                    ? RequestedLengthRewrite.Apply(root, model, site, misuse, known, cancellationToken)
                    : ReturnInFinallyRewrite.Apply(root, model, misuse, known, cancellationToken);
            }
        }

        return null;
    }

    private static bool IsFixedBy(RentalMisuseKind kind, string equivalenceKey) => equivalenceKey switch
    {
        UseRequestedLengthEquivalenceKey => kind is RentalMisuseKind.LengthAsDataLength or RentalMisuseKind.WholeArrayAsData,
        ReturnInFinallyEquivalenceKey => kind == RentalMisuseKind.NotReturned,
        _ => false,
    };
}
