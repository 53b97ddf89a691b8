using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AllocAnalyzers.Analysis;
using AllocAnalyzers.CodeFixes.FixAll;
using AllocAnalyzers.CodeFixes.Rewrites;
using AllocAnalyzers.Options;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace AllocAnalyzers.CodeFixes.Rules;

/// <summary>
/// ALLOC001 fix: rent the array from <c>ArrayPool&lt;T&gt;.Shared</c> and return it in a <c>finally</c> that covers the
/// rest of the iteration, so <c>break</c>, <c>continue</c>, <c>return</c>, <c>await</c> and exceptions return it exactly once.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ArrayPoolRentalFixer)), Shared]
public sealed class ArrayPoolRentalFixer : CodeFixProvider
{
    public const string EquivalenceKey = RuleIds.PerIterationArray + ".RentFromArrayPool";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIds.PerIterationArray);

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

            // Computed now, not when applied: a fix that cannot be proven safe here is not offered at all.
            var fixedDocument = await FixSiteAsync(context.Document, site, EquivalenceKey, context.CancellationToken).ConfigureAwait(false);
            if (fixedDocument is null)
            {
                continue;
            }

            var elementType = ((IArrayTypeSymbol?)(await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false))
                ?.GetTypeInfo(site, context.CancellationToken).Type)?.ElementType;
            var title = $"Rent from ArrayPool<{elementType?.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) ?? "T"}>.Shared";
            context.RegisterCodeFix(CodeAction.Create(title, _ => Task.FromResult(fixedDocument), EquivalenceKey), diagnostic);
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
        if (known.ArrayPool is null ||
            !ArrayEscape.IsPerIterationTemporary(allocation, known, UserBorrowers(document, model.SyntaxTree), collectUses: true, cancellationToken, out var temporary) ||
            temporary is null ||
            ArrayAllocations.MayBePinned(allocation) ||
            BufferRewrite.TryCreate(temporary, model, known, cancellationToken) is not { } plan)
        {
            return null;
        }

        var generator = SyntaxGenerator.GetGenerator(document);
        var pool = PoolExpression(generator, known.ArrayPool.Construct(plan.ElementType));
        var rent = InvocationExpression(
            MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, pool, IdentifierName("Rent")),
            ArgumentList(SingletonSeparatedList(Argument(plan.SizeArgument()))));

        var (block, declarationIndex) = plan.ApplyUseRewrites(rent);
        var statements = block.Statements;
        var rest = List(statements.Skip(declarationIndex + 1));
        if (plan.NeedsClear)
        {
            rest = rest.Insert(0, plan.ClearStatement(generator));
        }

        var returnArguments = SeparatedList(new[] { Argument(IdentifierName(plan.LocalName)) });
        if (!plan.ElementType.IsUnmanagedType)
        {
            // Drop the references the rented array holds, so the pool keeps no objects alive.
            returnArguments = returnArguments.Add(Argument(NameColon("clearArray"), default, LiteralExpression(SyntaxKind.TrueLiteralExpression)));
        }

        var tryStatement = TryStatement(
                Block(rest),
                default,
                FinallyClause(Block(ExpressionStatement(InvocationExpression(
                    MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, PoolExpression(generator, known.ArrayPool.Construct(plan.ElementType)), IdentifierName("Return")),
                    ArgumentList(returnArguments))))))
            .WithAdditionalAnnotations(Formatter.Annotation);

        var newStatements = List(statements.Take(declarationIndex + 1)).Add(tryStatement);
        if (plan.IntroducedSizeDeclaration() is { } sizeDeclaration)
        {
            var declaration = newStatements[declarationIndex];
            newStatements = newStatements
                .Replace(declaration, declaration.WithLeadingTrivia(ElasticMarker))
                .Insert(declarationIndex, sizeDeclaration.WithLeadingTrivia(declaration.GetLeadingTrivia()));
        }

        var root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        var newDocument = document.WithSyntaxRoot(root.ReplaceNode(plan.Block, block.WithStatements(newStatements)));
        newDocument = await DocumentRewrite.FinishAsync(newDocument, cancellationToken).ConfigureAwait(false);
        return await DocumentRewrite.IntroducesErrorsAsync(document, newDocument, cancellationToken).ConfigureAwait(false) ? null : newDocument;
    }

    private static NonRetainingMethods UserBorrowers(Document document, SyntaxTree tree) =>
        document.Project.AnalyzerOptions.AnalyzerConfigOptionsProvider.GetOptions(tree).TryGetValue(NonRetainingMethods.Key, out var value)
            ? NonRetainingMethods.Parse(value)
            : NonRetainingMethods.None;

    private static ExpressionSyntax PoolExpression(SyntaxGenerator generator, INamedTypeSymbol arrayPoolOfT) =>
        MemberAccessExpression(
            SyntaxKind.SimpleMemberAccessExpression,
            ((ExpressionSyntax)generator.TypeExpression(arrayPoolOfT)).WithAdditionalAnnotations(Simplifier.AddImportsAnnotation),
            IdentifierName("Shared"));
}
