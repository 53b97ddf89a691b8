using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using AllocAnalyzers.Analysis;
using AllocAnalyzers.CodeFixes.Rewrites;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.CodeFixes.Rules;

/// <summary>ALLOC022 fix: "Convert to a local function".</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(InvokedDelegateLocalFixer)), Shared]
public sealed class InvokedDelegateLocalFixer : ProvenCodeFixProvider
{
    public const string LocalFunctionEquivalenceKey = RuleIds.InvokedDelegateLocal + ".ConvertToLocalFunction";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.InvokedDelegateLocal);

    protected override IEnumerable<(string EquivalenceKey, string Title)> GetCandidateFixes(Diagnostic diagnostic, SyntaxNode site, SemanticModel model) => new[]
    {
        (LocalFunctionEquivalenceKey, "Convert to a local function"),
    };

    protected override SyntaxNode? Rewrite(Document document, SemanticModel model, SyntaxNode root, SyntaxNode site, string equivalenceKey, CancellationToken cancellationToken)
    {
        if (equivalenceKey != LocalFunctionEquivalenceKey ||
            model.GetOperation(site, cancellationToken) is not IAnonymousFunctionOperation { Parent: IDelegateCreationOperation creation } ||
            new ClosureSymbols(model.Compilation).IsExpressionTree(creation.Type) ||
            DelegateLocals.GetOnlyInvokedLocal(creation, cancellationToken) is not { } target)
        {
            return null;
        }

        return LocalFunctionRewrite.TryApply(model, root, target, SyntaxGenerator.GetGenerator(document), cancellationToken);
    }
}
