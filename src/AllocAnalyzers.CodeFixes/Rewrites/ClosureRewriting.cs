using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;

namespace AllocAnalyzers.CodeFixes.Rewrites;

/// <summary>What the closure fixes share: fresh names, typed declarations, and the check that a call still binds to the same method.</summary>
internal static class ClosureRewriting
{
    /// <summary>
    /// <paramref name="preferred"/>, or it with a number appended, such that no identifier in the enclosing member
    /// already spells it: a new local or parameter of that name then neither clashes nor shadows anything used there.
    /// </summary>
    public static string FreshName(SyntaxNode anyNodeInMember, string preferred)
    {
        var member = anyNodeInMember.FirstAncestorOrSelf<MemberDeclarationSyntax>() ?? anyNodeInMember.SyntaxTree.GetRoot();
        if (member is GlobalStatementSyntax)
        {
            member = member.Parent!;
        }

        var used = new HashSet<string>(member.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText));
        if (!used.Contains(preferred) && SyntaxFacts.GetKeywordKind(preferred) == SyntaxKind.None && SyntaxFacts.GetContextualKeywordKind(preferred) == SyntaxKind.None)
        {
            return preferred;
        }

        for (var i = 2; ; i++)
        {
            var candidate = preferred + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!used.Contains(candidate))
            {
                return candidate;
            }
        }
    }

    /// <summary>
    /// A name for a new lambda parameter: not spelled anywhere in the lambda, and naming no local, parameter or local
    /// function in scope where the lambda is (which a parameter of that name would clash with or shadow).
    /// </summary>
    public static string FreshLambdaParameterName(SemanticModel model, LambdaExpressionSyntax lambda, string preferred)
    {
        var used = new HashSet<string>(lambda.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText));
        for (var i = 1; ; i++)
        {
            var candidate = i == 1 ? preferred : preferred + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!used.Contains(candidate) &&
                !model.LookupSymbols(lambda.SpanStart, name: candidate).Any(s => s.Kind is SymbolKind.Local or SymbolKind.Parameter or SymbolKind.RangeVariable || s is IMethodSymbol { MethodKind: MethodKind.LocalFunction }))
            {
                return candidate;
            }
        }
    }

    /// <summary>A type as source, simplified and with its namespace imported by the finishing pass.</summary>
    public static TypeSyntax Type(SyntaxGenerator generator, ITypeSymbol type) =>
        ((TypeSyntax)generator.TypeExpression(type)).WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);

    /// <summary>Whether a type can be written in source: no anonymous types, no errors.</summary>
    public static bool IsNameable(ITypeSymbol? type) => type switch
    {
        null => false,
        { IsAnonymousType: true } or IErrorTypeSymbol => false,
        IArrayTypeSymbol array => IsNameable(array.ElementType),
        IPointerTypeSymbol pointer => IsNameable(pointer.PointedAtType),
        INamedTypeSymbol named => named.TypeArguments.All(IsNameable) && (named.ContainingType is null || IsNameable(named.ContainingType)),
        _ => true,
    };

    /// <summary>
    /// Whether the call marked with <paramref name="annotation"/> in <paramref name="newRoot"/> binds to
    /// <paramref name="expected"/> (compared as written; <paramref name="compareDefinitions"/> compares the generic
    /// definitions, for a rewrite that changes the inferred type arguments on purpose).
    /// </summary>
    public static bool StillBindsTo(SemanticModel model, SyntaxNode newRoot, SyntaxAnnotation annotation, IMethodSymbol expected, bool compareDefinitions, CancellationToken cancellationToken)
    {
        var tree = model.SyntaxTree.WithRootAndOptions(newRoot, model.SyntaxTree.Options);
        var node = tree.GetRoot(cancellationToken).GetAnnotatedNodes(annotation).FirstOrDefault();
        if (node is null)
        {
            return false;
        }

        var newModel = model.Compilation.ReplaceSyntaxTree(model.SyntaxTree, tree).GetSemanticModel(tree);
        if (newModel.GetSymbolInfo(node, cancellationToken).Symbol is not IMethodSymbol bound)
        {
            return false;
        }

        return compareDefinitions
            ? Display(Definition(bound)) == Display(Definition(expected))
            : Display(bound) == Display(expected);
    }

    /// <summary>The method a call binds to, as the semantic model reports it for the syntax (extension methods in reduced form).</summary>
    public static IMethodSymbol? BoundMethod(SemanticModel model, SyntaxNode call, CancellationToken cancellationToken) =>
        model.GetSymbolInfo(call, cancellationToken).Symbol as IMethodSymbol;

    private static IMethodSymbol Definition(IMethodSymbol method) => (method.ReducedFrom ?? method).OriginalDefinition;

    private static string Display(ISymbol symbol) => symbol.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "(" +
        string.Join(",", ((IMethodSymbol)symbol).Parameters.Select(p => p.RefKind + " " + p.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat))) + ")";

    /// <summary>The body of the function declaring <paramref name="variable"/>, searched outwards from <paramref name="operation"/>.</summary>
    public static IOperation? DeclaringFunctionBody(IOperation operation, ISymbol variable)
    {
        var owner = variable.ContainingSymbol;
        for (var current = operation; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case IAnonymousFunctionOperation lambda when SymbolEqualityComparer.Default.Equals(lambda.Symbol, owner):
                    return lambda.Body;
                case ILocalFunctionOperation local when SymbolEqualityComparer.Default.Equals(local.Symbol, owner):
                    return local.Body ?? (IOperation)local;
            }

            if (current.Parent is null)
            {
                return current;
            }
        }

        return null;
    }
}
