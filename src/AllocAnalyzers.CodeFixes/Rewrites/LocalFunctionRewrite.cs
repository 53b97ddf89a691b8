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
/// ALLOC022 "Convert to a local function": <c>Func&lt;int, int&gt; f = x => …;</c> (or <c>f = null; f = x => … f(…) …;</c>)
/// becomes <c>int f(int x) => …;</c> with the delegate's parameter types, ref kinds and return type, <c>async</c> and
/// <c>static</c> kept, and <c>f.Invoke(…)</c> calls become <c>f(…)</c>. The local was only invoked, so nothing observed
/// the delegate; the body runs with the same variables when called.
/// </summary>
internal static class LocalFunctionRewrite
{
    public static SyntaxNode? TryApply(SemanticModel model, SyntaxNode root, InvokedDelegateLocal target, SyntaxGenerator generator, CancellationToken cancellationToken)
    {
        if (target.Local.Type is not INamedTypeSymbol { DelegateInvokeMethod: { ReturnsByRef: false, ReturnsByRefReadonly: false } invoke } delegateType ||
            !ClosureRewriting.IsNameable(delegateType) ||
            target.Lambda.Syntax is not AnonymousFunctionExpressionSyntax lambda || lambda is LambdaExpressionSyntax { AttributeLists.Count: > 0 } || lambda is ParenthesizedLambdaExpressionSyntax { ReturnType: not null } ||
            target.Declarator.Syntax.FirstAncestorOrSelf<LocalDeclarationStatementSyntax>() is not { } declaration ||
            Loops.GetFunctionBody(target.Declarator) is not { } body)
        {
            return null;
        }

        var lambdaParameters = lambda switch
        {
            SimpleLambdaExpressionSyntax simple => new List<ParameterSyntax> { simple.Parameter },
            ParenthesizedLambdaExpressionSyntax parenthesized => parenthesized.ParameterList.Parameters.ToList(),
            AnonymousMethodExpressionSyntax { ParameterList: { } list } => list.Parameters.ToList(),
            _ => null,
        };
        if (lambdaParameters is null || lambdaParameters.Count != invoke.Parameters.Length || lambdaParameters.Any(p => p.AttributeLists.Count > 0 || p.Default is not null) ||
            invoke.Parameters.Any(p => p.IsParams || p.HasExplicitDefaultValue))
        {
            return null;
        }

        var parameters = new List<ParameterSyntax>();
        var discards = 0;
        for (var i = 0; i < invoke.Parameters.Length; i++)
        {
            var name = lambdaParameters[i].Identifier;
            if (name.ValueText == "_" && ++discards > 1)
            {
                name = Identifier(new string('_', discards));
            }

            var parameter = Parameter(name.WithoutTrivia()).WithType(ClosureRewriting.Type(generator, invoke.Parameters[i].Type));
            var refKind = invoke.Parameters[i].RefKind switch
            {
                RefKind.Ref => Token(SyntaxKind.RefKeyword),
                RefKind.Out => Token(SyntaxKind.OutKeyword),
                RefKind.In => Token(SyntaxKind.InKeyword),
                _ => default,
            };
            parameters.Add(refKind == default ? parameter : parameter.WithModifiers(TokenList(refKind)));
        }

        var modifiers = TokenList(lambda.Modifiers.Where(m => m.IsKind(SyntaxKind.StaticKeyword) || m.IsKind(SyntaxKind.AsyncKeyword)).Select(m => m.WithoutTrivia().WithTrailingTrivia(Space)));
        var returnType = invoke.ReturnsVoid ? PredefinedType(Token(SyntaxKind.VoidKeyword)) : ClosureRewriting.Type(generator, invoke.ReturnType);
        LocalFunctionStatementSyntax Build(CSharpSyntaxNode lambdaBody)
        {
            var function = LocalFunctionStatement(returnType, Identifier(target.Local.Name))
                .WithModifiers(modifiers)
                .WithParameterList(ParameterList(SeparatedList(parameters)));
            return lambdaBody is BlockSyntax block
                ? function.WithBody(block)
                : function.WithExpressionBody(ArrowExpressionClause(((ExpressionSyntax)lambdaBody).WithoutTrivia())).WithSemicolonToken(Token(SyntaxKind.SemicolonToken));
        }

        // f.Invoke(…) becomes f(…), in the lambda too (a recursive one calls itself).
        var invokeAccesses = new List<SyntaxNode>();
        foreach (var reference in Captures.References(body, target.Local))
        {
            if (reference.Syntax.Parent is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Invoke" } access && access.Expression == reference.Syntax)
            {
                invokeAccesses.Add(access);
            }
        }

        var holder = target.RecursiveAssignment?.Syntax ?? declaration;
        var removedMark = new SyntaxAnnotation();
        var nodes = invokeAccesses.Concat(new[] { holder, declaration }).Distinct().ToList();
        var newRoot = root.ReplaceNodes(nodes, (original, rewritten) =>
        {
            if (original is MemberAccessExpressionSyntax access)
            {
                return ((MemberAccessExpressionSyntax)rewritten).Expression.WithTriviaFrom(access);
            }

            if (original == holder)
            {
                var rewrittenLambda = rewritten.DescendantNodes().OfType<AnonymousFunctionExpressionSyntax>().First();
                return Build(rewrittenLambda.Body).WithTriviaFrom(rewritten).WithAdditionalAnnotations(Formatter.Annotation);
            }

            return rewritten.WithAdditionalAnnotations(removedMark);
        });

        if (target.RecursiveAssignment is not null && newRoot.GetAnnotatedNodes(removedMark).FirstOrDefault() is { } removed)
        {
            newRoot = newRoot.RemoveNode(removed, SyntaxRemoveOptions.KeepLeadingTrivia)!;
        }

        return newRoot;
    }
}
