using System.Linq;
using AllocAnalyzers.Analysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace AllocAnalyzers.CodeFixes.Rewrites;

/// <summary>
/// Rent the array from <c>ArrayPool&lt;T&gt;.Shared</c> and return it in a <c>finally</c> that covers the rest of the
/// iteration, so <c>break</c>, <c>continue</c>, <c>return</c>, <c>await</c> and exceptions return it exactly once.
/// </summary>
internal static class ArrayPoolRentalRewrite
{
    public static SyntaxNode? Apply(SyntaxNode root, BufferRewrite plan, KnownSymbols known, SyntaxGenerator generator)
    {
        if (known.ArrayPool is null || plan.ContainsYield)
        {
            return null;
        }

        var arrayPoolOfT = known.ArrayPool.Construct(plan.ElementType);
        var rent = InvocationExpression(
            MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, PoolExpression(generator, arrayPoolOfT), IdentifierName("Rent")),
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
                    MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, PoolExpression(generator, arrayPoolOfT), IdentifierName("Return")),
                    ArgumentList(returnArguments))))))
            .WithAdditionalAnnotations(Formatter.Annotation);

        var newStatements = plan.WithIntroducedSize(List(statements.Take(declarationIndex + 1)).Add(tryStatement), declarationIndex);
        return root.ReplaceNode(plan.Block, block.WithStatements(newStatements));
    }

    private static ExpressionSyntax PoolExpression(SyntaxGenerator generator, INamedTypeSymbol arrayPoolOfT) =>
        MemberAccessExpression(
            SyntaxKind.SimpleMemberAccessExpression,
            ((ExpressionSyntax)generator.TypeExpression(arrayPoolOfT)).WithAdditionalAnnotations(Simplifier.AddImportsAnnotation),
            IdentifierName("Shared"));
}
