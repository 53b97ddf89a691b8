using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using AllocAnalyzers.Analysis;
using AllocAnalyzers.CodeFixes.Rewrites;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.CodeFixes.Rules;

/// <summary>ALLOC020 fixes: "Use the overload that passes state" (first) and "Hoist the delegate out of the loop".</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CapturingLambdaFixer)), Shared]
public sealed class CapturingLambdaFixer : ProvenCodeFixProvider
{
    public const string PassStateEquivalenceKey = RuleIds.CapturingLambda + ".PassState";
    public const string HoistEquivalenceKey = RuleIds.CapturingLambda + ".HoistDelegate";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.CapturingLambda);

    protected override IEnumerable<(string EquivalenceKey, string Title)> GetCandidateFixes(Diagnostic diagnostic, SyntaxNode site, SemanticModel model) => new[]
    {
        (PassStateEquivalenceKey, "Use the overload that passes state"),
        (HoistEquivalenceKey, "Hoist the delegate out of the loop"),
    };

    protected override SyntaxNode? Rewrite(Document document, SemanticModel model, SyntaxNode root, SyntaxNode site, string equivalenceKey, CancellationToken cancellationToken)
    {
        // Query clauses are lambdas too, but the compiler writes them: only lambdas and anonymous methods in source are rewritten.
        if (model.GetOperation(site, cancellationToken) is not IAnonymousFunctionOperation { Syntax: AnonymousFunctionExpressionSyntax } lambda ||
            lambda.Parent is not IDelegateCreationOperation creation ||
            new ClosureSymbols(model.Compilation).IsExpressionTree(creation.Type))
        {
            return null;
        }

        var generator = SyntaxGenerator.GetGenerator(document);
        return equivalenceKey switch
        {
            PassStateEquivalenceKey => StatePassingRewrite.TryApply(model, root, lambda, generator, cancellationToken),
            HoistEquivalenceKey => DelegateHoistRewrite.TryApply(model, root, lambda, generator, cancellationToken),
            _ => null,
        };
    }
}
