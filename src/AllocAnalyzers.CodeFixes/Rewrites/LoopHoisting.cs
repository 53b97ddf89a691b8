using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace AllocAnalyzers.CodeFixes.Rewrites;

/// <summary>Where a per-iteration local can be declared once instead, and how to put it there.</summary>
internal static class LoopHoisting
{
    /// <summary>
    /// The <c>T[] name = …;</c> statement that declares a single local with <paramref name="allocation"/> as its
    /// initializer, directly in a block; null for any other shape.
    /// </summary>
    public static LocalDeclarationStatementSyntax? GetDeclaration(SyntaxNode allocation) =>
        allocation.Parent is EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Variables.Count: 1, Parent: LocalDeclarationStatementSyntax declaration } } } &&
        declaration.Modifiers.Count == 0 && declaration.UsingKeyword == default && declaration.Parent is BlockSyntax
            ? declaration
            : null;

    /// <summary>The outermost loop of the same function around <paramref name="loop"/>: hoisting there allocates once per call.</summary>
    public static ILoopOperation OutermostLoop(ILoopOperation loop)
    {
        var outermost = loop;
        for (var parent = loop.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                break;
            }

            if (parent is ILoopOperation outer)
            {
                outermost = outer;
            }
        }

        return outermost;
    }

    /// <summary>
    /// Replaces <paramref name="block"/> (inside the loop) with <paramref name="newBlock"/> and declares
    /// <paramref name="hoisted"/> just before the outermost loop around <paramref name="loop"/>; null when that loop
    /// is not a statement of a block, or when there is no loop (a per-call temporary of hot code).
    /// </summary>
    public static SyntaxNode? Apply(SyntaxNode root, ILoopOperation? loop, BlockSyntax block, BlockSyntax newBlock, StatementSyntax hoisted)
    {
        if (loop is null || OutermostLoop(loop).Syntax is not StatementSyntax loopStatement || loopStatement.Parent is not BlockSyntax outerBlock)
        {
            return null;
        }

        var loopIndex = outerBlock.Statements.IndexOf(loopStatement);
        var newOuter = outerBlock.ReplaceNode(block, newBlock);
        var movedLoop = newOuter.Statements[loopIndex];
        var statements = newOuter.Statements
            .Replace(movedLoop, movedLoop.WithLeadingTrivia(ElasticMarker))
            .Insert(loopIndex, hoisted.WithLeadingTrivia(loopStatement.GetLeadingTrivia()));
        return root.ReplaceNode(outerBlock, newOuter.WithStatements(statements));
    }
}
