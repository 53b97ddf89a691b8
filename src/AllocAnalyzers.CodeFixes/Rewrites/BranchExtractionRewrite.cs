using System.Collections.Generic;
using System.Linq;
using System.Threading;
using AllocAnalyzers.Analysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace AllocAnalyzers.CodeFixes.Rewrites;

/// <summary>
/// ALLOC021 "Move the capturing code into a local function": the expression of the branch that creates the lambda
/// (<c>return cache.GetOrAdd(key, k => prefix + k);</c>) moves into a local function at the end of the method that receives
/// every variable it uses as a parameter of the same name (<c>static</c> unless it uses <c>this</c>); the branch calls it.
/// The lambda then captures the local function's parameters, whose closure is allocated only when the branch runs.
/// Offered when none of those variables is written by the expression, inside any lambda or local function, or after the
/// expression, so the copies hold the values the variables would have had.
/// </summary>
internal static class BranchExtractionRewrite
{
    public static SyntaxNode? TryApply(SemanticModel model, SyntaxNode root, IAnonymousFunctionOperation lambda, SyntaxGenerator generator, CancellationToken cancellationToken)
    {
        if (model.SyntaxTree.Options is not CSharpParseOptions { LanguageVersion: >= LanguageVersion.CSharp8 } ||
            ClosureBranches.Find(lambda, Captures.Of(lambda, cancellationToken), cancellationToken) is not { } branch ||
            ExtractedExpression(lambda.Syntax, branch.Branch) is not { } expression ||
            model.GetOperation(expression, cancellationToken) is not { } extracted ||
            FunctionBlock(lambda.Syntax) is not { } block || !block.Span.Contains(expression.Span) ||
            expression.DescendantNodesAndSelf().Any(n => n is AwaitExpressionSyntax or DeclarationExpressionSyntax or DeclarationPatternSyntax or
                VarPatternSyntax or RecursivePatternSyntax or BaseExpressionSyntax or RefExpressionSyntax or ThrowExpressionSyntax or StackAllocArrayCreationExpressionSyntax))
        {
            return null;
        }

        var resultType = model.GetTypeInfo(expression, cancellationToken).Type;
        var isStatementExpression = expression.Parent is ExpressionStatementSyntax;
        if (!isStatementExpression && (resultType is null || resultType.SpecialType == SpecialType.System_Void || !ClosureRewriting.IsNameable(resultType)) ||
            resultType is { IsRefLikeType: true })
        {
            return null;
        }

        // Every variable the expression uses from outside it becomes a parameter; none may change after being copied.
        var variables = new List<ISymbol>();
        var usesThis = false;
        foreach (var operation in extracted.DescendantsAndSelf())
        {
            ISymbol? variable = operation switch
            {
                ILocalReferenceOperation { Local.IsConst: false } local => local.Local,
                IParameterReferenceOperation parameter => parameter.Parameter,
                _ => null,
            };
            usesThis |= operation is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance };
            if (operation is IInvocationOperation { TargetMethod.MethodKind: MethodKind.LocalFunction } or IMethodReferenceOperation { Method.MethodKind: MethodKind.LocalFunction })
            {
                return null;
            }

            if (variable is null || variable.DeclaringSyntaxReferences.Any(r => expression.Span.Contains(r.Span)) || variables.Contains(variable, SymbolEqualityComparer.Default))
            {
                continue;
            }

            if (ClosureRewriting.DeclaringFunctionBody(extracted, variable) is not { } body || Captures.IsWrittenInside(variable, extracted) ||
                Captures.MayBeWrittenAfter(variable, extracted, body) || variable is IParameterSymbol { RefKind: not RefKind.None } || variable is ILocalSymbol { RefKind: not RefKind.None } ||
                !ClosureRewriting.IsNameable(TypeOf(variable)))
            {
                return null;
            }

            variables.Add(variable);
        }

        var invoked = expression.DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>().Select(i => model.GetSymbolInfo(i, cancellationToken).Symbol?.Name).FirstOrDefault(n => n is not null);
        var name = ClosureRewriting.FreshName(block, "Capturing" + (invoked is null ? "Branch" : char.ToUpperInvariant(invoked[0]) + invoked.Substring(1)));
        var returnType = isStatementExpression && (resultType is null || resultType.SpecialType == SpecialType.System_Void || !ClosureRewriting.IsNameable(resultType))
            ? PredefinedType(Token(SyntaxKind.VoidKeyword))
            : ClosureRewriting.Type(generator, resultType!);
        var parameters = variables.Select(v => Parameter(Identifier(v.Name)).WithType(ClosureRewriting.Type(generator, TypeOf(v))));
        var localFunction = LocalFunctionStatement(returnType, Identifier(name))
            .WithModifiers(usesThis ? TokenList() : TokenList(Token(SyntaxKind.StaticKeyword)))
            .WithParameterList(ParameterList(SeparatedList(parameters)))
            .WithExpressionBody(ArrowExpressionClause(expression.WithoutTrivia()))
            .WithSemicolonToken(Token(SyntaxKind.SemicolonToken))
            .WithLeadingTrivia(ElasticCarriageReturnLineFeed)
            .WithAdditionalAnnotations(Formatter.Annotation);
        var call = InvocationExpression(IdentifierName(name), ArgumentList(SeparatedList(variables.Select(v => Argument(IdentifierName(v.Name))))))
            .WithTriviaFrom(expression);

        var newBlock = block.ReplaceNode(expression, call);
        newBlock = newBlock.AddStatements(localFunction);
        return root.ReplaceNode(block, newBlock);
    }

    private static ITypeSymbol TypeOf(ISymbol variable) => variable is ILocalSymbol local ? local.Type : ((IParameterSymbol)variable).Type;

    /// <summary>
    /// The expression to move: the branch itself when it is an expression (<c>?:</c>, <c>??</c>, <c>&amp;&amp;</c>), otherwise
    /// the expression of the statement holding the lambda (<c>return E;</c>, <c>E;</c>, <c>var x = E;</c>) inside the branch.
    /// </summary>
    private static ExpressionSyntax? ExtractedExpression(SyntaxNode lambda, SyntaxNode branch)
    {
        if (branch is ExpressionSyntax branchExpression)
        {
            return branchExpression;
        }

        var statement = lambda.Ancestors().OfType<StatementSyntax>().FirstOrDefault();
        if (statement is null || !branch.Span.Contains(statement.Span))
        {
            return null;
        }

        return statement switch
        {
            ReturnStatementSyntax { Expression: { } returned } => returned,
            ExpressionStatementSyntax { Expression: var expression } => expression,
            LocalDeclarationStatementSyntax { Declaration.Variables.Count: 1 } declaration when declaration.Declaration.Variables[0].Initializer is { } initializer => initializer.Value,
            _ => null,
        };
    }

    /// <summary>The block body of the method, accessor, local function or lambda holding <paramref name="node"/>.</summary>
    private static BlockSyntax? FunctionBlock(SyntaxNode node)
    {
        foreach (var ancestor in node.Ancestors())
        {
            switch (ancestor)
            {
                case BaseMethodDeclarationSyntax method:
                    return method.Body;
                case AccessorDeclarationSyntax accessor:
                    return accessor.Body;
                case LocalFunctionStatementSyntax local:
                    return local.Body;
                case AnonymousFunctionExpressionSyntax function:
                    return function.Body as BlockSyntax;
            }
        }

        return null;
    }
}
