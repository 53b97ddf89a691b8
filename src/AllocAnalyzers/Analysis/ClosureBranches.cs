using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AllocAnalyzers.Analysis;

/// <summary>A closure allocated where its scope is entered, for a lambda that only a branch inside that scope creates.</summary>
internal sealed class ClosureBranch
{
    public ClosureBranch(SyntaxNode scope, ImmutableArray<ISymbol> variables, SyntaxNode branch, string description)
    {
        Scope = scope;
        Variables = variables;
        Branch = branch;
        Description = description;
    }

    /// <summary>The block, body or statement whose entry allocates the closure.</summary>
    public SyntaxNode Scope { get; }

    /// <summary>The captured variables of that scope.</summary>
    public ImmutableArray<ISymbol> Variables { get; }

    /// <summary>The outermost conditionally executed part of <see cref="Scope"/> holding the lambda: an <c>if</c> branch, a <c>switch</c> section, …</summary>
    public SyntaxNode Branch { get; }

    /// <summary>How a message names the branch: "an 'if' branch", "a 'catch' block".</summary>
    public string Description { get; }
}

/// <summary>Whether a capturing lambda's closure is allocated on paths that never create the lambda (ALLOC021).</summary>
internal static class ClosureBranches
{
    /// <summary>
    /// The first closure scope of <paramref name="captures"/>, in the same function as the lambda, that the lambda is
    /// created in only conditionally, when no other function outside that branch captures variables of the same scope.
    /// </summary>
    public static ClosureBranch? Find(IAnonymousFunctionOperation lambda, CaptureSet captures, CancellationToken cancellationToken)
    {
        var model = lambda.SemanticModel;
        if (model is null)
        {
            return null;
        }

        foreach (var variable in captures.Variables)
        {
            if (Captures.ClosureScope(variable, cancellationToken) is not { } scope || BranchBetween(lambda.Syntax, scope) is not { } branch)
            {
                continue;
            }

            var variables = ImmutableArray.CreateBuilder<ISymbol>();
            foreach (var other in captures.Variables)
            {
                if (Captures.ClosureScope(other, cancellationToken) == scope)
                {
                    variables.Add(other);
                }
            }

            if (!IsCapturedOutside(scope, branch.Node, model, cancellationToken))
            {
                return new ClosureBranch(scope, variables.ToImmutable(), branch.Node, branch.Description);
            }
        }

        return null;
    }

    private static (SyntaxNode Node, string Description)? BranchBetween(SyntaxNode lambda, SyntaxNode scope)
    {
        (SyntaxNode Node, string Description)? found = null;
        var child = lambda;
        for (var node = lambda.Parent; node is not null; child = node, node = node.Parent)
        {
            if (node == scope)
            {
                return found;
            }

            var description = node switch
            {
                AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or MemberDeclarationSyntax => "",
                IfStatementSyntax ifStatement when child != ifStatement.Condition => "an 'if' branch",
                SwitchSectionSyntax => "a 'switch' section",
                SwitchExpressionArmSyntax arm when child == arm.Expression => "a 'switch' arm",
                CatchClauseSyntax => "a 'catch' block",
                ConditionalExpressionSyntax conditional when child != conditional.Condition => "a '?:' branch",
                BinaryExpressionSyntax binary when child == binary.Right && binary.IsKind(SyntaxKind.LogicalAndExpression) => "the right side of '&&'",
                BinaryExpressionSyntax binary when child == binary.Right && binary.IsKind(SyntaxKind.LogicalOrExpression) => "the right side of '||'",
                BinaryExpressionSyntax binary when child == binary.Right && binary.IsKind(SyntaxKind.CoalesceExpression) => "the right side of '??'",
                ConditionalAccessExpressionSyntax access when child == access.WhenNotNull => "a '?.' access",
                _ => null,
            };

            if (description == "")
            {
                // The scope is in another function: its closure is not this lambda's creation path.
                return null;
            }

            if (description is not null)
            {
                found = (child, description);
            }
        }

        return null;
    }

    /// <summary>Whether a lambda, anonymous method or local function outside <paramref name="branch"/> captures a variable of <paramref name="scope"/>.</summary>
    private static bool IsCapturedOutside(SyntaxNode scope, SyntaxNode branch, SemanticModel model, CancellationToken cancellationToken)
    {
        foreach (var node in scope.DescendantNodes())
        {
            if (node is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax) || branch.Span.Contains(node.Span) ||
                model.GetOperation(node, cancellationToken) is not { } function)
            {
                continue;
            }

            foreach (var variable in Captures.Of(function, cancellationToken).Variables)
            {
                if (Captures.ClosureScope(variable, cancellationToken) == scope)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
