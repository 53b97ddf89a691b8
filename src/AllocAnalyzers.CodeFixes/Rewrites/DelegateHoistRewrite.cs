using System.Threading;
using AllocAnalyzers.Analysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace AllocAnalyzers.CodeFixes.Rewrites;

/// <summary>
/// ALLOC020 "Hoist the delegate out of the loop": a lambda passed as an argument in a loop, whose captured variables are
/// all declared outside the loop and not written in it, is converted once into a local before the loop. The closure
/// was already shared by every iteration, so the delegate calls the same code on the same variables; delegates compare
/// equal by target and method, so only reference identity changes.
/// </summary>
internal static class DelegateHoistRewrite
{
    public static SyntaxNode? TryApply(SemanticModel model, SyntaxNode root, IAnonymousFunctionOperation lambda, SyntaxGenerator generator, CancellationToken cancellationToken)
    {
        // A fresh annotation per rewrite: the finished document keeps annotations, and Fix All rewrites again.
        var callMark = new SyntaxAnnotation("AllocAnalyzers.HoistedDelegateCall");
        if (lambda.Parent is not IDelegateCreationOperation { Parent: IArgumentOperation { Parent: { Syntax: var callSyntax } } argument } creation ||
            !ClosureRewriting.IsNameable(creation.Type) || creation.Type is null ||
            ClosureRewriting.BoundMethod(model, callSyntax, cancellationToken) is not { } target)
        {
            return null;
        }

        var captures = Captures.Of(lambda, cancellationToken);
        var loop = OutermostHoistableLoop(creation, captures);
        if (loop is null || loop.Syntax is not StatementSyntax loopStatement || loopStatement.Parent is not BlockSyntax block)
        {
            return null;
        }

        var preferred = argument.Parameter?.Name is { Length: > 1 } parameterName ? parameterName : "callback";
        var name = ClosureRewriting.FreshName(loopStatement, preferred);
        var lambdaSyntax = (ExpressionSyntax)lambda.Syntax;
        var declaration = LocalDeclarationStatement(VariableDeclaration(
                ClosureRewriting.Type(generator, creation.Type),
                SingletonSeparatedList(VariableDeclarator(Identifier(name)).WithInitializer(EqualsValueClause(lambdaSyntax.WithoutTrivia())))))
            .WithAdditionalAnnotations(Formatter.Annotation);

        var newBlock = block.ReplaceNodes(new SyntaxNode[] { lambdaSyntax, callSyntax }, (original, rewritten) =>
            original == lambdaSyntax
                ? IdentifierName(name).WithTriviaFrom(lambdaSyntax)
                : rewritten.WithAdditionalAnnotations(callMark));
        var index = block.Statements.IndexOf(loopStatement);
        newBlock = newBlock.WithStatements(newBlock.Statements.Insert(index, declaration.WithLeadingTrivia(loopStatement.GetLeadingTrivia())));
        var newRoot = root.ReplaceNode(block, newBlock);
        return ClosureRewriting.StillBindsTo(model, newRoot, callMark, target, compareDefinitions: false, cancellationToken) ? newRoot : null;
    }

    /// <summary>
    /// The outermost loop of the function, among those running the creation on each iteration, that declares and writes
    /// none of the captured variables; null when even the innermost one does.
    /// </summary>
    private static ILoopOperation? OutermostHoistableLoop(IDelegateCreationOperation creation, CaptureSet captures)
    {
        ILoopOperation? result = null;
        for (var loop = Loops.GetLoopRunningEachIteration(creation); loop is not null; loop = Loops.GetLoopRunningEachIteration(loop))
        {
            foreach (var variable in captures.Variables)
            {
                if (IsDeclaredIn(variable, loop.Syntax) || Captures.IsWrittenInside(variable, loop))
                {
                    return result;
                }
            }

            result = loop;
        }

        return result;
    }

    private static bool IsDeclaredIn(ISymbol variable, SyntaxNode node)
    {
        foreach (var reference in variable.DeclaringSyntaxReferences)
        {
            if (reference.SyntaxTree == node.SyntaxTree && node.Span.Contains(reference.Span))
            {
                return true;
            }
        }

        return false;
    }
}
