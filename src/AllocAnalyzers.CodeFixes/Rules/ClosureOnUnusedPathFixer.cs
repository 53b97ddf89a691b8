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

/// <summary>ALLOC021 fix: "Move the capturing code into a local function".</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ClosureOnUnusedPathFixer)), Shared]
public sealed class ClosureOnUnusedPathFixer : ProvenCodeFixProvider
{
    public const string MoveToLocalFunctionEquivalenceKey = RuleIds.ClosureOnUnusedPath + ".MoveToLocalFunction";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.ClosureOnUnusedPath);

    protected override IEnumerable<(string EquivalenceKey, string Title)> GetCandidateFixes(Diagnostic diagnostic, SyntaxNode site, SemanticModel model) => new[]
    {
        (MoveToLocalFunctionEquivalenceKey, "Move the capturing code into a local function"),
    };

    protected override SyntaxNode? Rewrite(Document document, SemanticModel model, SyntaxNode root, SyntaxNode site, string equivalenceKey, CancellationToken cancellationToken)
    {
        if (equivalenceKey != MoveToLocalFunctionEquivalenceKey ||
            model.GetOperation(site, cancellationToken) is not IAnonymousFunctionOperation { Syntax: AnonymousFunctionExpressionSyntax, Parent: IDelegateCreationOperation creation } lambda ||
            new ClosureSymbols(model.Compilation).IsExpressionTree(creation.Type))
        {
            return null;
        }

        return BranchExtractionRewrite.TryApply(model, root, lambda, SyntaxGenerator.GetGenerator(document), cancellationToken);
    }
}
