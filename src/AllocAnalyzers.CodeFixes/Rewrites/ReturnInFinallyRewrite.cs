using System.Collections.Generic;
using System.Linq;
using System.Threading;
using AllocAnalyzers.Analysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace AllocAnalyzers.CodeFixes.Rewrites;

/// <summary>
/// Moves the rest of the block after a <c>Rent</c> into <c>try</c> and returns the array in <c>finally</c>, so
/// <c>break</c>, <c>continue</c>, <c>return</c>, <c>await</c> and exceptions all return it exactly once. An existing
/// <c>Return</c> statement of the same block moves into the <c>finally</c>; statements after it stay after the
/// <c>try</c>. Offered only where every path that left the array unreturned now returns it and nothing else changes:
/// the local is declared in the block (nothing after the block can see it), the rest does not write it or hand it on,
/// there is at most that one <c>Return</c>, the pool can be named again, and the function is not an iterator.
/// </summary>
internal static class ReturnInFinallyRewrite
{
    public static SyntaxNode? Apply(SyntaxNode root, SemanticModel model, RentalMisuse misuse, KnownSymbols known, CancellationToken cancellationToken)
    {
        var rental = misuse.Rental;
        var local = rental.Local;
        if (rental.TransfersOwnership ||
            rental.Rent.Syntax is not InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: var pool } } rent ||
            GetRentStatement(rent) is not { Parent: BlockSyntax block } rentStatement ||
            !IsDeclaredIn(local, block, cancellationToken) ||
            IsInIterator(block))
        {
            return null;
        }

        var index = block.Statements.IndexOf(rentStatement);
        var following = block.Statements.Skip(index + 1).ToList();
        var returns = FindReturns(following, local, model, known, cancellationToken);
        if (returns.Count > 1)
        {
            return null;
        }

        StatementSyntax returnStatement;
        List<StatementSyntax> rest;
        List<StatementSyntax> after;
        if (returns.Count == 1)
        {
            if (returns[0].Parent is not ExpressionStatementSyntax { Parent: var parent } existing || parent != block)
            {
                return null;
            }

            var returnIndex = block.Statements.IndexOf(existing);
            rest = block.Statements.Skip(index + 1).Take(returnIndex - index - 1).ToList();
            after = block.Statements.Skip(returnIndex + 1).ToList();
            returnStatement = existing;
        }
        else
        {
            rest = following;
            after = new List<StatementSyntax>();
            returnStatement = CreateReturn(pool, local);
        }

        if (rest.Count == 0 || rest.Any(s => s is LocalFunctionStatementSyntax or LabeledStatementSyntax) ||
            !CanNameThePoolAgain(rental.Rent.Instance, rest, model) ||
            IsWrittenIn(local, rest, model))
        {
            return null;
        }

        var tryStatement = TryStatement(Block(rest), default, FinallyClause(Block(returnStatement.WithoutLeadingTrivia())))
            .WithAdditionalAnnotations(Formatter.Annotation);
        var statements = List(block.Statements.Take(index + 1)).Add(tryStatement).AddRange(after);
        return root.ReplaceNode(block, block.WithStatements(statements));
    }

    /// <summary><c>var a = pool.Rent(n);</c> or <c>a = pool.Rent(n);</c>, as a statement of its own.</summary>
    private static StatementSyntax? GetRentStatement(InvocationExpressionSyntax rent)
    {
        SyntaxNode current = rent;
        while (current.Parent is CastExpressionSyntax or ParenthesizedExpressionSyntax)
        {
            current = current.Parent;
        }

        return current.Parent switch
        {
            EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Variables.Count: 1, Parent: LocalDeclarationStatementSyntax declaration } } }
                when declaration.UsingKeyword == default && declaration.Modifiers.Count == 0 => declaration,
            AssignmentExpressionSyntax { Parent: ExpressionStatementSyntax statement } assignment when assignment.Right == current => statement,
            _ => null,
        };
    }

    private static bool IsDeclaredIn(ILocalSymbol local, BlockSyntax block, CancellationToken cancellationToken) =>
        local.DeclaringSyntaxReferences.Length == 1 &&
        local.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken).FirstAncestorOrSelf<StatementSyntax>() is { Parent: var parent } &&
        parent == block;

    /// <summary>A finally in an iterator runs only when the caller disposes it.</summary>
    private static bool IsInIterator(SyntaxNode node)
    {
        var function = node.Ancestors().FirstOrDefault(n => n is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax);
        return function is not null &&
               function.DescendantNodes(n => n == function || n is not (LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax))
                   .Any(n => n is YieldStatementSyntax);
    }

    private static List<InvocationExpressionSyntax> FindReturns(List<StatementSyntax> statements, ILocalSymbol local, SemanticModel model, KnownSymbols known, CancellationToken cancellationToken)
    {
        var returns = new List<InvocationExpressionSyntax>();
        foreach (var statement in statements)
        {
            foreach (var invocation in statement.DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>())
            {
                if (model.GetOperation(invocation, cancellationToken) is IInvocationOperation { Arguments.Length: > 0 } operation &&
                    PoolRentals.IsReturn(operation, known) &&
                    operation.Arguments[0].Value is ILocalReferenceOperation reference &&
                    SymbolEqualityComparer.Default.Equals(reference.Local, local))
                {
                    returns.Add(invocation);
                }
            }
        }

        return returns;
    }

    /// <summary>The pool is <c>ArrayPool&lt;T&gt;.Shared</c>, a readonly field, or a local or parameter the rest does not write.</summary>
    private static bool CanNameThePoolAgain(IOperation? pool, List<StatementSyntax> rest, SemanticModel model) => pool switch
    {
        IPropertyReferenceOperation { Property: { Name: "Shared", IsStatic: true } } => true,
        IFieldReferenceOperation { Field.IsReadOnly: true, Instance: null or IInstanceReferenceOperation } => true,
        ILocalReferenceOperation { Local.RefKind: RefKind.None } reference => !IsWrittenIn(reference.Local, rest, model),
        IParameterReferenceOperation { Parameter.RefKind: RefKind.None } reference => !IsWrittenIn(reference.Parameter, rest, model),
        _ => false,
    };

    private static bool IsWrittenIn(ISymbol symbol, List<StatementSyntax> statements, SemanticModel model)
    {
        var flow = model.AnalyzeDataFlow(statements[0], statements[statements.Count - 1]);
        return flow is null || !flow.Succeeded ||
               flow.WrittenInside.Contains(symbol, SymbolEqualityComparer.Default) ||
               flow.Captured.Contains(symbol, SymbolEqualityComparer.Default);
    }

    /// <summary><c>pool.Return(array)</c>, with <c>clearArray: true</c> for references so the pool keeps no objects alive.</summary>
    private static StatementSyntax CreateReturn(ExpressionSyntax pool, ILocalSymbol local)
    {
        var arguments = SeparatedList(new[] { Argument(IdentifierName(local.Name)) });
        if (local.Type is IArrayTypeSymbol { ElementType.IsUnmanagedType: false })
        {
            arguments = arguments.Add(Argument(NameColon("clearArray"), default, LiteralExpression(SyntaxKind.TrueLiteralExpression)));
        }

        return ExpressionStatement(InvocationExpression(
            MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, pool.WithoutTrivia(), IdentifierName("Return")),
            ArgumentList(arguments)));
    }
}
